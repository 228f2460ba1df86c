#include "reports/html.hpp"

#include "encoding/utf8.hpp"
#include "html_dom.hpp"
#include "sample_run.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <sstream>

using namespace upgradespec;
using namespace upgradespec::test;

namespace {

std::string render(const RunResult& run) {
    std::ostringstream out;
    write_html(run, out);
    return out.str();
}

// A case whose every text is an attack on the page.
CaseResult hostile_case() {
    CaseResult c;
    c.id = "ws.evil\"><script>alert(1)</script>";
    c.title = "<img src=x onerror=alert(2)> & 'quoted' \"double\"";
    c.family = "websocket<b>";
    c.requirement = "REQ-<i>";
    c.refs = {"RFC6455 4.2.2", "javascript:alert(3)"};
    c.verdict = Verdict::fail;
    c.findings = {{"UPG-426-UPGRADE", Verdict::fail, non_utf8_message + "</td></tr>", "rule.x"}};
    c.expected = "<a href=\"https://evil.example/\">click</a>";
    c.observed = hostile_bytes;
    c.transcript = {{Direction::received, std::chrono::microseconds(5),
                     hostile_bytes + "</pre></details><script>alert(4)</script>"}};
    return c;
}

const std::set<std::string> page_elements{
    "html",    "head",    "meta",   "title", "style", "body", "header", "h1", "h2",
    "p",       "section", "ul",     "li",    "span",  "dl",   "dt",     "dd", "div",
    "table",   "thead",   "tbody",  "tfoot", "tr",    "th",   "td",     "a",  "details",
    "summary", "pre",     "script", "label", "input", "br",   "strong"};

} // namespace

TEST_CASE("html report: hostile texts stay text, whatever the target sent", "[reports][html]") {
    RunResult run = sample_run(false);
    run.cases.push_back(hostile_case());
    run.target_problem = "died after <script>alert(5)</script>";
    const std::string page = render(run);

    CHECK(valid_utf8(page));
    for (char c : page) {
        const auto byte = static_cast<unsigned char>(c);
        CHECK((byte >= 0x20 || byte == '\n'));
    }

    auto doc = parse_html(page);
    REQUIRE(doc);
    // Only the page's own markup: no element came from the run's texts.
    std::set<std::string> names;
    for (xmlNode* n : elements(doc, [](xmlNode*) { return true; }))
        names.insert(node_name(n));
    for (const auto& name : names)
        CHECK(page_elements.count(name) == 1);
    CHECK(named(doc, "script").size() == 1);
    CHECK(named(doc, "img").empty());
    for (xmlNode* n : elements(doc, [](xmlNode*) { return true; }))
        for (xmlAttr* a = n->properties; a; a = a->next)
            CHECK(std::string(reinterpret_cast<const char*>(a->name)).rfind("on", 0) != 0);

    // The texts arrive as text, readable.
    xmlNode* evil = by_id(doc, "case-ws.evil\"><script>alert(1)</script>");
    REQUIRE(evil);
    const std::string text = text_of(evil);
    CHECK(text.find("<img src=x onerror=alert(2)> & 'quoted' \"double\"") != std::string::npos);
    CHECK(text.find("HTTP/1.1 400 <Bad>\\r\\nX: a&b\\x00\\x1B[31m\\xFF]]>") != std::string::npos);
    CHECK(text.find("</pre></details><script>alert(4)</script>") != std::string::npos);
    CHECK(text.find("got \\xFF\\xFE \\xC3( and \\xED\\xA0\\x80</td></tr>") != std::string::npos);
    CHECK(text_of(by_id(doc, "target-problem")) == "died after <script>alert(5)</script>");
}

