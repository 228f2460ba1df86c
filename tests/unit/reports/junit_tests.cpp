#include "reports/junit.hpp"

#include "sample_run.hpp"

#include <catch2/catch.hpp>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <map>
#include <memory>
#include <sstream>
#include <vector>

using namespace upgradespec;
using test::contains;

namespace {

std::string render(const RunResult& run) {
    std::ostringstream out;
    write_junit(run, out);
    return out.str();
}

using Document = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

// Parses with libxml2: null when the text is not well-formed XML.
Document parse(const std::string& xml) {
    return Document(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "junit.xml", nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING),
                    &xmlFreeDoc);
}

std::string attribute(xmlNode* node, const char* name) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
    if (!value) return "(absent)";
    std::string text(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return text;
}

std::string content(xmlNode* node) {
    xmlChar* value = xmlNodeGetContent(node);
    std::string text(value ? reinterpret_cast<const char*>(value) : "");
    xmlFree(value);
    return text;
}

bool named(xmlNode* node, std::string_view name) {
    return node->type == XML_ELEMENT_NODE && reinterpret_cast<const char*>(node->name) == name;
}

std::vector<xmlNode*> children(xmlNode* parent, std::string_view name) {
    std::vector<xmlNode*> found;
    for (xmlNode* n = parent->children; n; n = n->next)
        if (named(n, name)) found.push_back(n);
    return found;
}

xmlNode* child(xmlNode* parent, std::string_view name) {
    auto found = children(parent, name);
    return found.empty() ? nullptr : found.front();
}

std::string counts(xmlNode* node) {
    return attribute(node, "tests") + "/" + attribute(node, "failures") + "/" +
           attribute(node, "errors") + "/" + attribute(node, "skipped");
}

xmlNode* testcase(xmlNode* root, const std::string& id) {
    for (xmlNode* suite : children(root, "testsuite"))
        for (xmlNode* c : children(suite, "testcase"))
            if (attribute(c, "name").rfind(id + ": ", 0) == 0) return c;
    return nullptr;
}

std::multimap<std::string, std::string> properties(xmlNode* node) {
    std::multimap<std::string, std::string> found;
    xmlNode* list = child(node, "properties");
    if (!list) return found;
    for (xmlNode* p : children(list, "property"))
        found.emplace(attribute(p, "name"), attribute(p, "value"));
    return found;
}

// Offsets of bytes that must never reach a JUnit file raw: C0 controls other than tab, newline
// and carriage return, and every byte from 0x80 (transcripts are bytes, not UTF-8).
std::vector<std::size_t> raw_bytes(const std::string& xml) {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < xml.size(); ++i) {
        const auto c = static_cast<unsigned char>(xml[i]);
        const bool allowed_control = c == '\t' || c == '\n' || c == '\r';
        if ((c < 0x20 && !allowed_control) || c >= 0x80) found.push_back(i);
    }
    return found;
}

} // namespace

TEST_CASE("junit is well-formed pure ASCII whatever bytes the target sent", "[reports][junit]") {
    for (bool strict : {false, true}) {
        const std::string xml = render(test::sample_run(strict));
        CHECK(raw_bytes(xml).empty());
        CHECK(parse(xml) != nullptr);
    }
}

TEST_CASE("junit stays well-formed with markup and bad bytes in every attribute",
          "[reports][junit]") {
    RunResult run = test::sample_run(false);
    const std::string nasty = std::string("\"'<&>]]>\0\x1b\xff\n", 12);
    for (auto& c : run.cases) {
        c.id += nasty;
        c.title += nasty;
        c.family += nasty;
        c.requirement += nasty;
        c.refs.push_back(nasty);
        c.tags.push_back(nasty);
        c.expected += nasty;
        c.observed += nasty;
        for (auto& f : c.findings)
            f.message += nasty, f.requirement += nasty, f.rule += nasty;
    }
    run.target += nasty;
    run.started_at += nasty;
    run.tool_version += nasty;
    const std::string xml = render(run);
    CHECK(raw_bytes(xml).empty());
    Document doc = parse(xml);
    REQUIRE(doc != nullptr);
    const std::string expected_name =
        "ws.version\"'<&>]]>\\x00\\x1B\\xFF\\n: Title of ws.version\"'<&>]]>\\x00\\x1B\\xFF\\n";
    bool found = false;
    for (xmlNode* suite : children(xmlDocGetRootElement(doc.get()), "testsuite"))
        for (xmlNode* c : children(suite, "testcase"))
            found = found || attribute(c, "name") == expected_name;
    CHECK(found);
}

