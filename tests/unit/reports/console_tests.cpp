#include "reports/console.hpp"

#include "sample_run.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <vector>

using namespace upgradespec;
using test::contains;
using test::lines_of;

namespace {

std::string render(const RunResult& run, ConsoleOptions options) {
    std::ostringstream out;
    ConsoleReporter reporter(out, options);
    for (const auto& c : run.cases)
        reporter.case_finished(c, run.strict);
    reporter.run_finished(run);
    return out.str();
}

} // namespace

TEST_CASE("console prints a line per case as it finishes", "[reports][console]") {
    const auto lines = lines_of(render(test::sample_run(false), {}));
    REQUIRE(lines.size() >= 7);
    CHECK(lines[0] == "PASS  ws.accept  Title of ws.accept (12 ms)");
    CHECK(lines[1] == "FAIL  ws.version  Title of ws.version (12 ms)");
    CHECK(lines[2] == "WARN  ws.origin  Title of ws.origin (12 ms)");
    CHECK(lines[3] == "INFO  http.version.09  Title of http.version.09 (12 ms)");
    CHECK(lines[4] == "SKIP  http.version.2  Title of http.version.2 (12 ms)");
    CHECK(lines[5] == "ERR   http.upgrade.refused  Title of http.upgrade.refused (12 ms)");
    CHECK(lines[6] == "PASS  h2c.settings  Title of h2c.settings (12 ms)");
}

TEST_CASE("console ends with the summary, extra counts on the line before", "[reports][console]") {
    const auto lines = lines_of(render(test::sample_run(false), {}));
    REQUIRE(lines.size() >= 2);
    CHECK(lines.back() == "4 passed, 2 failed, 1 skipped");
    CHECK(lines[lines.size() - 2] == "(1 warning, 1 error, 1 info)");
}

TEST_CASE("console under strict shows and counts a warn as a failure", "[reports][console]") {
    const std::string text = render(test::sample_run(true), {});
    const auto lines = lines_of(text);
    CHECK(lines[2] == "FAIL  ws.origin  Title of ws.origin (12 ms)");
    CHECK(lines.back() == "3 passed, 3 failed, 1 skipped");
    CHECK(lines[lines.size() - 2] == "(1 warning counted as failed under strict, 1 error, 1 info)");
    CHECK_FALSE(contains(text, "Warnings"));
}

TEST_CASE("console summary has no extra line when there is nothing extra", "[reports][console]") {
    RunResult run = test::sample_run(false);
    run.cases.resize(1); // the passing case only
    const auto lines = lines_of(render(run, {}));
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].empty());
    CHECK(lines[2] == "1 passed, 0 failed, 0 skipped");
}

TEST_CASE("console details every failure with requirement, findings, expected and observed",
          "[reports][console]") {
    const std::string text = render(test::sample_run(false), {});
    CHECK(contains(text, "\nFailures\n"));
    CHECK(contains(
        text, "\nFAIL  ws.version  Title of ws.version\n"
              "      requirement: REQ-ws.version: An unsupported version is refused <with> the "
              "supported one (MUST; RFC6455 4.2.2, RFC9110 7.8)\n"
              "      [REQ-ws.version] fail: outcome of ws.version\n"
              "      [UPG-426-UPGRADE] fail: got \\xFF\\xFE \\xC3( and "
              "\\xED\\xA0\\x80 (rule.426-upgrade)\n"
              "      expected: expected of ws.version\n"
              "      observed: HTTP/1.1 400 <Bad> \\x1B[2J\\xFF\n"));
    CHECK_FALSE(contains(text, "a rule that held")); // passing findings stay quiet
    CHECK(contains(text, "\nERR   http.upgrade.refused  Title of http.upgrade.refused\n"
                         "      requirement: REQ-http.upgrade.refused (MUST; "));
    CHECK(contains(text, "[REQ-http.upgrade.refused] error: connect: connection refused\n"));
    CHECK(contains(text, "\nWarnings\n\nWARN  ws.origin  Title of ws.origin\n"
                         "      requirement: REQ-ws.origin (SHOULD; "));
    // Warnings come after failures; passes and infos have no details.
    CHECK(text.find("\nWarnings\n") > text.find("\nFailures\n"));
    CHECK_FALSE(contains(text, "outcome of http.version.09"));
    CHECK_FALSE(contains(text, "outcome of ws.accept"));
}

TEST_CASE("console lists skipped cases with their reason only when verbose", "[reports][console]") {
    const RunResult run = test::sample_run(false);
    CHECK_FALSE(contains(render(run, {}), "needs a TLS-upgrade claim"));
    const std::string verbose = render(run, {false, true});
    CHECK(contains(verbose, "\nSkipped\n"
                            "SKIP  http.version.2  Title of http.version.2: needs a TLS-upgrade "
                            "claim\n"));
    // Verbose also shows the transcript of a failure, escaped.
    CHECK(contains(verbose, "      transcript:\n"
                            "        [+0.050ms] >>> GET / HTTP/1.1\\r\\n\n"));
    CHECK(contains(verbose, "X: a&b\\x00\\x1B[31m\\xFF]]>\\r\\n\n"));
    CHECK(lines_of(verbose).back() == "4 passed, 2 failed, 1 skipped");
}

TEST_CASE("console writes no control bytes without colour, whatever the target sent",
          "[reports][console]") {
    for (bool verbose : {false, true}) {
        const std::string text = render(test::sample_run(false), {false, verbose});
        // The sample holds no valid UTF-8 beyond ASCII, so every byte must be printable ASCII.
        std::vector<std::size_t> unprintable;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto c = static_cast<unsigned char>(text[i]);
            if ((c < 0x20 && c != '\n') || c >= 0x7f) unprintable.push_back(i);
        }
        CHECK(unprintable.empty());
    }
}

TEST_CASE("console colours marks and headings only when asked", "[reports][console]") {
    const std::string text = render(test::sample_run(false), {true, false});
    CHECK(contains(text, "\x1b[32mPASS\x1b[0m  ws.accept"));
    CHECK(contains(text, "\x1b[31mFAIL\x1b[0m  ws.version"));
    CHECK(contains(text, "\x1b[1mFailures\x1b[0m"));
    CHECK(lines_of(text).back() == "4 passed, 2 failed, 1 skipped");
}

TEST_CASE("console says prominently when the target failed or the run was interrupted",
          "[reports][console]") {
    RunResult run = test::sample_run(false);
    CHECK_FALSE(contains(render(run, {}), "TARGET PROBLEM"));
    CHECK_FALSE(contains(render(run, {}), "INTERRUPTED"));

    run.target_problem = "connect 127.0.0.1:9: connection refused\x1b";
    run.interrupted = true;
    const std::string text = render(run, {});
    CHECK(contains(text, "\nTARGET PROBLEM: connect 127.0.0.1:9: connection refused\\x1B\n"));
    CHECK(contains(text, "\nINTERRUPTED: "));
    CHECK(lines_of(text).back() == "4 passed, 2 failed, 1 skipped");
}
