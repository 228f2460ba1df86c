#include "engine/executor.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using Catch::Matchers::Contains;

namespace {

Case make_case(std::string id, std::vector<std::string> depends_on = {}) {
    Case c;
    c.id = std::move(id);
    c.file = "suite/x.json";
    c.depends_on = std::move(depends_on);
    return c;
}

using Waves = std::vector<std::vector<std::size_t>>;

std::string error_of(const std::vector<Case>& cases) {
    try {
        dependency_waves(cases);
    } catch (const CatalogueError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("independent cases all run in the first wave", "[waves]") {
    CHECK(dependency_waves({make_case("a"), make_case("b"), make_case("c")}) == Waves{{0, 1, 2}});
    CHECK(dependency_waves({}).empty());
}

TEST_CASE("dependants run after their dependencies", "[waves]") {
    // c -> b -> a, listed dependant-first as the catalogue's file order may do.
    std::vector<Case> chain = {make_case("c", {"b"}), make_case("b", {"a"}), make_case("a"),
                               make_case("free")};
    CHECK(dependency_waves(chain) == Waves{{2, 3}, {1}, {0}});

    // A diamond: d waits for the deeper of its two dependencies.
    std::vector<Case> diamond = {make_case("base"), make_case("left", {"base"}),
                                 make_case("right", {"left"}), make_case("d", {"left", "right"})};
    CHECK(dependency_waves(diamond) == Waves{{0}, {1}, {2}, {3}});
}

TEST_CASE("a dependency cycle is a catalogue error", "[waves]") {
    std::string message = error_of({make_case("a", {"b"}), make_case("b", {"a"})});
    CHECK_THAT(message, Contains("cycle"));
    CHECK_THAT(message, Contains("suite/x.json"));
    CHECK_THAT(message, Contains("depends_on"));
    CHECK_THAT(error_of({make_case("self", {"self"})}), Contains("cycle"));
    CHECK_THAT(error_of({make_case("x"), make_case("a", {"c"}), make_case("b", {"a"}),
                         make_case("c", {"b"})}),
               Contains("cycle"));
}

TEST_CASE("a dependency outside the cases to run is a catalogue error", "[waves]") {
    std::string message = error_of({make_case("a", {"gone"})});
    CHECK_THAT(message, Contains("case \"a\""));
    CHECK_THAT(message, Contains("\"gone\""));
}
