// What every writer shows of the run as a whole: the run by requirement (the requirement's title
// and rule beside its id) and what the run detected about the target.
#include "reports/by_requirement.hpp"
#include "reports/console.hpp"
#include "reports/html.hpp"
#include "reports/json.hpp"
#include "reports/markdown.hpp"

#include "sample_run.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace upgradespec;
using test::contains;

namespace {

template <typename Write> std::string rendered(const RunResult& run, Write write) {
    std::ostringstream out;
    write(run, out);
    return out.str();
}

std::string console_text(const RunResult& run) {
    return rendered(run, [](const RunResult& r, std::ostream& out) {
        ConsoleReporter(out, {}).run_finished(r);
    });
}

// A second case failing the same rule: the requirement is listed once, with two cases.
RunResult with_repeated_rule(bool strict) {
    RunResult run = test::sample_run(strict);
    CaseResult again = run.cases[1];
    again.id = "ws.version.again";
    run.cases.push_back(again);
    return run;
}

} // namespace

TEST_CASE("broken requirements: each once, failures first, counted by case",
          "[reports][by_requirement]") {
    const RunResult run = with_repeated_rule(false);
    const auto broken = broken_requirements(run);
    REQUIRE(broken.size() == 3);
    CHECK(broken[0].id == "REQ-ws.version"); // fails in two cases
    CHECK(broken[0].worst == Verdict::fail);
    CHECK(broken[0].cases == 2);
    CHECK(broken[0].example_case == "ws.version");
    REQUIRE(broken[0].entry != nullptr);
    CHECK(broken[0].entry->level == "MUST");
    CHECK(broken[1].id == "UPG-426-UPGRADE");
    CHECK(broken[1].cases == 2);
    CHECK(broken[2].id == "REQ-ws.origin"); // a warning comes after the failures
    CHECK(broken[2].worst == Verdict::warn);
    CHECK(broken[2].entry == nullptr); // the run has no entry for it: still listed
}

TEST_CASE("broken requirements: a pass, info, skip or error finding breaks nothing",
          "[reports][by_requirement]") {
    const RunResult run = test::sample_run(false);
    for (const auto& b : broken_requirements(run)) {
        CHECK(b.id != "UPG-OTHER");          // a rule that held
        CHECK(b.id != "REQ-http.version.2"); // skipped
        CHECK(b.id != "REQ-http.upgrade.refused");
    }
}

TEST_CASE("broken requirements: under --strict a warning counts as a failure",
          "[reports][by_requirement]") {
    const RunResult run = test::sample_run(true);
    const auto broken = broken_requirements(run);
    REQUIRE(broken.size() == 3);
    for (const auto& b : broken)
        CHECK(b.worst == Verdict::fail);
}

TEST_CASE("the JSON report carries the requirements and the broken ones", "[reports][json]") {
    const auto doc = to_json(test::sample_run(false));
    REQUIRE(doc["requirements"].size() == 2);
    const auto& entry = doc["requirements"]["UPG-426-UPGRADE"];
    CHECK(entry["title"] == "A 426 names the protocol to switch to");
    CHECK(entry["level_note"] == "MUST for the field");
    CHECK(entry["grading"]["pass"] == "an Upgrade field");
    CHECK_FALSE(entry.contains("id")); // the key is the id
    REQUIRE(doc["broken_requirements"].size() == 3);
    CHECK(doc["broken_requirements"][0] ==
          nlohmann::json{
              {"requirement", "REQ-ws.version"},
              {"verdict", "fail"},
              {"cases", 1},
              {"example", {{"case", "ws.version"}, {"message", "outcome of ws.version"}}}});
}

TEST_CASE("the console lists the broken requirements with their titles before the failures",
          "[reports][console]") {
    const std::string text = console_text(test::sample_run(false));
    const auto broken = text.find("Requirements broken");
    REQUIRE(broken != std::string::npos);
    CHECK(broken < text.find("Failures"));
    CHECK(contains(text, "FAIL  UPG-426-UPGRADE (MUST; RFC9110 15.5.22)  A 426 names the protocol "
                         "to switch to"));
    CHECK(contains(text, "requirement: REQ-ws.version: An unsupported version is refused <with> "
                         "the supported one (MUST"));
}

TEST_CASE("the HTML page puts titles beside ids and links each id to its rule", "[reports][html]") {
    const std::string page = rendered(test::sample_run(false), write_html);
    CHECK(contains(page, "id=\"broken-requirements\""));
    CHECK(contains(page, "<a class=\"id\" href=\"#req-REQ-ws.version\">REQ-ws.version</a> "
                         "<span class=\"title\">An unsupported version is refused &lt;with&gt; "
                         "the supported one</span>"));
    CHECK(contains(page, "<div class=\"req\" id=\"req-UPG-426-UPGRADE\">"));
    CHECK(contains(page, "The server MUST refuse a version it does not speak"));
    CHECK_FALSE(contains(page, "<with>"));
}

TEST_CASE("the Markdown summary leads with the broken requirements and folds their rules",
          "[reports][markdown]") {
    const std::string text =
        rendered(test::sample_run(false),
                 [](const RunResult& r, std::ostream& out) { write_markdown(r, out); });
    const auto broken = text.find("### Requirements broken (3)");
    REQUIRE(broken != std::string::npos);
    CHECK(broken < text.find("### Failures and errors"));
    CHECK(contains(text, "`UPG-426-UPGRADE` A 426 names the protocol to switch to"));
    CHECK(contains(text, "<details><summary>The rules behind them</summary>"));
    CHECK(
        contains(text, "- `UPG-426-UPGRADE` (MUST): A 426 MUST carry Upgrade naming a protocol."));
    CHECK_FALSE(contains(text, "<with>"));
}

TEST_CASE("what the run detected is in every report", "[reports]") {
    RunResult run = test::sample_run(false);
    run.detected = {"the WebSocket endpoint echoes <text>"};
    CHECK(contains(console_text(run), "detected: the WebSocket endpoint echoes <text>"));
    CHECK(to_json(run)["detected"] ==
          nlohmann::json::array({"the WebSocket endpoint echoes <text>"}));
    CHECK(contains(rendered(run, write_html),
                   "<dt>detected</dt><dd class=\"detected\">the WebSocket endpoint echoes "
                   "&lt;text&gt;</dd>"));
    CHECK(contains(
        rendered(run, [](const RunResult& r, std::ostream& out) { write_markdown(r, out); }),
        "Detected: the WebSocket endpoint echoes &lt;text&gt;"));
}