TEST_CASE("html report: it fetches nothing", "[reports][html]") {
    auto doc = parse_html(render(sample_run(false)));
    REQUIRE(doc);
    for (xmlNode* n : elements(doc, [](xmlNode*) { return true; })) {
        CHECK_FALSE(has_attribute(n, "src"));
        CHECK(node_name(n) != "link");
        CHECK(node_name(n) != "img");
        CHECK(node_name(n) != "iframe");
        const std::string href = attribute(n, "href");
        if (href.empty()) continue;
        const bool local = href.front() == '#';
        const bool rfc = href.rfind("https://www.rfc-editor.org/rfc/rfc", 0) == 0;
        CHECK((local || rfc));
    }
    auto metas = elements(doc, [](xmlNode* n) {
        return node_name(n) == "meta" && attribute(n, "http-equiv") == "Content-Security-Policy";
    });
    REQUIRE(metas.size() == 1);
    CHECK(attribute(metas.front(), "content").rfind("default-src 'none';", 0) == 0);
}

TEST_CASE("html report: the summary counts are the run's", "[reports][html]") {
    for (bool strict : {false, true}) {
        const RunResult run = sample_run(strict);
        const Summary s = run.summary();
        auto doc = parse_html(render(run));
        REQUIRE(doc);
        CHECK(text_of(by_id(doc, "count-passed")) == std::to_string(s.passed));
        CHECK(text_of(by_id(doc, "count-failed")) == std::to_string(s.failed));
        CHECK(text_of(by_id(doc, "count-warned")) == std::to_string(s.warned));
        CHECK(text_of(by_id(doc, "count-skipped")) == std::to_string(s.skipped));
        CHECK(text_of(by_id(doc, "count-errors")) == std::to_string(s.errors));
        CHECK(text_of(by_id(doc, "count-total")) == "7");
        CHECK(text_of(by_id(doc, "target")) == "ws://127.0.0.1:8080/chat");
        CHECK(text_of(by_id(doc, "tool-version")) == "upgradespec 0.1.0");
        CHECK(text_of(by_id(doc, "started-at")) == "2024-05-01T10:00:00Z");
        CHECK(text_of(by_id(doc, "duration")) == "1.5 s");
        CHECK(text_of(by_id(doc, "outcome")) == "target problem (exit code 3)");
        // Under --strict the warning is a failure, and the page says why.
        xmlNode* warned = by_id(doc, "case-ws.origin");
        REQUIRE(warned);
        CHECK(attribute(warned, "data-verdicts") == (strict ? "fail" : "warn"));
        CHECK((text_of(warned).find("under --strict") != std::string::npos) == strict);
    }
}

TEST_CASE("html report: families are counted", "[reports][html]") {
    auto doc = parse_html(render(sample_run(false)));
    REQUIRE(doc);
    auto rows = elements(doc, [](xmlNode* n) { return has_attribute(n, "data-family"); });
    REQUIRE(rows.size() == 3);
    CHECK(attribute(rows[0], "data-family") == "websocket");
    CHECK(attribute(rows[1], "data-family") == "http-version");
    CHECK(attribute(rows[2], "data-family") == "h2c");
    std::vector<std::string> cells;
    for (xmlNode* n = rows[0]->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE) cells.push_back(text_of(n));
    // family, passed, failed, warned, info, skipped, errors, waived, total
    CHECK(cells == std::vector<std::string>{"websocket", "1", "1", "1", "0", "0", "0", "0", "3"});
}

TEST_CASE("html report: a case row has its requirement, links, findings and transcript",
          "[reports][html]") {
    auto doc = parse_html(render(sample_run(false)));
    REQUIRE(doc);
    xmlNode* failing = by_id(doc, "case-ws.version");
    REQUIRE(failing);
    CHECK(attribute(failing, "data-verdicts") == "fail");
    const std::string text = text_of(failing);
    CHECK(text.find("REQ-ws.version") != std::string::npos);
    CHECK(text.find("expected of ws.version") != std::string::npos);
    CHECK(text.find("rule.426-upgrade") != std::string::npos);
    std::vector<std::string> links;
    each_element(failing->children, [&](xmlNode* n) {
        if (node_name(n) == "a" && attribute(n, "href").rfind("https:", 0) == 0)
            links.push_back(attribute(n, "href"));
    });
    CHECK(links == std::vector<std::string>{"https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2",
                                            "https://www.rfc-editor.org/rfc/rfc9110#section-7.8"});
    std::vector<xmlNode*> transcripts;
    each_element(failing->children, [&](xmlNode* n) {
        if (node_name(n) == "details") transcripts.push_back(n);
    });
    REQUIRE(transcripts.size() == 1);
    CHECK(text_of(transcripts.front()).find("[+0.050ms] >>> GET / HTTP/1.1\\r\\n") !=
          std::string::npos);
}

