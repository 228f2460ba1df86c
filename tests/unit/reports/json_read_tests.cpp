#include "reports/json_read.hpp"

#include "catalogue/json_input.hpp"
#include "encoding/base64.hpp"
#include "reports/json.hpp"

#include "sample_run.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace upgradespec;
using nlohmann::json;

namespace {

// The sample run with gate fields, waivers, and only text that survives readable() unchanged.
RunResult clean_run(bool strict) {
    RunResult run = test::sample_run(strict);
    for (auto& c : run.cases) {
        c.observed = "observed of " + c.id;
        for (auto& f : c.findings)
            f.message = "message of " + c.id;
    }
    run.catalogue_fingerprint = std::string(64, 'e');
    run.selection_size = 12;
    run.shard = Shard{2, 3};
    run.baseline_fingerprint = std::string(64, 'b');
    run.stale_waivers = {{"gone.case", "removed", "2030-01-31", false},
                         {"ws.accept", "was broken", "", true}};
    run.cases[0].waiver = CaseWaiver{"was broken", "", WaiverStatus::stale};
    run.cases[1].waiver = CaseWaiver{"vendor bug 7", "2030-01-31", WaiverStatus::waived};
    run.cases[1].depends_on = {"ws.accept"};
    run.target_problem = "3 of 7 cases could not be judged";
    return run;
}

RunResult written_and_read(const RunResult& run) {
    std::ostringstream text;
    write_json(run, text);
    return run_from_json(json::parse(text.str()), REPORT_SCHEMA_PATH, "report.json");
}

void check_same(const CaseResult& a, const CaseResult& b) {
    INFO("case " << a.id);
    CHECK(a.id == b.id);
    CHECK(a.title == b.title);
    CHECK(a.family == b.family);
    CHECK(a.requirement == b.requirement);
    CHECK(a.level == b.level);
    CHECK(a.refs == b.refs);
    CHECK(a.tags == b.tags);
    CHECK(a.depends_on == b.depends_on);
    CHECK(a.verdict == b.verdict);
    REQUIRE(a.findings.size() == b.findings.size());
    for (std::size_t i = 0; i < a.findings.size(); ++i) {
        CHECK(a.findings[i].requirement == b.findings[i].requirement);
        CHECK(a.findings[i].verdict == b.findings[i].verdict);
        CHECK(a.findings[i].message == b.findings[i].message);
        CHECK(a.findings[i].rule == b.findings[i].rule);
    }
    CHECK(a.expected == b.expected);
    CHECK(a.observed == b.observed);
    REQUIRE(a.transcript.size() == b.transcript.size());
    for (std::size_t i = 0; i < a.transcript.size(); ++i) {
        CHECK(a.transcript[i].direction == b.transcript[i].direction);
        CHECK(a.transcript[i].offset == b.transcript[i].offset);
        CHECK(a.transcript[i].bytes == b.transcript[i].bytes);
    }
    CHECK(a.duration == b.duration);
    CHECK(a.deadline_waits == b.deadline_waits);
    REQUIRE(a.waiver.has_value() == b.waiver.has_value());
    if (a.waiver) {
        CHECK(a.waiver->reason == b.waiver->reason);
        CHECK(a.waiver->expires == b.waiver->expires);
        CHECK(a.waiver->status == b.waiver->status);
    }
}

void check_same(const RunResult& a, const RunResult& b) {
    CHECK(a.tool_version == b.tool_version);
    CHECK(a.target == b.target);
    CHECK(a.started_at == b.started_at);
    CHECK(a.duration == b.duration);
    CHECK(a.strict == b.strict);
    CHECK(a.interrupted == b.interrupted);
    CHECK(a.target_problem == b.target_problem);
    CHECK(a.catalogue_fingerprint == b.catalogue_fingerprint);
    CHECK(a.selection_size == b.selection_size);
    CHECK(a.shard == b.shard);
    CHECK(a.baseline_fingerprint == b.baseline_fingerprint);
    CHECK(a.requirements == b.requirements);
    REQUIRE(a.stale_waivers.size() == b.stale_waivers.size());
    for (std::size_t i = 0; i < a.stale_waivers.size(); ++i) {
        CHECK(a.stale_waivers[i].case_id == b.stale_waivers[i].case_id);
        CHECK(a.stale_waivers[i].reason == b.stale_waivers[i].reason);
        CHECK(a.stale_waivers[i].expires == b.stale_waivers[i].expires);
        CHECK(a.stale_waivers[i].in_run == b.stale_waivers[i].in_run);
    }
    REQUIRE(a.cases.size() == b.cases.size());
    for (std::size_t i = 0; i < a.cases.size(); ++i)
        check_same(a.cases[i], b.cases[i]);
}

std::string read_error(const json& doc) {
    try {
        run_from_json(doc, REPORT_SCHEMA_PATH, "shard.json");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("json report round trip: write, read, equal", "[reports][json_read]") {
    const bool strict = GENERATE(false, true);
    const RunResult run = clean_run(strict);
    check_same(run, written_and_read(run));

    RunResult unsharded = run;
    unsharded.shard.reset();
    unsharded.catalogue_fingerprint.clear();
    unsharded.baseline_fingerprint.clear();
    unsharded.target_problem.clear();
    unsharded.interrupted = true;
    check_same(unsharded, written_and_read(unsharded));
}

TEST_CASE("json report read back writes the same document", "[reports][json_read]") {
    // Hostile bytes too: transcripts come back exact, text as the report holds it.
    const RunResult run = test::sample_run(true);
    const json first = to_json(run);
    CHECK(to_json(written_and_read(run)) == first);
    CHECK(written_and_read(run).cases[1].transcript[1].bytes == test::hostile_bytes);
}

TEST_CASE("json report reader names the file and the field of a bad report",
          "[reports][json_read]") {
    const json good = to_json(clean_run(false));
    json bad = good;
    bad["cases"][1]["verdict"] = "maybe";
    CHECK_THAT(read_error(bad), Catch::StartsWith("shard.json: field cases[1].verdict"));
    bad = good;
    bad.erase("catalogue_fingerprint");
    CHECK_THAT(read_error(bad), Catch::Contains("shard.json: field (top level)") &&
                                    Catch::Contains("catalogue_fingerprint"));
    bad = good;
    bad["shard"]["index"] = 4;
    CHECK_THAT(read_error(bad), Catch::Contains("field shard.index: 4 is more than shard.count 3"));
    bad = good;
    bad["cases"][2]["verdict"] = "pass"; // raw warn, not strict: the verdict must be warn
    CHECK_THAT(read_error(bad), Catch::Contains("field cases[2].verdict"));
    bad = good;
    bad["cases"][1]["waiver"]["status"] = "forgiven";
    CHECK_THAT(read_error(bad), Catch::Contains("field cases[1].waiver.status"));
    bad = good;
    bad["stale_waivers"][0]["why"] = "bored";
    CHECK_THAT(read_error(bad), Catch::Contains("field stale_waivers[0].why"));
    bad = good;
    bad["cases"][1]["transcript"][1]["base64"] = "SGVsbG8";
    CHECK_THAT(read_error(bad), Catch::Contains("field cases[1].transcript[1].base64: not padded"));
    bad = good;
    bad["cases"][1]["transcript"][1]["base64"] = "SGVs bG8=";
    CHECK_THAT(read_error(bad), Catch::Contains("field cases[1].transcript[1].base64: not padded"));
    CHECK(read_error(good).empty());
}

// Found by the json_report fuzz target (tests/fuzz/corpus/json_report/regression-long-event.json):
// the schema's base64 pattern ran std::regex over the event, recursing once per character, and a
// long event overflowed the stack of merge and compare.
TEST_CASE("json report reader takes a 64 KiB transcript event", "[reports][json_read]") {
    const std::string bytes(64 * 1024, 'x');
    const std::string report =
        R"({"schema_version":3,"tool":{"name":"upgradespec","version":"0.1.0"},)"
        R"("target":"ws://127.0.0.1:8080/ws","started_at":"2026-01-01T00:00:00Z","duration_ms":1,)"
        R"("strict":false,"interrupted":false,"target_problem":null,"detected":[],)"
        R"("catalogue_fingerprint":null,"selection_size":1,"shard":null,)"
        R"("baseline_fingerprint":null,"stale_waivers":[],"summary":{"passed":1,"failed":0,)"
        R"("warned":0,"info":0,"skipped":0,"errors":0,"waived":0,"total":1},"requirements":{},)"
        R"("broken_requirements":[],"cases":[{"id":"big.request","title":"t","family":"big",)"
        R"("requirement":"UPG-READ-BODY-OR-CLOSE","level":"MUST","refs":[],"tags":[],)"
        R"("verdict":"pass","raw_verdict":"pass","duration_ms":1,"deadline_waits":0,)"
        R"("expected":"e","observed":"o","findings":[],"transcript":[)"
        R"({"direction":"sent","offset_ms":0,"text":"x","base64":")" +
        base64_encode(bytes) + R"("}]}]})";
    const RunResult run = run_from_json(json::parse(report), REPORT_SCHEMA_PATH, "big.json");
    REQUIRE(run.cases.size() == 1);
    REQUIRE(run.cases[0].transcript.size() == 1);
    CHECK(run.cases[0].transcript[0].bytes == bytes);
}

TEST_CASE("json report reader names a file it cannot read or parse", "[reports][json_read]") {
    CHECK_THROWS_WITH(read_json_report("/nonexistent/r.json", REPORT_SCHEMA_PATH),
                      Catch::Contains("/nonexistent/r.json: cannot be read"));
    CHECK_THROWS_WITH(read_json_report(REPORT_SCHEMA_PATH, REPORT_SCHEMA_PATH),
                      Catch::Contains("report.schema.json: field"));
}
