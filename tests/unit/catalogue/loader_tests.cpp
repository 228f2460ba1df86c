#include "catalogue/loader.hpp"
#include "cli/suite_checked.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

using namespace upgradespec;
using nlohmann::json;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using upgradespec::testing::TempDir;

namespace {

const fs::path suite_dir = SUITE_DIR;
const fs::path schema_path = suite_dir / "schema" / "case.schema.json";

json valid_case(const std::string& id = "extra.one.valid") {
    json c = json::parse(R"({
        "title": "A valid extra case",
        "requirement": "UPG-426-UPGRADE-HDR",
        "refs": ["RFC9110 15.5.22"],
        "level": "MUST",
        "send": {"template": "plain-get"},
        "outcomes": [{"verdict": "pass", "when": {"status": 200}}],
        "otherwise": {"verdict": "fail", "why": "not a 200"}
    })");
    c["id"] = id;
    return c;
}

json case_file(const std::vector<json>& cases) {
    return {{"family", "extra"}, {"title", "Extra cases"}, {"cases", cases}};
}

// The CatalogueError message of loading one case file's text, or "" when it loads.
std::string load_error(const std::string& text, const std::string& file = "extra.json") {
    try {
        load_case_file(text, file, schema_path);
    } catch (const CatalogueError& e) {
        return e.what();
    }
    return "";
}

std::string load_error(const json& doc) {
    return load_error(doc.dump());
}

