// How the console, JUnit and JSON writers show baseline waivers (--baseline).
#include "reports/console.hpp"
#include "reports/json.hpp"
#include "reports/junit.hpp"

#include "sample_run.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace upgradespec;

namespace {

// ws.version fails and is waived; http.version.09 (info) had a waiver: stale; one waiver names
// a case that is not in the run.
RunResult waived_run() {
    RunResult run = test::sample_run(false);
    run.cases[1].waiver = CaseWaiver{"vendor bug 7", "2030-01-31", WaiverStatus::waived};
    run.cases[3].waiver = CaseWaiver{"was broken", "", WaiverStatus::stale};
    run.stale_waivers = {{"http.version.09", "was broken", "", true},
                         {"gone.case", "removed", "", false}};
    return run;
}

template <typename Writer> std::string written(const RunResult& run, Writer writer) {
    std::ostringstream out;
    writer(run, out);
    return out.str();
}

std::string console_text(const RunResult& run) {
    std::ostringstream out;
    ConsoleReporter console(out, {});
    for (const auto& c : run.cases)
        console.case_finished(c, run.strict);
    console.run_finished(run);
    return out.str();
}

} // namespace

TEST_CASE("junit shows a waived failure as skipped, with the waiver in properties",
          "[reports][gate]") {
    const std::string xml = written(waived_run(), write_junit);
    CHECK_THAT(xml, Catch::Contains("<skipped message=\"waived: vendor bug 7\"/>"));
    CHECK_THAT(xml, Catch::Contains("<property name=\"waiver\" value=\"waived\"/>"));
    CHECK_THAT(xml, Catch::Contains("<property name=\"waiver_reason\" value=\"vendor bug 7\"/>"));
    CHECK_THAT(xml, Catch::Contains("<property name=\"waiver_expires\" value=\"2030-01-31\"/>"));
    CHECK_THAT(xml, Catch::Contains("<property name=\"waiver\" value=\"stale\"/>"));
    // The sample's one failure is waived: no <failure>, and the counts say so.
    CHECK(xml.find("<failure") == std::string::npos);
    CHECK_THAT(xml, Catch::Contains("<testsuites name=\"upgradespec\" tests=\"7\" failures=\"0\" "
                                    "errors=\"1\" skipped=\"2\""));
    // The failure's findings stay readable beside the transcript.
    CHECK_THAT(xml, Catch::Contains("<system-out>[REQ-ws.version] fail: outcome of ws.version"));
}

TEST_CASE("junit keeps an expired waiver's failure a failure", "[reports][gate]") {
    RunResult run = waived_run();
    run.cases[1].waiver->status = WaiverStatus::expired;
    const std::string xml = written(run, write_junit);
    CHECK_THAT(xml, Catch::Contains("<failure"));
    CHECK_THAT(xml, Catch::Contains("<property name=\"waiver\" value=\"expired\"/>"));
}

TEST_CASE("console shows waived cases and stale waivers", "[reports][gate]") {
    const std::string text = console_text(waived_run());
    CHECK_THAT(text, Catch::Contains("WAIV  ws.version  Title of ws.version ("));
    CHECK_THAT(text, Catch::Contains("Waived (known failures in the baseline)\n"
                                     "WAIV  ws.version  vendor bug 7 (until 2030-01-31)\n"));
    CHECK_THAT(text, Catch::Contains("STALE  http.version.09  the case passes now"));
    CHECK_THAT(text, Catch::Contains("STALE  gone.case  no such case in this run"));
    CHECK_THAT(text, Catch::Contains("1 waived, 2 stale waivers)"));
    // Waived failures are not listed under Failures (the error still is).
    const auto failures = text.find("\nFailures\n");
    REQUIRE(failures != std::string::npos);
    CHECK(text.find("FAIL  ws.version", failures) == std::string::npos);
    // The waived failure counts in neither "passed" nor "failed" (the error does fail).
    CHECK_THAT(text, Catch::EndsWith("\n4 passed, 1 failed, 1 skipped\n"));
}

TEST_CASE("json records waivers, stale waivers and the waived count", "[reports][gate]") {
    const auto doc = to_json(waived_run());
    CHECK(doc["summary"]["waived"] == 1);
    CHECK(doc["summary"]["failed"] == 0);
    CHECK(doc["cases"][1]["verdict"] == "fail"); // the case still fails; the waiver covers it
    CHECK(doc["cases"][1]["waiver"] == nlohmann::json{{"reason", "vendor bug 7"},
                                                      {"expires", "2030-01-31"},
                                                      {"status", "waived"}});
    CHECK(doc["cases"][3]["waiver"]["expires"].is_null());
    CHECK_FALSE(doc["cases"][0].contains("waiver"));
    CHECK(doc["stale_waivers"][1] == nlohmann::json{{"case", "gone.case"},
                                                    {"reason", "removed"},
                                                    {"expires", nullptr},
                                                    {"why", "not-in-run"}});
    CHECK(doc["shard"].is_null());
    CHECK(doc["catalogue_fingerprint"].is_null());
}
