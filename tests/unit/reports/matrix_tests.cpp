#include "reports/matrix.hpp"

#include "html_dom.hpp"
#include "sample_run.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace upgradespec;
using namespace upgradespec::test;

namespace {

CaseResult passing(std::string id, std::string family) {
    CaseResult c;
    c.id = std::move(id);
    c.title = "Title of " + c.id;
    c.family = std::move(family);
    c.requirement = "REQ-" + c.id;
    c.verdict = Verdict::pass;
    return c;
}

RunResult run_of(std::string target, std::vector<CaseResult> cases) {
    RunResult run;
    run.target = std::move(target);
    run.cases = std::move(cases);
    return run;
}

// Two targets: "good" passes everything; "bad<x>" fails ws.version and lacks h2c.settings.
std::vector<NamedRun> two_targets() {
    std::vector<CaseResult> good{
        passing("ws.accept", "websocket"), passing("ws.version", "websocket"),
        passing("ver.http10", "http-version"), passing("h2c.settings", "h2c")};
    std::vector<CaseResult> bad = good;
    bad[1].verdict = Verdict::fail;
    bad.pop_back();
    return {{"good", run_of("ws://127.0.0.1:1/ws", good), "report.good.html"},
            {"bad<x>", run_of("ws://127.0.0.1:2/ws", bad), ""}};
}

std::string html_of(const std::vector<NamedRun>& runs) {
    std::ostringstream out;
    write_matrix_html(runs, out);
    return out.str();
}

std::string markdown_of(const std::vector<NamedRun>& runs,
                        std::size_t max_bytes = markdown_max_bytes) {
    std::ostringstream out;
    write_matrix_markdown(runs, out, max_bytes);
    return out.str();
}

std::vector<std::string> cell_texts(xmlNode* row) {
    std::vector<std::string> texts;
    for (xmlNode* n = row->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE) texts.push_back(text_of(n));
    return texts;
}

} // namespace

TEST_CASE("matrix html: a row per case, a column per target", "[reports][matrix]") {
    auto doc = parse_html(html_of(two_targets()));
    REQUIRE(doc);
    xmlNode* version = by_id(doc, "case-ws.version");
    REQUIRE(version);
    CHECK(attribute(version, "class") == "case differs");
    auto cells = cell_texts(version);
    REQUIRE(cells.size() == 5);
    CHECK(cells[3] == "pass");
    CHECK(cells[4] == "fail");

    xmlNode* accept = by_id(doc, "case-ws.accept");
    REQUIRE(accept);
    CHECK(attribute(accept, "class") == "case");
    CHECK(attribute(accept, "data-verdicts") == "pass");

    // A case one target did not run shows as missing there.
    xmlNode* settings = by_id(doc, "case-h2c.settings");
    REQUIRE(settings);
    CHECK(attribute(settings, "class") == "case differs");
    CHECK(cell_texts(settings)[4] == "—");

    // The target's name is escaped; cells link to the target's report when there is one.
    auto heads = named(doc, "th");
    bool found_name = false;
    for (xmlNode* th : heads)
        found_name |= text_of(th) == "bad<x>";
    CHECK(found_name);
    std::vector<std::string> links;
    each_element(version->children, [&](xmlNode* n) {
        if (node_name(n) == "a") links.push_back(attribute(n, "href"));
    });
    CHECK(links == std::vector<std::string>{"report.good.html#case-ws.version"});
}

TEST_CASE("matrix html: families group the rows, in order", "[reports][matrix]") {
    auto doc = parse_html(html_of(two_targets()));
    REQUIRE(doc);
    std::vector<std::string> order;
    for (xmlNode* tr : named(doc, "tr")) {
        if (attribute(tr, "class") == "family") order.push_back("family:" + cell_texts(tr)[0]);
        if (attribute(tr, "class").rfind("case", 0) == 0) order.push_back(attribute(tr, "id"));
    }
    CHECK(order == std::vector<std::string>{"family:websocket", "case-ws.accept", "case-ws.version",
                                            "family:http-version", "case-ver.http10", "family:h2c",
                                            "case-h2c.settings"});
    xmlNode* websocket = by_id(doc, "family-websocket");
    REQUIRE(websocket);
    CHECK(cell_texts(websocket->parent) ==
          std::vector<std::string>{"websocket", "2/2 passed", "1/2 passed"});
}

