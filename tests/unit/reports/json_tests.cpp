#include "reports/json.hpp"

#include "encoding/base64.hpp"
#include "sample_run.hpp"

#include <catch2/catch.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <fstream>
#include <sstream>

using namespace upgradespec;
using nlohmann::json;

namespace {

json load_schema() {
    std::ifstream in(REPORT_SCHEMA_PATH);
    REQUIRE(in);
    return json::parse(in);
}

// Every schema violation, one per line; empty when the document is valid.
std::string violations(const json& document) {
    const json schema_json = load_schema();
    valijson::Schema schema;
    valijson::SchemaParser parser;
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(schema_json), schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    validator.validate(schema, valijson::adapters::NlohmannJsonAdapter(document), &results);
    std::string text;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        for (const auto& part : error.context)
            text += part;
        text += ": " + error.description + "\n";
    }
    return text;
}

} // namespace

TEST_CASE("json report validates against its schema", "[reports][json]") {
    const auto strict = GENERATE(false, true);
    RunResult run = test::sample_run(strict);
    CHECK(violations(to_json(run)) == "");
    run.target_problem = "died\xff";
    run.interrupted = true;
    CHECK(violations(to_json(run)) == "");
}

TEST_CASE("json schema rejects documents that break it", "[reports][json]") {
    const json good = to_json(test::sample_run(false));
    json bad = good;
    bad["cases"][0]["verdict"] = "maybe";
    CHECK(violations(bad) != "");
    bad = good;
    bad["surprise"] = 1;
    CHECK(violations(bad) != "");
    bad = good;
    bad["cases"][6]["transcript"][1]["base64"] = ""; // an eof has no bytes
    CHECK(violations(bad) != "");
    bad = good;
    bad["cases"][0]["transcript"][0].erase("base64");
    CHECK(violations(bad) != "");
    bad = good;
    bad["summary"].erase("total");
    CHECK(violations(bad) != "");
}

TEST_CASE("json report holds the run, summary and every case", "[reports][json]") {
    const json doc = to_json(test::sample_run(false));
    CHECK(doc["schema_version"] == 3);
    CHECK(doc["tool"] == json{{"name", "upgradespec"}, {"version", "0.1.0"}});
    CHECK(doc["target"] == "ws://127.0.0.1:8080/chat");
    CHECK(doc["started_at"] == "2024-05-01T10:00:00Z");
    CHECK(doc["duration_ms"] == 1500.0);
    CHECK(doc["strict"] == false);
    CHECK(doc["interrupted"] == false);
    CHECK(doc["target_problem"].is_null());
    CHECK(doc["summary"] == json{{"passed", 2},
                                 {"failed", 1},
                                 {"warned", 1},
                                 {"info", 1},
                                 {"skipped", 1},
                                 {"errors", 1},
                                 {"waived", 0},
                                 {"total", 7}});
    REQUIRE(doc["cases"].size() == 7);

    const json& c = doc["cases"][1];
    CHECK(c["id"] == "ws.version");
    CHECK(c["family"] == "websocket");
    CHECK(c["level"] == "MUST");
    CHECK(c["refs"] == json{"RFC6455 4.2.2", "RFC9110 7.8"});
    CHECK(c["tags"] == json{"websocket", "426"});
    CHECK(c["verdict"] == "fail");
    CHECK(c["duration_ms"] == 12.345);
    CHECK(c["deadline_waits"] == 1);
    CHECK(c["observed"] == "HTTP/1.1 400 <Bad> \\x1B[2J\\xFF");
    REQUIRE(c["findings"].size() == 3);
    CHECK(c["findings"][0]["rule"].is_null());
    CHECK(c["findings"][1] == json{{"requirement", "UPG-426-UPGRADE"},
                                   {"verdict", "fail"},
                                   {"message", "got \\xFF\\xFE \\xC3( and \\xED\\xA0\\x80"},
                                   {"rule", "rule.426-upgrade"}});
    CHECK(c["transcript"][1]["direction"] == "received");
    CHECK(c["transcript"][1]["offset_ms"] == 1234.567);
    CHECK(c["transcript"][1]["text"] ==
          "HTTP/1.1 400 <Bad>\\r\\n\nX: a&b\\x00\\x1B[31m\\xFF]]>\\r\\n\n\\r\\n\n");

    const json& h2c = doc["cases"][6];
    CHECK(h2c["transcript"][0] ==
          json{{"direction", "note"}, {"offset_ms", 0.0}, {"text", "switching to h2c"}});
    CHECK(h2c["transcript"][1] == json{{"direction", "eof"}, {"offset_ms", 9.0}, {"text", ""}});
    CHECK(h2c["transcript"][2]["direction"] == "reset");
}

