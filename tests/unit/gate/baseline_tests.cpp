#include "catalogue/json_input.hpp"
#include "gate/baseline.hpp"

#include "gate_helpers.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace upgradespec;
using test::result_case;
using test::TempFile;

namespace {

const std::filesystem::path schema =
    std::filesystem::path(SUITE_DIR) / "schema" / "baseline.schema.json";

Baseline baseline_of(std::vector<Waiver> waivers) {
    return {std::move(waivers), "0123"};
}

std::string load_error(const std::string& text) {
    TempFile file("baseline.json", text);
    try {
        load_baseline(file.path(), schema);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("a baseline file loads with its waivers and fingerprint", "[gate][baseline]") {
    TempFile file("good.json", R"({"version": 1, "waivers": [
        {"case": "ws.a", "reason": "vendor bug 12"},
        {"case": "ws.b", "reason": "fixed in 2.0", "expires": "2024-02-29"}]})");
    const Baseline b = load_baseline(file.path(), schema);
    REQUIRE(b.waivers.size() == 2);
    CHECK(b.waivers[0].case_id == "ws.a");
    CHECK(b.waivers[0].expires.empty());
    CHECK(b.waivers[1].reason == "fixed in 2.0");
    CHECK(b.waivers[1].expires == "2024-02-29");
    CHECK(b.fingerprint.size() == 64);
}

TEST_CASE("a bad baseline file is named with its field", "[gate][baseline]") {
    CHECK_THAT(load_error("{"), Catch::Contains("not valid JSON"));
    CHECK_THAT(load_error(R"({"version": 2, "waivers": []})"), Catch::Contains("field version"));
    CHECK_THAT(load_error(R"({"version": 1, "waivers": [{"case": "x"}]})"),
               Catch::Contains("field waivers[0]"));
    CHECK_THAT(load_error(R"({"version": 1, "waivers": [{"case": "x", "reason": "r",
                             "expires": "next week"}]})"),
               Catch::Contains("field waivers[0].expires"));
    CHECK_THAT(load_error(R"({"version": 1, "waivers": [{"case": "x", "reason": "r",
                             "expires": "2023-02-29"}]})"),
               Catch::Contains("field waivers[0].expires: \"2023-02-29\" is not a date"));
    CHECK_THAT(load_error(R"({"version": 1, "waivers": [{"case": "x", "reason": "r"},
                             {"case": "x", "reason": "again"}]})"),
               Catch::Contains("field waivers[1].case: case \"x\" is waived twice"));
    CHECK_THAT(load_error(R"({"version": 1, "waivers": [], "extra": true})"),
               Catch::Contains("baseline.json"));
    CHECK_THROWS_WITH(load_baseline("/nonexistent/baseline.json", schema),
                      Catch::Contains("/nonexistent/baseline.json: cannot be read"));
}

TEST_CASE("a waiver waives a failure until its expiry day has passed", "[gate][baseline]") {
    const Baseline b = baseline_of({{"ws.a", "known", "2026-03-01"}, {"ws.b", "forever", ""}});
    CaseResult a = result_case("ws.a", Verdict::fail);

    apply_waiver(a, b, false, "2026-03-01"); // the last day it holds
    REQUIRE(a.waiver);
    CHECK(a.waiver->status == WaiverStatus::waived);
    CHECK(is_waived(a));
    CHECK(a.findings.size() == 1);

    a = result_case("ws.a", Verdict::fail);
    apply_waiver(a, b, false, "2026-03-02");
    CHECK(a.waiver->status == WaiverStatus::expired);
    CHECK_FALSE(is_waived(a));
    REQUIRE(a.findings.size() == 2);
    CHECK(a.findings[1].rule == "baseline.waiver-expired");
    CHECK_THAT(a.findings[1].message, Catch::Contains("expired on 2026-03-01"));
    CHECK_THAT(a.findings[1].message, Catch::Contains("known"));

    CaseResult forever = result_case("ws.b", Verdict::fail);
    apply_waiver(forever, b, false, "2999-12-31");
    CHECK(is_waived(forever));
}

TEST_CASE("what a waiver does depends on the case's effective verdict", "[gate][baseline]") {
    const Baseline b = baseline_of({{"c", "why", ""}});
    auto status = [&](Verdict v, bool strict) {
        CaseResult c = result_case("c", v);
        apply_waiver(c, b, strict, "2026-01-01");
        return c.waiver->status;
    };
    CHECK(status(Verdict::fail, false) == WaiverStatus::waived);
    CHECK(status(Verdict::warn, true) == WaiverStatus::waived); // a failure under --strict
    CHECK(status(Verdict::warn, false) == WaiverStatus::stale);
    CHECK(status(Verdict::pass, false) == WaiverStatus::stale);
    CHECK(status(Verdict::info, true) == WaiverStatus::stale);
    CHECK(status(Verdict::error, false) == WaiverStatus::idle); // errors are never waived
    CHECK(status(Verdict::skip, false) == WaiverStatus::idle);

    CaseResult other = result_case("other", Verdict::fail);
    apply_waiver(other, b, false, "2026-01-01");
    CHECK_FALSE(other.waiver);
}

