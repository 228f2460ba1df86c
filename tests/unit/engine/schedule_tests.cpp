#include "engine/schedule.hpp"

#include "catalogue/loader.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using Catch::Matchers::Contains;
using std::chrono::milliseconds;

namespace {

Case make_case(std::string id, std::vector<std::string> depends_on = {}, int hold_ms = 0) {
    Case c;
    c.id = std::move(id);
    c.file = "suite/x.json";
    c.depends_on = std::move(depends_on);
    c.send.hold_body_ms = hold_ms;
    return c;
}

Step quiet(int ms) {
    Step s{.kind = Step::Kind::expect_open};
    s.quiet_ms = ms;
    return s;
}

// Every index the schedule hands out now, in its order.
std::vector<std::size_t> drain_ready(Schedule& s) {
    std::vector<std::size_t> out;
    while (auto i = s.next())
        out.push_back(*i);
    return out;
}

std::string error_of(const std::vector<Case>& cases) {
    try {
        Schedule{cases};
    } catch (const CatalogueError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("a case's deliberate wait adds its held body and quiet windows", "[schedule]") {
    Case c = make_case("a", {}, 2000);
    c.after_101 = {quiet(600), Step{.kind = Step::Kind::expect_close}, quiet(100)};
    c.h2 = {quiet(50)};
    CHECK(deliberate_wait(c) == milliseconds(2750));
    CHECK(deliberate_wait(make_case("b")) == milliseconds(0));
}

TEST_CASE("independent cases are all ready at once, in catalogue order", "[schedule]") {
    Schedule s({make_case("a"), make_case("b"), make_case("c")});
    CHECK(drain_ready(s) == std::vector<std::size_t>{0, 1, 2});
    Schedule empty({});
    CHECK_FALSE(empty.next());
}

TEST_CASE("the longest known wait starts first", "[schedule]") {
    Schedule s({make_case("quick"), make_case("quiet", {}, 600), make_case("held", {}, 2000)});
    CHECK(drain_ready(s) == std::vector<std::size_t>{2, 1, 0});
}

TEST_CASE("a case that leads to a long wait starts before a shorter wait", "[schedule]") {
    // "base" waits nothing itself, but its dependent holds 2 s: the chain is the longest.
    std::vector<Case> cases = {make_case("short", {}, 500), make_case("base"),
                               make_case("held", {"base"}, 2000)};
    Schedule s(cases);
    CHECK(s.critical_wait(1) == milliseconds(2000));
    CHECK(drain_ready(s) == std::vector<std::size_t>{1, 0});
}

TEST_CASE("a case is ready when its own dependencies are done, not a whole wave", "[schedule]") {
    // c -> b -> a, listed dependant-first as a catalogue's file order may do; "free" is apart.
    std::vector<Case> chain = {make_case("c", {"b"}), make_case("b", {"a"}), make_case("a"),
                               make_case("free"), make_case("after-free", {"free"})};
    Schedule s(chain);
    CHECK(drain_ready(s) == std::vector<std::size_t>{2, 3});
    s.done(3); // "free" ended while "a" still runs: its dependent starts at once
    CHECK(drain_ready(s) == std::vector<std::size_t>{4});
    s.done(2);
    CHECK(drain_ready(s) == std::vector<std::size_t>{1});
    s.done(1);
    CHECK(drain_ready(s) == std::vector<std::size_t>{0});
}

TEST_CASE("a case with two dependencies waits for both", "[schedule]") {
    std::vector<Case> diamond = {make_case("base"), make_case("left", {"base"}),
                                 make_case("right", {"base"}), make_case("d", {"left", "right"})};
    Schedule s(diamond);
    CHECK(drain_ready(s) == std::vector<std::size_t>{0});
    s.done(0);
    CHECK(drain_ready(s) == std::vector<std::size_t>{1, 2});
    s.done(2);
    CHECK_FALSE(s.next());
    s.done(1);
    CHECK(drain_ready(s) == std::vector<std::size_t>{3});
}

TEST_CASE("a held case waits for its release as well as its dependencies", "[schedule]") {
    Schedule s({make_case("echo"), make_case("plain"), make_case("echo-after", {"plain"})});
    s.hold(0);
    s.hold(2);
    CHECK(drain_ready(s) == std::vector<std::size_t>{1});
    s.release(0);
    CHECK(drain_ready(s) == std::vector<std::size_t>{0});
    s.done(1);
    CHECK_FALSE(s.next()); // its dependency is done, its hold is not
    s.release(2);
    CHECK(drain_ready(s) == std::vector<std::size_t>{2});
}

TEST_CASE("a dependency cycle is a catalogue error", "[schedule]") {
    std::string message = error_of({make_case("a", {"b"}), make_case("b", {"a"})});
    CHECK_THAT(message, Contains("cycle"));
    CHECK_THAT(message, Contains("suite/x.json"));
    CHECK_THAT(message, Contains("depends_on"));
    CHECK_THAT(error_of({make_case("self", {"self"})}), Contains("cycle"));
    CHECK_THAT(error_of({make_case("x"), make_case("a", {"c"}), make_case("b", {"a"}),
                         make_case("c", {"b"})}),
               Contains("cycle"));
}

TEST_CASE("a dependency outside the cases to run is a catalogue error", "[schedule]") {
    std::string message = error_of({make_case("a", {"gone"})});
    CHECK_THAT(message, Contains("case \"a\""));
    CHECK_THAT(message, Contains("\"gone\""));
}
