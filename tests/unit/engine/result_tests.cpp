#include "model/result.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;

namespace {

RunResult run_of(std::initializer_list<Verdict> verdicts) {
    RunResult run;
    int n = 0;
    for (Verdict v : verdicts) {
        CaseResult c;
        c.id = "case." + std::to_string(n++);
        c.verdict = v;
        run.cases.push_back(c);
    }
    return run;
}

} // namespace

TEST_CASE("the summary counts every verdict", "[result]") {
    RunResult run =
        run_of({Verdict::pass, Verdict::pass, Verdict::fail, Verdict::warn, Verdict::info,
                Verdict::skip, Verdict::skip, Verdict::skip, Verdict::error});
    Summary s = run.summary();
    CHECK(s.passed == 2);
    CHECK(s.failed == 1);
    CHECK(s.warned == 1);
    CHECK(s.info == 1);
    CHECK(s.skipped == 3);
    CHECK(s.errors == 1);
    CHECK(s.total() == 9);
    CHECK(RunResult{}.summary().total() == 0);
}

TEST_CASE("strict turns a warn into a fail and nothing else", "[result]") {
    CaseResult c;
    c.verdict = Verdict::warn;
    CHECK(effective_verdict(c, false) == Verdict::warn);
    CHECK(effective_verdict(c, true) == Verdict::fail);
    for (Verdict v : {Verdict::pass, Verdict::info, Verdict::skip, Verdict::fail, Verdict::error}) {
        c.verdict = v;
        CHECK(effective_verdict(c, true) == v);
    }

    RunResult run = run_of({Verdict::pass, Verdict::warn, Verdict::warn});
    run.strict = true;
    Summary s = run.summary();
    CHECK(s.warned == 0);
    CHECK(s.failed == 2);
    CHECK(s.passed == 1);
}

TEST_CASE("exit codes", "[result]") {
    CHECK(exit_code(RunResult{}) == 4);
    CHECK(exit_code(run_of({Verdict::skip, Verdict::skip})) == 4); // nothing was judged
    RunResult interrupted = run_of({Verdict::pass, Verdict::fail});
    interrupted.interrupted = true;
    CHECK(exit_code(interrupted) == 130);
    CHECK(exit_code(run_of({Verdict::pass, Verdict::warn, Verdict::info, Verdict::skip})) == 0);
    CHECK(exit_code(run_of({Verdict::pass, Verdict::fail})) == 1);
    CHECK(exit_code(run_of({Verdict::pass, Verdict::error})) == 3);
    CHECK(exit_code(run_of({Verdict::fail, Verdict::error})) == 3);

    RunResult strict = run_of({Verdict::pass, Verdict::warn});
    strict.strict = true;
    CHECK(exit_code(strict) == 1);

    RunResult unreachable = run_of({Verdict::pass});
    unreachable.target_problem = "connection refused";
    CHECK(exit_code(unreachable) == 3);
}

TEST_CASE("transcript directions have names", "[result]") {
    CHECK(to_string(Direction::sent) == "sent");
    CHECK(to_string(Direction::received) == "received");
    CHECK(to_string(Direction::eof) == "eof");
    CHECK(to_string(Direction::reset) == "reset");
    CHECK(to_string(Direction::note) == "note");
}