// The CatalogueError message of loading the built-in suite plus one extra folder.
std::string catalogue_error(const TempDir& dir, bool include_builtin = true) {
    try {
        load_catalogue({suite_dir, {dir.path()}, include_builtin});
    } catch (const CatalogueError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("the shipped suite loads with unique ids and its families", "[loader]") {
    Catalogue catalogue = load_catalogue({suite_dir, {}});
    CHECK(catalogue.cases.size() >= 50);
    CHECK(catalogue.templates.count("plain-get") == 1);
    CHECK(catalogue.templates.count("ws-upgrade") == 1);

    std::set<std::string> ids, families;
    for (const auto& c : catalogue.cases) {
        CHECK(ids.insert(c.id).second);
        families.insert(c.family);
        CHECK_FALSE(c.title.empty());
        CHECK_FALSE(c.requirement.empty());
        CHECK_FALSE(c.refs.empty());
        CHECK_FALSE(c.outcomes.empty());
        CHECK_THAT(c.file, Contains(c.family + ".json"));
    }
    for (const char* family : {"upgrade", "version", "websocket", "websocket-frames"})
        CHECK(families.count(family) == 1);
    for (const auto& c : catalogue.cases)
        for (const auto& dep : c.depends_on)
            CHECK(ids.count(dep) == 1);
}

TEST_CASE("files load in name order, extra folders after the built-in one", "[loader]") {
    TempDir dir;
    // Several files written in reverse, so directory order is unlikely to be name order.
    const std::vector<std::string> names = {"f", "e", "d", "c", "b", "a"};
    for (const auto& name : names)
        dir.write(name + ".json", case_file({valid_case("extra.order." + name)}).dump());
    dir.write("notes.txt", "not a case file");

    Catalogue with_builtin = load_catalogue({suite_dir, {dir.path()}});
    REQUIRE(with_builtin.cases.size() >= 50 + names.size());
    std::vector<std::string> last;
    for (auto it = with_builtin.cases.end() - names.size(); it != with_builtin.cases.end(); ++it)
        last.push_back(it->id);
    CHECK(last == std::vector<std::string>{"extra.order.a", "extra.order.b", "extra.order.c",
                                           "extra.order.d", "extra.order.e", "extra.order.f"});
    CHECK(with_builtin.cases.back().family == "extra");

    Catalogue only_extra = load_catalogue({suite_dir, {dir.path()}, false});
    REQUIRE(only_extra.cases.size() == names.size());
    CHECK(only_extra.cases[0].id == "extra.order.a");
    CHECK(only_extra.templates.count("ws-upgrade") == 1);
}

TEST_CASE("every case field is read", "[loader]") {
    json c = valid_case("extra.read.all");
    c["level"] = "SHOULD";
    c["needs"] = {"websocket-endpoint"};
    c["tags"] = {"websocket", "frames"};
    c["send"] = json::parse(R"({"template": "ws-upgrade", "method": "POST", "target": "/x",
        "version": "", "set": {"Upgrade": "foo"}, "remove": ["Connection"],
        "add": ["Upgrade : websocket"], "body": "hi", "then_hex": "81 00ff"})");
    c["outcomes"] = json::parse(R"([
        {"verdict": "info", "why": "ok-ish", "when": {"status": [101, "4xx"], "not_status": 426,
         "responded": true, "closed": false, "version": "HTTP/1.1", "body_empty": true,
         "steps_ok": true, "header": {"Upgrade": {"present": true, "equals": "a", "equals_nocase": "b",
         "has_token": "c", "only_token": "d", "count": 2, "is_accept": true}}}}])");
    c["otherwise"] = json::parse(R"({"verdict": "warn", "why": "meh"})");
    c["after_101"] = json::parse(R"([
        {"send_frame": {"opcode": "ping", "payload": "p", "mask": false, "fin": false, "rsv2": true}},
        {"send_frame": {"opcode": 3, "payload_hex": "00 01"}},
        {"send_frame": {"opcode": "close", "close_code": 1000}},
        {"expect_frame": {"opcode": "pong", "payload": "p"}, "why": "no pong"},
        {"expect_close": {"close_frame": "required"}},
        {"expect_close": {}},
        {"expect_open": {"quiet_ms": 250}}])");

    auto cases = load_case_file(case_file({c}).dump(), "extra.json", schema_path);
    REQUIRE(cases.size() == 1);
    const Case& r = cases[0];
    CHECK(r.family == "extra");
    CHECK(r.file == "extra.json");
    CHECK(r.level == Level::should);
    CHECK(r.needs == std::vector<std::string>{"websocket-endpoint"});
    CHECK(r.tags == std::vector<std::string>{"websocket", "frames"});

    CHECK(r.send.template_name == "ws-upgrade");
    CHECK(r.send.raw.empty());
    CHECK(r.send.method == "POST");
    CHECK(r.send.target == "/x");
    CHECK(r.send.version == "");
    REQUIRE(r.send.set.size() == 1);
    CHECK(r.send.set[0] == std::pair<std::string, std::string>{"Upgrade", "foo"});
    CHECK(r.send.remove == std::vector<std::string>{"Connection"});
    CHECK(r.send.add == std::vector<std::string>{"Upgrade : websocket"});
    CHECK(r.send.body == "hi");
    CHECK(r.send.then_bytes == std::string("\x81\x00\xff", 3));

    REQUIRE(r.outcomes.size() == 1);
    const Outcome& o = r.outcomes[0];
    CHECK(o.verdict == Verdict::info);
    CHECK(o.why == "ok-ish");
    CHECK(o.when.http1.status == std::vector<std::string>{"101", "4xx"});
    CHECK(o.when.http1.not_status == std::vector<std::string>{"426"});
    CHECK(o.when.http1.responded == true);
    CHECK(o.when.http1.closed == false);
    CHECK(o.when.http1.version == "HTTP/1.1");
    CHECK(o.when.http1.body_empty == true);
    CHECK(o.when.steps_ok == true);
    REQUIRE(o.when.http1.headers.count("Upgrade") == 1);
    const HeaderCheck& h = o.when.http1.headers.at("Upgrade");
    CHECK(h.present == true);
    CHECK(h.equals == "a");
    CHECK(h.equals_nocase == "b");
    CHECK(h.has_token == "c");
    CHECK(h.only_token == "d");
    CHECK(h.count == 2);
    CHECK(h.is_accept == true);
    CHECK(r.otherwise.verdict == Verdict::warn);
    CHECK(r.otherwise.why == "meh");

    REQUIRE(r.after_101.size() == 7);
    const Step& ping = r.after_101[0];
    CHECK(ping.kind == Step::Kind::send_frame);
    CHECK(ping.frame.opcode == 9);
    CHECK(ping.frame.payload == "p");
    CHECK_FALSE(ping.frame.mask);
    CHECK_FALSE(ping.frame.fin);
    CHECK(ping.frame.rsv2);
    CHECK_FALSE(ping.frame.rsv1);
    CHECK(r.after_101[1].frame.opcode == 3);
    CHECK(r.after_101[1].frame.payload == std::string("\x00\x01", 2));
    CHECK(r.after_101[1].frame.mask);
    CHECK(r.after_101[2].frame.opcode == 8);
    CHECK(r.after_101[2].frame.close_code == 1000);
    CHECK(r.after_101[3].kind == Step::Kind::expect_frame);
    CHECK(r.after_101[3].opcode == 10);
    CHECK(r.after_101[3].payload == "p");
    CHECK(r.after_101[3].why == "no pong");
    CHECK(r.after_101[4].kind == Step::Kind::expect_close);
    CHECK(r.after_101[4].close_frame_required);
    CHECK_FALSE(r.after_101[5].close_frame_required);
    CHECK(r.after_101[6].kind == Step::Kind::expect_open);
    CHECK(r.after_101[6].quiet_ms == 250);
}