TEST_CASE("matrix html: totals per target", "[reports][matrix]") {
    auto doc = parse_html(html_of(two_targets()));
    REQUIRE(doc);
    auto totals = elements(doc, [](xmlNode* n) { return has_attribute(n, "data-count"); });
    REQUIRE(totals.size() == 8);
    CHECK(attribute(totals[0], "data-count") == "passed");
    CHECK(cell_texts(totals[0]) == std::vector<std::string>{"passed", "4", "2"});
    CHECK(attribute(totals[1], "data-count") == "failed");
    CHECK(cell_texts(totals[1]) == std::vector<std::string>{"failed", "0", "1"});
    CHECK(attribute(totals[6], "data-count") == "waived");
    CHECK(attribute(totals[7], "data-count") == "exit-code");
    CHECK(cell_texts(totals[7]) == std::vector<std::string>{"exit code", "0", "1"});
    CHECK(named(doc, "script").size() == 1);
    for (xmlNode* n : elements(doc, [](xmlNode*) { return true; }))
        CHECK_FALSE(has_attribute(n, "src"));
}

TEST_CASE("matrix markdown: family rows, a verdict per cell and totals", "[reports][matrix]") {
    const std::string text = markdown_of(two_targets());
    CHECK(contains(text, "## upgradespec matrix: 4 cases × 2 targets"));
    CHECK(contains(text, "| case | level | good | bad&lt;x&gt; |"));
    CHECK(contains(text, "| **websocket** | | | |"));
    CHECK(contains(text, "| `ws.accept` | MUST | pass | pass |"));
    CHECK(contains(text, "| `ws.version` | MUST | pass | **fail** |"));
    CHECK(contains(text, "| `h2c.settings` | MUST | pass | — |"));
    CHECK(contains(text, "| **totals** | | 4 passed | 2 passed, 1 failed |"));
    CHECK(contains(text, "| good | ws://127.0.0.1:1/ws | passed (exit 0) | 4 passed |"));
    CHECK(text.find("| **websocket**") < text.find("| **http-version**"));
    CHECK(text.find("| **http-version**") < text.find("| **h2c**"));
}

TEST_CASE("matrix markdown stays under its bound", "[reports][matrix]") {
    std::vector<CaseResult> cases;
    for (int i = 0; i < 3000; ++i)
        cases.push_back(passing("ws.case." + std::to_string(i), "websocket"));
    std::vector<NamedRun> runs{{"a", run_of("ws://a/", cases), ""},
                               {"b", run_of("ws://b/", cases), ""}};
    const std::string text = markdown_of(runs, 8000);
    CHECK(text.size() <= 8000);
    CHECK(contains(text, "rows left out"));
    CHECK(contains(text, "| **totals** | | 3000 passed | 3000 passed |"));

    // Many targets with long names: the heads and totals grow with them, the bound holds.
    std::vector<NamedRun> many;
    for (int i = 0; i < 20; ++i)
        many.push_back({std::string(60, 'n') + std::to_string(i), run_of("ws://x/", cases), ""});
    many.back().run.cases[7].verdict = Verdict::fail;
    const std::string wide = markdown_of(many, 20000);
    CHECK(wide.size() <= 20000);
    CHECK(contains(wide, "rows left out"));
    CHECK(contains(wide, "</details>"));
}

TEST_CASE("matrix: a waived failure shows as waived", "[reports][matrix]") {
    auto runs = two_targets();
    runs[1].run.cases[1].waiver = CaseWaiver{"known", "", WaiverStatus::waived};
    auto doc = parse_html(html_of(runs));
    REQUIRE(doc);
    xmlNode* version = by_id(doc, "case-ws.version");
    REQUIRE(version);
    CHECK(cell_texts(version)[4] == "waived");
    CHECK(attribute(version, "data-verdicts") == "pass waived");
    CHECK(contains(markdown_of(runs), "| `ws.version` | MUST | pass | waived |"));
    CHECK(contains(markdown_of(runs), "| 2 passed, 1 waived |"));
}

TEST_CASE("matrix markdown: the differing cases first", "[reports][matrix]") {
    const std::string text = markdown_of(two_targets());
    const auto differ = text.find("### Where the targets differ (2)");
    const auto details = text.find("<details><summary>Every case, by family</summary>");
    REQUIRE(differ != std::string::npos);
    REQUIRE(details != std::string::npos);
    const std::string first = text.substr(differ, details - differ);
    CHECK(contains(first, "| `ws.version` | MUST | pass | **fail** |"));
    CHECK(contains(first, "| `h2c.settings` | MUST | pass | — |"));
    CHECK_FALSE(contains(first, "ws.accept"));
    CHECK(contains(text.substr(details), "</details>"));
}
