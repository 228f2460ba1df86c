#include "reports/markdown.hpp"

#include "sample_run.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <vector>

using namespace upgradespec;
using test::contains;
using test::lines_of;

namespace {

std::string render(const RunResult& run, std::size_t max_bytes = markdown_max_bytes) {
    std::ostringstream out;
    write_markdown(run, out, max_bytes);
    return out.str();
}

// Cells of a table line, split at unescaped pipes.
std::vector<std::string> cells(const std::string& line) {
    std::vector<std::string> out;
    std::string current;
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
            current += line.substr(i, 2);
            ++i;
            continue;
        }
        if (line[i] != '|') {
            current += line[i];
            continue;
        }
        out.push_back(current);
        current.clear();
    }
    return out;
}

std::string line_starting(const std::string& text, const std::string& start) {
    for (const auto& line : lines_of(text))
        if (line.rfind(start, 0) == 0) return line;
    return "";
}

// A run of `n` failing cases with long, hostile observations.
RunResult many_failures(int n) {
    RunResult run = test::sample_run(false);
    for (int i = 0; i < n; ++i) {
        CaseResult c = run.cases[1];
        c.id = "ws.many." + std::to_string(i);
        c.observed = std::string(500, 'x') + "|\n" + test::hostile_bytes;
        run.cases.push_back(c);
    }
    return run;
}

} // namespace

TEST_CASE("markdown: a headline with the outcome and a counts table", "[reports][markdown]") {
    const std::string text = render(test::sample_run(false));
    const auto lines = lines_of(text);
    REQUIRE(lines.size() > 5);
    CHECK(
        lines[0] ==
        "## ⚠️ upgradespec: target problem (2 passed, 1 failed, 1 warned, 1 info, 1 skipped, 1 "
        "errors of 7)");
    CHECK(contains(text, "| passed | failed | warned | info | skipped | errors | total |"));
    CHECK(contains(text, "| 2 | 1 | 1 | 1 | 1 | 1 | 7 |"));
    CHECK(contains(text, "exit code 3"));
    CHECK(contains(text, "ws://127.0.0.1:8080/chat"));
}

TEST_CASE("markdown: failures and errors, then warnings, each a table", "[reports][markdown]") {
    const std::string text = render(test::sample_run(false));
    CHECK(contains(text, "### Failures and errors (2)"));
    CHECK(contains(text, "### Warnings (1)"));
    const std::string failing = line_starting(text, "| **fail** | `ws.version`");
    REQUIRE_FALSE(failing.empty());
    const auto row = cells(failing);
    REQUIRE(row.size() == 6);
    CHECK(row[2] == " `REQ-ws.version` An unsupported version is refused &lt;with&gt; the "
                    "supported one ");
    CHECK(row[3] == " MUST ");
    // observed, then the rule finding that failed, escaped for a cell
    CHECK(row[4] == " HTTP/1.1 400 &lt;Bad&gt; \\\\x1B\\[2J\\\\xFF<br>UPG-426-UPGRADE: got "
                    "\\\\xFF\\\\xFE \\\\xC3( and \\\\xED\\\\xA0\\\\x80 ");
    CHECK(row[5] == " [RFC6455 4.2.2](https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2), "
                    "[RFC9110 7.8](https://www.rfc-editor.org/rfc/rfc9110#section-7.8) ");
    CHECK_FALSE(line_starting(text, "| **error** | `http.upgrade.refused`").empty());
    CHECK_FALSE(line_starting(text, "| warn | `ws.origin`").empty());
}

TEST_CASE("markdown: every case in a closed details block", "[reports][markdown]") {
    const std::string text = render(test::sample_run(true));
    CHECK(contains(text, "<details><summary>All 7 cases</summary>"));
    CHECK(contains(text, "</details>"));
    CHECK(
        contains(text, "| **fail** | `ws.origin` Title of ws.origin | `REQ-ws.origin` | SHOULD |"));
    CHECK(contains(text, "| skip | `http.version.2`"));
}

