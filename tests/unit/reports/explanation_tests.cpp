#include "catalogue/loader.hpp"
#include "reports/catalogue.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace upgradespec;

// A step kind the wording does not know would print an empty line where the step should be.
TEST_CASE("every step of the shipped catalogue is put in words", "[catalogue][explain]") {
    const Catalogue catalogue = load_catalogue({SUITE_DIR, {}});
    int steps = 0;
    for (const auto& c : catalogue.cases) {
        steps += static_cast<int>(c.after_101.size() + c.h2.size());
        std::ostringstream out;
        write_explanation(c, "GET / HTTP/1.1\r\n\r\n", out);
        INFO(c.id);
        CHECK(out.str().find("\n    \n") == std::string::npos);
    }
    CHECK(steps > 100);
}