TEST_CASE("html report: interrupted runs say so", "[reports][html]") {
    RunResult run = sample_run(false);
    run.interrupted = true;
    auto doc = parse_html(render(run));
    REQUIRE(doc);
    REQUIRE(by_id(doc, "interrupted"));
    CHECK(text_of(by_id(doc, "outcome")) == "interrupted (exit code 130)");
}

TEST_CASE("html report: an empty run is still a page", "[reports][html]") {
    RunResult run;
    run.target = "ws://x/";
    auto doc = parse_html(render(run));
    REQUIRE(doc);
    CHECK(text_of(by_id(doc, "count-total")) == "0");
    CHECK(text_of(by_id(doc, "outcome")) == "nothing judged (exit code 4)");
}

TEST_CASE("html references link to the RFC Editor's sections", "[reports][html]") {
    CHECK(html::ref_url("RFC6455 4.2.2") == "https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2");
    CHECK(html::ref_url("RFC9112 C.1") == "https://www.rfc-editor.org/rfc/rfc9112#appendix-C.1");
    CHECK(html::ref_url("RFC9113 B") == "https://www.rfc-editor.org/rfc/rfc9113#appendix-B");
    CHECK(html::ref_url("RFC2817") == "https://www.rfc-editor.org/rfc/rfc2817");
    CHECK(html::ref_url("draft-ietf-httpbis-h2c 3.1") ==
          "https://datatracker.ietf.org/doc/html/draft-ietf-httpbis-h2c#section-3.1");
    CHECK(html::ref_url("javascript:alert(1)").empty());
    CHECK(html::ref_url("RFC12x 1").empty());
    CHECK(html::ref_url("RFC6455 4.2\"onclick").empty());
    CHECK(html::ref_url("RFC6455 .4").empty());
}

TEST_CASE("html escape handles markup, quotes and bytes", "[reports][html]") {
    CHECK(html::escape("<a href=\"x\">'&'</a>") ==
          "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    CHECK(html::escape(std::string("a\0b\xff", 4)) == "a\\x00b\\xFF");
    CHECK(html::escape("caf\xc3\xa9") == "caf\xc3\xa9");
}

TEST_CASE("html report: waivers, stale waivers and the shard", "[reports][html]") {
    RunResult run = sample_run(false);
    run.cases[1].waiver = CaseWaiver{"known <bug>", "2099-01-01", WaiverStatus::waived};
    run.cases[2].waiver = CaseWaiver{"old", "2020-01-01", WaiverStatus::expired};
    run.stale_waivers = {{"ws.accept", "fixed & gone", "", true}};
    run.baseline_fingerprint = std::string(64, 'a');
    run.shard = Shard{2, 3};
    run.selection_size = 20;
    auto doc = parse_html(render(run));
    REQUIRE(doc);
    CHECK(text_of(by_id(doc, "count-waived")) == "1");
    CHECK(text_of(by_id(doc, "count-failed")) == "0");
    xmlNode* waived = by_id(doc, "case-ws.version");
    REQUIRE(waived);
    CHECK(attribute(waived, "data-verdicts") == "waived");
    CHECK(text_of(waived).find("waived by the baseline (until 2099-01-01): known <bug>") !=
          std::string::npos);
    xmlNode* expired = by_id(doc, "case-ws.origin");
    REQUIRE(expired);
    CHECK(attribute(expired, "data-verdicts") == "warn");
    CHECK(text_of(expired).find("valid through 2020-01-01: old") != std::string::npos);
    REQUIRE(by_id(doc, "stale-waivers"));
    CHECK(text_of(by_id(doc, "stale-waivers")).find("ws.accept: passes now; fixed & gone") !=
          std::string::npos);
    CHECK(text_of(by_id(doc, "shard")) == "2 of 3 (7 of 20 selected cases)");
    REQUIRE(by_id(doc, "baseline"));
}
