// Build step: validates the shipped catalogue (the build stops at its first error, named by file,
// case and field) and writes the files' validation keys as C++ for upgradespec, which then does
// not validate those files again on every run.
#include "catalogue/loader.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

using namespace upgradespec;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: suite-check SUITE_DIR OUTPUT.cpp\n";
        return 2;
    }
    std::ostringstream source;
    try {
        const Catalogue catalogue = load_catalogue({argv[1], {}});
        source << "// Generated at build time by suite-check from " << argv[1] << ".\n"
               << "#include \"cli/suite_checked.hpp\"\n\n"
               << "std::set<std::string> upgradespec::suite_checked_at_build() {\n"
               << "    return {\n";
        for (const auto& key : catalogue.validated_keys)
            source << "        \"" << key << "\",\n";
        source << "    };\n}\n";
    } catch (const CatalogueError& e) {
        std::cerr << "suite-check: " << e.what() << "\n";
        return 1;
    }
    std::ofstream out(argv[2]);
    out << source.str();
    return out.flush() ? 0 : 1;
}