TEST_CASE("markdown cells escape pipes, newlines, markup and mentions", "[reports][markdown]") {
    CHECK(markdown::cell("a|b\nc") == "a\\|b<br>c");
    CHECK(markdown::cell("line\r\nnext") == "line<br>next");
    CHECK(markdown::cell("<script>&") == "&lt;script&gt;&amp;");
    CHECK(markdown::cell("*bold* _it_ `code` [link](x) ~s~ #1 !x \\") ==
          "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\~s\\~ \\#1 \\!x \\\\");
    CHECK(markdown::cell("ping @octocat") == "ping @\u200boctocat");
    CHECK(markdown::cell(std::string("\0\x1b\xff", 3)) == "\\\\x00\\\\x1B\\\\xFF");
    CHECK(markdown::cell(std::string(50, 'a'), 10) == "aaaaaaaaaa…");
    // never cut inside a character
    CHECK(markdown::cell("aaaaaaaaa\xc3\xa9", 10) == "aaaaaaaaa…");
    CHECK(markdown::code("ws.a") == "`ws.a`");
    CHECK(markdown::code("a`b") == "a\\`b");
    CHECK(markdown::code("a|b") == "a\\|b");
}

TEST_CASE("markdown stays under its bound and says how many rows it left out",
          "[reports][markdown]") {
    for (std::size_t max : {std::size_t{6000}, std::size_t{20000}, markdown_max_bytes}) {
        const RunResult run = many_failures(3000);
        const std::string text = render(run, max);
        CHECK(text.size() <= max);
        CHECK(contains(text, "</details>"));
        // Every table that left rows out says how many, and the rows shown plus those left
        // out are all of them.
        int shown_failures = 0;
        bool in_failures = false;
        for (const auto& line : lines_of(text)) {
            if (line.rfind("### ", 0) == 0) in_failures = line.rfind("### Failures", 0) == 0;
            if (in_failures &&
                (line.rfind("| **fail** |", 0) == 0 || line.rfind("| **error** |", 0) == 0))
                ++shown_failures;
        }
        const int failures = 3000 + 2;
        const std::string note = std::to_string(failures - shown_failures) + " of " +
                                 std::to_string(failures) + " rows left out";
        CHECK(shown_failures > 0);
        CHECK(contains(text, note));
    }
}

TEST_CASE("markdown of a small run leaves nothing out", "[reports][markdown]") {
    CHECK_FALSE(contains(render(test::sample_run(false)), "left out"));
}

TEST_CASE("markdown says when the run was interrupted", "[reports][markdown]") {
    RunResult run = test::sample_run(false);
    run.interrupted = true;
    const std::string text = render(run);
    CHECK(lines_of(text)[0].rfind("## ⏹️ upgradespec: interrupted", 0) == 0);
    CHECK(contains(text, "> **Interrupted**"));
}

TEST_CASE("markdown: waived failures and stale waivers have their own tables",
          "[reports][markdown]") {
    RunResult run = test::sample_run(false);
    run.cases[1].waiver = CaseWaiver{"known | bug", "", WaiverStatus::waived};
    run.stale_waivers = {{"ws.gone", "fixed", "", false}};
    run.baseline_fingerprint = std::string(64, 'b');
    run.shard = Shard{1, 2};
    const std::string text = render(run);
    CHECK(
        contains(text, "| passed | failed | warned | info | skipped | errors | waived | total |"));
    CHECK(contains(text, "| 2 | 0 | 1 | 1 | 1 | 1 | 1 | 7 |"));
    CHECK(contains(text, "### Failures and errors (1)"));
    CHECK(contains(text, "### Waived failures (1)"));
    CHECK(contains(text, "waived: known \\| bug"));
    CHECK(contains(text, "### Stale waivers (1)"));
    CHECK(contains(text, "| `ws.gone` | not in this run | fixed |"));
    CHECK(contains(text, "shard 1 of 2"));
    CHECK(contains(text, "| waived | `ws.version`"));
}