TEST_CASE("invalid JSON names the file and the position", "[loader][errors]") {
    std::string message = load_error("{\"family\": \"extra\",\n  \"title\": }", "mine.json");
    CHECK_THAT(message, Contains("mine.json"));
    CHECK_THAT(message, Contains("not valid JSON"));
    CHECK_THAT(message, Contains("line 2, column 12"));

    TempDir dir;
    dir.write("broken.json", "[1, 2");
    CHECK_THAT(catalogue_error(dir), Contains(dir.file("broken.json")));
}

TEST_CASE("schema errors name the file, the case and the field", "[loader][errors]") {
    SECTION("a missing required field") {
        json c = valid_case();
        c.erase("requirement");
        std::string message = load_error(case_file({c}));
        CHECK_THAT(message, Contains("extra.json"));
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("field cases[0]"));
        CHECK_THAT(message, Contains("'requirement'"));
    }
    SECTION("a case without an id is named by its index") {
        json c = valid_case();
        c.erase("id");
        std::string message = load_error(case_file({valid_case("extra.one.first"), c}));
        CHECK_THAT(message, Contains("extra.json: cases[1]"));
        CHECK_THAT(message, Contains("'id'"));
    }
    SECTION("a wrong type") {
        json c = valid_case();
        c["tags"] = "websocket";
        std::string message = load_error(case_file({c}));
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("cases[0].tags"));
    }
    SECTION("an unknown property") {
        json c = valid_case();
        c["send"]["colour"] = "red";
        std::string message = load_error(case_file({c}));
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("field cases[0].send"));
        CHECK_THAT(message, Contains("'colour'"));
    }
    SECTION("a bad status pattern") {
        json c = valid_case();
        c["outcomes"][0]["when"]["status"] = "4x";
        std::string message = load_error(case_file({c}));
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("cases[0].outcomes[0].when.status"));
    }
    SECTION("then_hex with a character that is not hex") {
        json c = valid_case();
        c["send"]["then_hex"] = "81 zz";
        std::string message = load_error(case_file({c}));
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("field cases[0].send.then_hex"));
    }
    SECTION("a bad top-level family name") {
        json doc = case_file({valid_case()});
        doc["family"] = "Extra Cases";
        CHECK_THAT(load_error(doc), Contains("field family"));
    }
}

TEST_CASE("then_hex with an odd digit count names the field", "[loader][errors]") {
    json c = valid_case();
    c["send"]["then_hex"] = "81 0";
    std::string message = load_error(case_file({c}));
    CHECK_THAT(message, Contains("extra.json"));
    CHECK_THAT(message, Contains("case \"extra.one.valid\""));
    CHECK_THAT(message, Contains("field send.then_hex"));
}

// Found by the case_loader fuzz target
// (tests/fuzz/corpus/case_loader/regression-long-then-hex.json): the schema's hex pattern,
// ^[0-9a-fA-F ]*$, ran std::regex over the payload, recursing once per character, and a long
// payload overflowed the stack.
TEST_CASE("a long then_hex loads", "[loader]") {
    TempDir dir;
    dir.write("big.json",
              R"({"family":"big","title":"Large requests","cases":[{"id":"big.declined-upgrade.)"
              R"(large-body","requirement":"UPG-READ-BODY-OR-CLOSE","title":"A declined upgrade )"
              R"(with a 32 KiB body gets an answer","refs":["RFC9112 9.3"],"level":"MUST","tags":)"
              R"(["upgrade"],"send":{"template":"plain-get","method":"POST","set":{"Upgrade":)"
              R"("foo/1.0","Connection":"upgrade","Content-Length":"32768"},"then_hex":")" +
                  std::string(2 * 32768, '7') +
                  R"("},"outcomes":[{"verdict":"pass","when":{"responded":true}}],"otherwise":)"
                  R"({"verdict":"warn","why":"no answer to a POST with a 32 KiB body"}}]})");
    Catalogue catalogue = load_catalogue({suite_dir, {dir.path()}, false});
    REQUIRE(catalogue.cases.size() == 1);
    CHECK(catalogue.cases[0].send.then_bytes == std::string(32768, '\x77'));
}