TEST_CASE("json report gives effective and raw verdicts under strict", "[reports][json]") {
    const json doc = to_json(test::sample_run(true));
    CHECK(doc["strict"] == true);
    CHECK(doc["cases"][2]["verdict"] == "fail");
    CHECK(doc["cases"][2]["raw_verdict"] == "warn");
    CHECK(doc["summary"]["failed"] == 2);
    CHECK(doc["summary"]["warned"] == 0);
}

TEST_CASE("json report round-trips the exact transcript bytes through base64", "[reports][json]") {
    const RunResult run = test::sample_run(false);
    const json doc = to_json(run);
    int checked = 0;
    for (std::size_t i = 0; i < run.cases.size(); ++i) {
        const auto& events = run.cases[i].transcript;
        for (std::size_t j = 0; j < events.size(); ++j) {
            const json& event = doc["cases"][i]["transcript"][j];
            if (!event.contains("base64")) continue;
            CHECK(base64_decode(event["base64"].get<std::string>()) == events[j].bytes);
            ++checked;
        }
    }
    CHECK(checked == 4);
    CHECK(run.cases[1].transcript[1].bytes == test::hostile_bytes);
}

TEST_CASE("json base64 pads every length", "[reports][json]") {
    RunResult run;
    for (const std::string bytes : {"", "a", "ab", "abc", "abcd", "\xff\xfe\xfd\xfc\x00"}) {
        CaseResult c;
        c.id = "x";
        c.transcript = {{Direction::received, std::chrono::microseconds(1), bytes}};
        run.cases.push_back(c);
    }
    const json doc = to_json(run);
    CHECK(doc["cases"][0]["transcript"][0]["base64"] == "");
    CHECK(doc["cases"][1]["transcript"][0]["base64"] == "YQ==");
    CHECK(doc["cases"][2]["transcript"][0]["base64"] == "YWI=");
    CHECK(doc["cases"][3]["transcript"][0]["base64"] == "YWJj");
    CHECK(doc["cases"][4]["transcript"][0]["base64"] == "YWJjZA==");
    CHECK(doc["cases"][5]["transcript"][0]["base64"] == "//79/A==");
    CHECK(violations(doc) == "");
}

TEST_CASE("json output is valid UTF-8 and parses back", "[reports][json]") {
    RunResult run = test::sample_run(false);
    run.target_problem = "reset by \xc3\xa9\xff peer";
    run.cases[0].title = "caf\xc3\xa9 \xe2\x80\x94 \xff";
    // dump() without an error handler throws on invalid UTF-8.
    REQUIRE_NOTHROW(to_json(run).dump());
    std::ostringstream out;
    write_json(run, out);
    const std::string text = out.str();
    CHECK(text.substr(0, 4) == "{\n  ");
    CHECK(text.back() == '\n');
    const json back = json::parse(text);
    CHECK(back == to_json(run));
    CHECK(back["target_problem"] == "reset by \xc3\xa9\\xFF peer");
    CHECK(back["cases"][0]["title"] == "caf\xc3\xa9 \xe2\x80\x94 \\xFF");
}
