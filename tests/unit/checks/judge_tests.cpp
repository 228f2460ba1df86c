#include "checks/judge.hpp"

#include "observations.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace upgradespec;
using namespace upgradespec::testing;
using Catch::Matchers::Contains;

namespace {

const Placeholders no_vars;

// A case that passes on any 426 and fails otherwise.
Case refusal_case(const std::string& requirement) {
    Case c;
    c.id = "upg.test.refusal";
    c.title = "A refusal";
    c.family = "upgrade";
    c.requirement = requirement;
    c.level = Level::should;
    c.refs = {"RFC9110 15.5.22"};
    c.tags = {"426"};
    Outcome pass;
    pass.verdict = Verdict::pass;
    pass.when.http1.status = {"426"};
    pass.why = "refused";
    c.outcomes = {pass};
    c.otherwise = {Verdict::fail, {}, "did not refuse"};
    return c;
}

bool has_rule(const CaseResult& r, const std::string& rule) {
    return std::any_of(r.findings.begin(), r.findings.end(),
                       [&](const Finding& f) { return f.rule == rule; });
}

} // namespace

TEST_CASE("a conforming answer gives a pass with the case's own finding only", "[judge]") {
    CaseResult r = judge_case(refusal_case("TEST-REQ"), conforming_426(), no_vars);
    CHECK(r.verdict == Verdict::pass);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].requirement == "TEST-REQ");
    CHECK(r.findings[0].message == "refused");
    CHECK(r.findings[0].rule.empty());

    CHECK(r.id == "upg.test.refusal");
    CHECK(r.title == "A refusal");
    CHECK(r.family == "upgrade");
    CHECK(r.level == Level::should);
    CHECK(r.refs == std::vector<std::string>{"RFC9110 15.5.22"});
    CHECK(r.tags == std::vector<std::string>{"426"});
    CHECK_THAT(r.expected, Contains("status 426"));
    CHECK_THAT(r.observed, Contains("426"));
}

TEST_CASE("the verdict is the worst finding", "[judge]") {
    // Own outcome passes; the empty 426 body is a warn.
    Observation empty_body = conforming_426();
    empty_body.body.clear();
    CaseResult warned = judge_case(refusal_case("TEST-REQ"), empty_body, no_vars);
    CHECK(warned.verdict == Verdict::warn);
    REQUIRE(warned.findings.size() == 2);
    CHECK(warned.findings[1].rule == "rule.426-body");

    // A warn and a fail: fail wins.
    Observation no_upgrade = answered(head(426));
    CaseResult failed = judge_case(refusal_case("TEST-REQ"), no_upgrade, no_vars);
    CHECK(failed.verdict == Verdict::fail);
    CHECK(has_rule(failed, "rule.426-upgrade"));
    CHECK(has_rule(failed, "rule.426-body"));
    CHECK(failed.findings[0].verdict == Verdict::pass);

    // Own fail and a rule warn: still fail.
    CaseResult own_fail = judge_case(refusal_case("TEST-REQ"), answered(head(400)), no_vars);
    CHECK(own_fail.verdict == Verdict::fail);
    CHECK(has_rule(own_fail, "rule.4xx-explained"));
}

TEST_CASE("a rule under the case's own requirement is dropped when the own outcome did not pass",
          "[judge]") {
    Case c = refusal_case("UPG-426-UPGRADE-HDR");
    Outcome strict;
    strict.verdict = Verdict::pass;
    strict.when.http1.status = {"426"};
    strict.when.http1.headers["Upgrade"].present = true;
    c.outcomes = {strict};

    Observation no_upgrade = answered(head(426), "upgrade, please");
    CaseResult r = judge_case(c, no_upgrade, no_vars);
    CHECK(r.verdict == Verdict::fail);
    CHECK_FALSE(has_rule(r, "rule.426-upgrade"));
    CHECK(r.findings.size() == 1);
}

TEST_CASE("a rule under the case's own requirement is kept when the own outcome passed",
          "[judge]") {
    Observation no_upgrade = answered(head(426), "upgrade, please");
    CaseResult r = judge_case(refusal_case("UPG-426-UPGRADE-HDR"), no_upgrade, no_vars);
    CHECK(r.verdict == Verdict::fail);
    REQUIRE(r.findings.size() == 2);
    CHECK(r.findings[0].verdict == Verdict::pass);
    CHECK(r.findings[1].rule == "rule.426-upgrade");
    CHECK(r.findings[1].requirement == "UPG-426-UPGRADE-HDR");
}

TEST_CASE("a connect error is an error verdict and no rule runs", "[judge]") {
    Observation seen = answered(head(426)); // would fire rules if they ran
    seen.connect_error = "connection refused";
    CaseResult r = judge_case(refusal_case("TEST-REQ"), seen, no_vars);
    CHECK(r.verdict == Verdict::error);
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].verdict == Verdict::error);
    CHECK(r.observed == "connection refused");
}

TEST_CASE("a skipped case carries its reason", "[judge]") {
    CaseResult r = skipped_case(refusal_case("TEST-REQ"), "needs websocket-endpoint");
    CHECK(r.verdict == Verdict::skip);
    CHECK(r.id == "upg.test.refusal");
    CHECK(r.observed == "not run");
    CHECK_THAT(r.expected, Contains("status 426"));
    REQUIRE(r.findings.size() == 1);
    CHECK(r.findings[0].verdict == Verdict::skip);
    CHECK(r.findings[0].message == "needs websocket-endpoint");
    CHECK(r.findings[0].requirement == "TEST-REQ");
}

TEST_CASE("a rule's failure under the case's own requirement is kept beside the case's warning",
          "[judge]") {
    Case c = refusal_case("UPG-426-UPGRADE-HDR");
    Outcome lenient;
    lenient.verdict = Verdict::warn;
    lenient.when.http1.status = {"426"};
    lenient.why = "check by hand";
    c.outcomes = {lenient};

    CaseResult r = judge_case(c, answered(head(426), "upgrade, please"), no_vars);
    CHECK(r.verdict == Verdict::fail);
    CHECK(has_rule(r, "rule.426-upgrade"));
}