TEST_CASE("cross-case errors name the file, the case and the field", "[loader][errors]") {
    TempDir dir;
    SECTION("an unknown template") {
        json c = valid_case();
        c["send"]["template"] = "no-such-template";
        dir.write("extra.json", case_file({c}).dump());
        std::string message = catalogue_error(dir);
        CHECK_THAT(message, Contains(dir.file("extra.json")));
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("send.template"));
        CHECK_THAT(message, Contains("no-such-template"));
    }
    SECTION("a duplicate id across two files") {
        dir.write("a.json", case_file({valid_case("extra.twice.same")}).dump());
        dir.write("b.json", case_file({valid_case("extra.twice.same")}).dump());
        std::string message = catalogue_error(dir, false);
        CHECK_THAT(message, Contains(dir.file("b.json")));
        CHECK_THAT(message, Contains(dir.file("a.json")));
        CHECK_THAT(message, Contains("case \"extra.twice.same\""));
        CHECK_THAT(message, Contains("field id: already used in"));
    }
    SECTION("an id that repeats a built-in case") {
        dir.write("a.json", case_file({valid_case("ws.handshake.baseline")}).dump());
        std::string message = catalogue_error(dir);
        CHECK_THAT(message, Contains(dir.file("a.json")));
        CHECK_THAT(message, Contains("websocket.json"));
        CHECK_THAT(message, Contains("field id"));
    }
    SECTION("a depends_on naming an unknown id") {
        json c = valid_case();
        c["depends_on"] = {"extra.no.such-case"};
        dir.write("extra.json", case_file({c}).dump());
        std::string message = catalogue_error(dir);
        CHECK_THAT(message, Contains(dir.file("extra.json")));
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("depends_on"));
        CHECK_THAT(message, Contains("extra.no.such-case"));
    }
    SECTION("a case depending on itself") {
        json c = valid_case();
        c["depends_on"] = {"extra.one.valid"};
        dir.write("extra.json", case_file({c}).dump());
        CHECK_THAT(catalogue_error(dir), Contains("depends_on"));
    }
    SECTION("same_status_as naming a case outside depends_on") {
        json c = valid_case();
        c["outcomes"].push_back(
            {{"verdict", "pass"}, {"when", {{"same_status_as", "upg.plain.baseline"}}}});
        dir.write("extra.json", case_file({c}).dump());
        std::string message = catalogue_error(dir);
        CHECK_THAT(message, Contains("case \"extra.one.valid\""));
        CHECK_THAT(message, Contains("same_status_as"));
        CHECK_THAT(message, Contains("is not in depends_on"));
        c["depends_on"] = {"upg.plain.baseline"};
        dir.write("extra.json", case_file({c}).dump());
        CHECK(catalogue_error(dir).empty());
    }
    SECTION("a depends_on naming a built-in case loads") {
        json c = valid_case();
        c["depends_on"] = {"ws.handshake.baseline"};
        dir.write("extra.json", case_file({c}).dump());
        CHECK(catalogue_error(dir).empty());
    }
}

TEST_CASE("a missing extra folder is an error", "[loader][errors]") {
    fs::path missing = fs::temp_directory_path() / "upgradespec-no-such-folder-4711";
    try {
        load_catalogue({suite_dir, {missing}});
        FAIL("no error for a missing folder");
    } catch (const CatalogueError& e) {
        CHECK_THAT(e.what(), Contains(missing.string()));
    }
}

namespace {

json intermediary_case() {
    json c = valid_case("extra.proxy.case");
    c["needs"] = {"backend"};
    c["send"]["add"] = {"Upgradespec-Case: {nonce}"};
    c["backend"] = json::parse(R"({
        "answers": [{"if_field": "Upgrade", "respond": "HTTP/1.1 101 Switching Protocols\r\n\r\n"},
                    {"close": true}],
        "marker": "SMUGGLED {nonce}"})");
    c["after_101"] =
        json::parse(R"([{"leg": "backend", "send_frame": {"opcode": "text", "mask": false}},
                                     {"close": {}}])");
    return c;
}

} // namespace