TEST_CASE("junit counts per family and in total", "[reports][junit]") {
    const auto strict = GENERATE(false, true);
    Document doc = parse(render(test::sample_run(strict)));
    REQUIRE(doc != nullptr);
    xmlNode* root = xmlDocGetRootElement(doc.get());
    REQUIRE(named(root, "testsuites"));
    CHECK(attribute(root, "name") == "upgradespec");
    CHECK(counts(root) == (strict ? "7/2/1/1" : "7/1/1/1"));
    CHECK(attribute(root, "time") == "1.500");

    const auto suites = children(root, "testsuite");
    REQUIRE(suites.size() == 3);
    CHECK(attribute(suites[0], "name") == "websocket");
    CHECK(counts(suites[0]) == (strict ? "3/2/0/0" : "3/1/0/0"));
    CHECK(attribute(suites[0], "time") == "0.037"); // three cases of 12.345 ms
    CHECK(attribute(suites[0], "timestamp") == "2024-05-01T10:00:00Z");
    CHECK(attribute(suites[1], "name") == "http-version");
    CHECK(counts(suites[1]) == "3/0/1/1");
    CHECK(attribute(suites[2], "name") == "h2c");
    CHECK(counts(suites[2]) == "1/0/0/0");
    CHECK(children(suites[0], "testcase").size() == 3);
    CHECK(children(suites[1], "testcase").size() == 3);

    const auto suite_properties = properties(suites[0]);
    CHECK(suite_properties.find("target")->second == "ws://127.0.0.1:8080/chat");
    CHECK(suite_properties.count("hostname") == 0);
}

TEST_CASE("junit testcases carry names, properties and their outcome", "[reports][junit]") {
    Document doc = parse(render(test::sample_run(false)));
    REQUIRE(doc != nullptr);
    xmlNode* root = xmlDocGetRootElement(doc.get());

    xmlNode* fail = testcase(root, "ws.version");
    REQUIRE(fail != nullptr);
    CHECK(attribute(fail, "classname") == "websocket");
    CHECK(attribute(fail, "name") == "ws.version: Title of ws.version");
    CHECK(attribute(fail, "time") == "0.012");
    const auto props = properties(fail);
    CHECK(props.find("requirement")->second == "REQ-ws.version");
    CHECK(props.find("level")->second == "MUST");
    CHECK(props.count("ref") == 2);
    CHECK(props.count("tag") == 2);
    xmlNode* failure = child(fail, "failure");
    REQUIRE(failure != nullptr);
    CHECK(attribute(failure, "type") == "REQ-ws.version");
    CHECK(attribute(failure, "message") == "outcome of ws.version");
    const std::string text = content(failure);
    CHECK(contains(text, "[REQ-ws.version] fail: outcome of ws.version\n"));
    CHECK(contains(text, "[UPG-426-UPGRADE] fail: got \\xFF\\xFE \\xC3( and \\xED\\xA0\\x80 "
                         "(rule.426-upgrade)\n"));
    CHECK(contains(text, "expected: expected of ws.version\n"));
    CHECK(contains(text, "observed: HTTP/1.1 400 <Bad> \\x1B[2J\\xFF\n"));
    CHECK_FALSE(contains(text, "a rule that held"));
    const std::string out = content(child(fail, "system-out"));
    CHECK(contains(out, "[+0.050ms] >>> GET / HTTP/1.1\\r\\n\n\\r\\n\n"));
    CHECK(contains(out, "[+1234.567ms] <<< HTTP/1.1 400 <Bad>\\r\\n\n"
                        "X: a&b\\x00\\x1B[31m\\xFF]]>\\r\\n\n\\r\\n\n"));

    xmlNode* error = testcase(root, "http.upgrade.refused");
    REQUIRE(error != nullptr);
    REQUIRE(child(error, "error") != nullptr);
    CHECK(attribute(child(error, "error"), "message") == "connect: connection refused");
    CHECK(child(error, "failure") == nullptr);

    xmlNode* skip = testcase(root, "http.version.2");
    REQUIRE(skip != nullptr);
    REQUIRE(child(skip, "skipped") != nullptr);
    CHECK(attribute(child(skip, "skipped"), "message") == "needs a TLS-upgrade claim");

    xmlNode* pass = testcase(root, "ws.accept");
    REQUIRE(pass != nullptr);
    CHECK(child(pass, "failure") == nullptr);
    CHECK(child(pass, "error") == nullptr);
    CHECK(child(pass, "skipped") == nullptr);

    xmlNode* h2c = testcase(root, "h2c.settings");
    REQUIRE(h2c != nullptr);
    CHECK(content(child(h2c, "system-out")) == "[+0.000ms] --- note: switching to h2c\n"
                                               "[+9.000ms] --- eof\n"
                                               "[+9.001ms] --- reset\n");
}

TEST_CASE("junit keeps warn and info as passes with their findings in system-out",
          "[reports][junit]") {
    Document doc = parse(render(test::sample_run(false)));
    REQUIRE(doc != nullptr);
    xmlNode* root = xmlDocGetRootElement(doc.get());
    for (const char* id : {"ws.origin", "http.version.09"}) {
        xmlNode* c = testcase(root, id);
        REQUIRE(c != nullptr);
        CHECK(child(c, "failure") == nullptr);
        REQUIRE(child(c, "system-out") != nullptr);
        CHECK(contains(content(child(c, "system-out")), "outcome of " + std::string(id)));
    }

    Document strict = parse(render(test::sample_run(true)));
    REQUIRE(strict != nullptr);
    xmlNode* warn = testcase(xmlDocGetRootElement(strict.get()), "ws.origin");
    REQUIRE(warn != nullptr);
    REQUIRE(child(warn, "failure") != nullptr);
    CHECK(contains(content(child(warn, "failure")), "[REQ-ws.origin] warn: outcome of ws.origin"));
}
