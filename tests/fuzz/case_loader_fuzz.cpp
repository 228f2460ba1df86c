// Fuzzes case loading and request building: the input is written as the one case file of a
// temporary suite folder, loaded with load_catalogue (runner/catalogue/loader.hpp), and every
// case's requests are built (runner/engine/request.hpp: placeholders_for, expand,
// build_request). A CatalogueError is the loader's normal refusal; any other exception escapes
// and is a finding. The folder is made once per process: links to the real suite/schema/ and
// suite/templates.json, and a requirements.json with every requirement of suite/ but short texts
// (the loader validates it on every load: the full texts would halve the speed).
#include "catalogue/loader.hpp"
#include "engine/request.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace upgradespec;
namespace fs = std::filesystem;

namespace {

struct Suite {
    fs::path dir;
    Suite() {
        std::string pattern = (fs::temp_directory_path() / "upgradespec-fuzz-XXXXXX").string();
        if (!mkdtemp(pattern.data())) std::abort();
        dir = pattern;
        const fs::path real = UPGRADESPEC_SUITE_DIR;
        fs::create_directory_symlink(real / "schema", dir / "schema");
        fs::create_symlink(real / "templates.json", dir / "templates.json");
        std::ifstream in(real / "requirements.json", std::ios::binary);
        nlohmann::json requirements = nlohmann::json::parse(in);
        for (auto& r : requirements["requirements"]) {
            const std::string id = r["id"];
            r = {{"id", id},
                 {"level", r["level"]},
                 {"sections", r["sections"]},
                 {"title", "fuzzing " + id},
                 {"rule", "the rule of " + id + " is in suite/requirements.json"},
                 {"grading", {{"pass", "as suite/requirements.json says"}}}};
        }
        std::ofstream(dir / "requirements.json", std::ios::binary) << requirements;
    }
    ~Suite() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

const Suite& suite() {
    static const Suite s; // removed at exit (libFuzzer exits normally after its time)
    return s;
}

Target fuzz_target() {
    Target t = parse_target_url("ws://127.0.0.1:8080/chat");
    t.plain_path = "/index.html";
    t.subprotocols = {"chat"};
    t.allowed_origins = {"https://good.example"};
    t.tls_required_path = "/tls-only";
    t.http11_required_path = "/http11-only";
    t.extra_fields = {"Authorization: Bearer fuzz"};
    t.origin = "https://fuzz.example";
    return t;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const Suite& s = suite();
    std::ofstream(s.dir / "fuzz.json", std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    Catalogue catalogue;
    try {
        catalogue = load_catalogue(CatalogueSources{s.dir, {}, true});
    } catch (const CatalogueError&) {
        return 0;
    }
    static const Target target = fuzz_target();
    const Placeholders vars = placeholders_for(target);
    for (const auto& c : catalogue.cases) {
        (void)build_request(c.send, catalogue.templates, target, vars);
        for (const auto& follow_up : c.then)
            (void)build_request(follow_up.send, catalogue.templates, target, vars);
    }
    return 0;
}