TEST_CASE("an intermediary case's backend part and legs are read", "[loader][intermediary]") {
    const auto cases =
        load_case_file(case_file({intermediary_case()}).dump(), "extra.json", schema_path);
    REQUIRE(cases.size() == 1);
    const Case& c = cases.front();
    REQUIRE(c.backend);
    REQUIRE(c.backend->answers.size() == 2);
    CHECK(c.backend->answers[0].if_field == "Upgrade");
    CHECK(c.backend->answers[0].respond == "HTTP/1.1 101 Switching Protocols\r\n\r\n");
    CHECK(c.backend->answers[1].close);
    CHECK(c.backend->marker == "SMUGGLED {nonce}");
    REQUIRE(c.after_101.size() == 2);
    CHECK(c.after_101[0].leg == Leg::backend);
    CHECK_FALSE(c.after_101[0].frame.mask);
    CHECK(c.after_101[1].leg == Leg::client);
    CHECK(c.after_101[1].kind == Step::Kind::close_connection);
}

TEST_CASE(
    "an intermediary case must tag its request, need the backend, and keep backend steps simple",
    "[loader][intermediary][errors]") {
    SECTION("no tag line") {
        json c = intermediary_case();
        c["send"]["add"] = json::array();
        std::string message = load_error(case_file({c}));
        CHECK_THAT(message, Contains("case \"extra.proxy.case\""));
        CHECK_THAT(message, Contains("field send"));
        CHECK_THAT(message, Contains("Upgradespec-Case: {nonce}"));
    }
    SECTION("a backend part without the need") {
        json c = intermediary_case();
        c.erase("needs");
        CHECK_THAT(load_error(case_file({c})), Contains("field needs"));
    }
    SECTION("the need without a backend part") {
        json c = valid_case();
        c["needs"] = {"backend"};
        CHECK_THAT(load_error(case_file({c})), Contains("field needs"));
    }
    SECTION("a backend step in a case without a backend part") {
        json c = valid_case();
        c["after_101"] = json::parse(R"([{"leg": "backend", "close": {}}])");
        CHECK_THAT(load_error(case_file({c})), Contains("needs a backend part"));
    }
    SECTION("an HTTP/2 step on the backend leg") {
        json c = intermediary_case();
        c["after_101"] = json::parse(R"([{"leg": "backend", "h2_preface": {}}])");
        CHECK_THAT(load_error(case_file({c})), Contains("the backend leg runs only"));
    }
    SECTION("an answer that neither responds nor closes") {
        json c = intermediary_case();
        c["backend"]["answers"] = json::parse(R"([{"if_field": "Upgrade"}])");
        CHECK_THAT(load_error(case_file({c})), Contains("cases[0].backend.answers[0]"));
    }
}

namespace {

// A copy of the shipped suite (templates, requirements, case files and schemas) to change.
void copy_suite(const TempDir& dir) {
    fs::copy(suite_dir, dir.path(), fs::copy_options::recursive);
}

CatalogueSources trusting_the_build(const fs::path& builtin) {
    return {builtin, {}, true, suite_checked_at_build()};
}

// The shipped files the loader validates: the requirements and every case file.
std::size_t shipped_files() {
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(suite_dir))
        files += entry.path().extension() == ".json" && entry.path().filename() != "templates.json";
    return files;
}

} // namespace

TEST_CASE("the shipped suite, validated when the runner was built, is not validated again",
          "[loader][trust]") {
    CHECK(load_catalogue({suite_dir, {}}).validated_keys.size() == shipped_files());
    CHECK(load_catalogue(trusting_the_build(suite_dir)).validated_keys.empty());
}

TEST_CASE("a changed file or a changed schema is validated again", "[loader][trust]") {
    TempDir dir;
    copy_suite(dir);
    const fs::path upgrade = dir.path() / "upgrade.json";
    SECTION("a case file changed in its layout only is validated, alone") {
        dir.write("upgrade.json", json::parse(std::ifstream(upgrade)).dump(2));
        auto keys = load_catalogue(trusting_the_build(dir.path())).validated_keys;
        CHECK(keys.size() == 1);
    }
    SECTION(
        "a case file changed against its schema is refused, though the shipped one is trusted") {
        json doc = json::parse(std::ifstream(upgrade));
        doc["cases"][0]["unknown_member"] = true;
        dir.write("upgrade.json", doc.dump());
        CHECK_THROWS_WITH(load_catalogue(trusting_the_build(dir.path())),
                          Contains("upgrade.json") && Contains("unknown_member"));
    }
    SECTION("a changed case schema validates every case file again") {
        const fs::path schema = dir.path() / "schema" / "case.schema.json";
        dir.write("schema/case.schema.json", json::parse(std::ifstream(schema)).dump(1));
        auto keys = load_catalogue(trusting_the_build(dir.path())).validated_keys;
        CHECK(keys.size() == shipped_files() - 1); // all but requirements.json
    }
}
