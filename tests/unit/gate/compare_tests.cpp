#include "gate/compare.hpp"

#include "gate_helpers.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using test::result_case;

namespace {

RunResult run_of(std::vector<std::pair<std::string, Verdict>> verdicts, bool strict = false) {
    RunResult run;
    run.strict = strict;
    for (const auto& [id, v] : verdicts)
        run.cases.push_back(result_case(id, v));
    return run;
}

std::vector<std::string> ids(const std::vector<VerdictChange>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes)
        out.push_back(c.id);
    return out;
}

using Ids = std::vector<std::string>;

} // namespace

TEST_CASE("verdicts rank pass = info < warn < fail = error; skip has no rank", "[gate][compare]") {
    CHECK(verdict_rank(Verdict::pass) == 0);
    CHECK(verdict_rank(Verdict::info) == 0);
    CHECK(verdict_rank(Verdict::warn) == 1);
    CHECK(verdict_rank(Verdict::fail) == 2);
    CHECK(verdict_rank(Verdict::error) == 2);
    CHECK_FALSE(verdict_rank(Verdict::skip));
}

TEST_CASE("compare sorts every case into one list", "[gate][compare]") {
    const RunResult before = run_of({{"same", Verdict::pass},
                                     {"p-f", Verdict::pass},
                                     {"i-w", Verdict::info},
                                     {"w-e", Verdict::warn},
                                     {"f-p", Verdict::fail},
                                     {"w-i", Verdict::warn},
                                     {"p-i", Verdict::pass},
                                     {"f-e", Verdict::fail},
                                     {"p-s", Verdict::pass},
                                     {"s-f", Verdict::skip},
                                     {"removed", Verdict::fail}});
    const RunResult after = run_of({{"added", Verdict::warn},
                                    {"same", Verdict::pass},
                                    {"p-f", Verdict::fail},
                                    {"i-w", Verdict::warn},
                                    {"w-e", Verdict::error},
                                    {"f-p", Verdict::pass},
                                    {"w-i", Verdict::info},
                                    {"p-i", Verdict::info},
                                    {"f-e", Verdict::error},
                                    {"p-s", Verdict::skip},
                                    {"s-f", Verdict::fail}});
    const Comparison c = compare_runs(before, after, "old.json", "new.json");
    CHECK(ids(c.regressions) == Ids{"p-f", "i-w", "w-e"});
    CHECK(ids(c.fixes) == Ids{"f-p", "w-i"});
    CHECK(ids(c.other_changes) == Ids{"p-i", "f-e", "p-s", "s-f"});
    REQUIRE(c.new_cases.size() == 1);
    CHECK(c.new_cases[0].id == "added");
    CHECK(c.new_cases[0].verdict == Verdict::warn);
    REQUIRE(c.removed_cases.size() == 1);
    CHECK(c.removed_cases[0].id == "removed");
    CHECK(c.unchanged == 1);
    CHECK(c.regressions[0].before == Verdict::pass);
    CHECK(c.regressions[0].after == Verdict::fail);
    CHECK(c.old_file == "old.json");
    CHECK(comparison_exit_code(c) == 1);
    CHECK(comparison_exit_code(compare_runs(after, after, "a", "b")) == 0);
}

TEST_CASE("compare judges each run by its own strictness", "[gate][compare]") {
    const RunResult lenient = run_of({{"w", Verdict::warn}}, false);
    const RunResult strict = run_of({{"w", Verdict::warn}}, true);
    const Comparison c = compare_runs(lenient, strict, "a", "b");
    CHECK(ids(c.regressions) == Ids{"w"}); // warn -> fail
    CHECK(c.regressions[0].after == Verdict::fail);
}

TEST_CASE("compare notes different catalogues", "[gate][compare]") {
    RunResult a = run_of({}), b = run_of({});
    CHECK(compare_runs(a, b, "a", "b").same_catalogue);
    a.catalogue_fingerprint = std::string(64, 'a');
    b.catalogue_fingerprint = std::string(64, 'b');
    CHECK_FALSE(compare_runs(a, b, "a", "b").same_catalogue);
}