TEST_CASE("waived failures do not fail the run; new and expired ones do", "[gate][baseline]") {
    RunResult run;
    run.cases = {result_case("ok", Verdict::pass), result_case("known", Verdict::fail)};
    CHECK(exit_code(run) == 1);

    apply_baseline(run, baseline_of({{"known", "r", ""}}), "2026-01-01");
    CHECK(run.summary().waived == 1);
    CHECK(run.summary().failed == 0);
    CHECK(run.summary().total() == 2);
    CHECK(exit_code(run) == 0);
    CHECK(run.baseline_fingerprint == "0123");

    run.cases.push_back(result_case("new", Verdict::fail));
    apply_baseline(run, baseline_of({{"known", "r", ""}}), "2026-01-01");
    CHECK(exit_code(run) == 1);

    run.cases.pop_back();
    apply_baseline(run, baseline_of({{"known", "r", "2025-12-31"}}), "2026-01-01");
    CHECK(run.summary().waived == 0);
    CHECK(exit_code(run) == 1);

    // Only waived cases judged: the run passes (not "nothing judged").
    run.cases = {result_case("known", Verdict::fail)};
    apply_baseline(run, baseline_of({{"known", "r", ""}}), "2026-01-01");
    CHECK(exit_code(run) == 0);
}

TEST_CASE("waivers that waive nothing are stale, and say why", "[gate][baseline]") {
    RunResult run;
    run.cases = {result_case("fixed", Verdict::pass), result_case("known", Verdict::fail),
                 result_case("skipped", Verdict::skip)};
    apply_baseline(run,
                   baseline_of({{"fixed", "was broken", ""},
                                {"known", "still broken", ""},
                                {"skipped", "not judged", ""},
                                {"gone", "case removed", "2030-01-01"}}),
                   "2026-01-01");
    REQUIRE(run.stale_waivers.size() == 2);
    CHECK(run.stale_waivers[0].case_id == "fixed");
    CHECK(run.stale_waivers[0].in_run);
    CHECK(run.stale_waivers[1].case_id == "gone");
    CHECK_FALSE(run.stale_waivers[1].in_run);
    CHECK(run.stale_waivers[1].expires == "2030-01-01");
    CHECK(exit_code(run) == 0); // stale waivers are reported, they do not fail the run
}

TEST_CASE("update-baseline records the failures and keeps the waivers that hold",
          "[gate][baseline]") {
    RunResult run;
    run.strict = true;
    run.cases = {result_case("kept", Verdict::fail),
                 result_case("renewed", Verdict::fail),
                 result_case("new", Verdict::warn),
                 result_case("fixed", Verdict::pass),
                 result_case("idle", Verdict::error),
                 result_case("passing", Verdict::info),
                 result_case("unwaived-error", Verdict::error)};
    const Baseline previous = baseline_of({{"kept", "vendor bug", "2026-06-30"},
                                           {"renewed", "old reason", "2025-01-01"},
                                           {"fixed", "was broken", ""},
                                           {"idle", "flaky", ""},
                                           {"gone", "removed case", ""}});
    const Baseline next = baseline_from_run(run, previous, "2026-01-01");
    REQUIRE(next.waivers.size() == 4);
    CHECK(next.waivers[0].case_id == "kept");
    CHECK(next.waivers[0].reason == "vendor bug");
    CHECK(next.waivers[0].expires == "2026-06-30");
    CHECK(next.waivers[1].case_id == "renewed");
    CHECK_THAT(next.waivers[1].reason, Catch::Contains("on 2026-01-01") &&
                                           Catch::Contains("expired on 2025-01-01") &&
                                           Catch::Contains("old reason"));
    CHECK(next.waivers[1].expires.empty());
    CHECK(next.waivers[2].case_id == "new"); // a warn under --strict is a failure
    CHECK(next.waivers[2].reason == "recorded by upgradespec --update-baseline on 2026-01-01");
    CHECK(next.waivers[3].case_id == "idle"); // not judged this time: kept
    CHECK(next.waivers[3].reason == "flaky");
}

TEST_CASE("a written baseline loads back the same", "[gate][baseline]") {
    const Baseline b =
        baseline_of({{"a", "reason \"quoted\" \xc3\xa9", "2027-12-31"}, {"b", "r", ""}});
    std::ostringstream text;
    write_baseline(b, text);
    TempFile file("written.json", text.str());
    const Baseline back = load_baseline(file.path(), schema);
    REQUIRE(back.waivers.size() == 2);
    CHECK(back.waivers[0].case_id == "a");
    CHECK(back.waivers[0].reason == b.waivers[0].reason);
    CHECK(back.waivers[0].expires == "2027-12-31");
    CHECK(back.waivers[1].expires.empty());
    CHECK_FALSE(to_json(b)["waivers"][1].contains("expires"));
}
