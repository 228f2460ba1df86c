#include "reports/json_read.hpp"

#include "catalogue/json_input.hpp"
#include "catalogue/requirement_json.hpp"
#include "encoding/base64.hpp"

#include <cmath>
#include <string_view>

namespace upgradespec {

namespace {

using nlohmann::json;

std::chrono::microseconds from_ms(const json& ms) {
    return std::chrono::microseconds(std::llround(ms.get<double>() * 1000.0));
}

std::string text_or_empty(const json& value) {
    return value.is_null() ? "" : value.get<std::string>();
}

Direction direction(const std::string& name) {
    for (auto d : {Direction::sent, Direction::received, Direction::eof, Direction::reset})
        if (to_string(d) == name) return d;
    return Direction::note;
}

TranscriptEvent read_event(const json& e) {
    TranscriptEvent event;
    event.direction = direction(e["direction"]);
    event.offset = from_ms(e["offset_ms"]);
    if (e.value("leg", "") == "backend") event.leg = Leg::backend;
    if (e.contains("base64")) // check_consistency has checked it decodes
        event.bytes = base64_decode(e["base64"].get<std::string>(), PadBits::any).value_or("");
    else if (event.direction == Direction::note)
        event.bytes = e["text"]; // a note is text: its printable form is all the report keeps
    return event;
}

CaseResult read_case(const json& j) {
    CaseResult c;
    c.id = j["id"];
    c.title = j["title"];
    c.family = j["family"];
    c.requirement = j["requirement"];
    c.level = *parse_level(j["level"].get<std::string>());
    c.refs = j["refs"].get<std::vector<std::string>>();
    c.tags = j["tags"].get<std::vector<std::string>>();
    c.depends_on = j.value("depends_on", std::vector<std::string>{});
    c.verdict = *parse_verdict(j["raw_verdict"].get<std::string>());
    for (const auto& f : j["findings"])
        c.findings.push_back({f["requirement"], *parse_verdict(f["verdict"].get<std::string>()),
                              f["message"], text_or_empty(f["rule"])});
    c.expected = j["expected"];
    c.observed = j["observed"];
    for (const auto& e : j["transcript"])
        c.transcript.push_back(read_event(e));
    if (j.contains("started_ms")) c.started = from_ms(j["started_ms"]); // older reports lack it
    c.duration = from_ms(j["duration_ms"]);
    c.deadline_waits = j["deadline_waits"];
    if (j.contains("waiver")) {
        const json& w = j["waiver"];
        c.waiver = CaseWaiver{w["reason"], text_or_empty(w["expires"]),
                              *parse_waiver_status(w["status"].get<std::string>())};
    }
    return c;
}

// What the schema cannot say: a shard index within its count, a verdict consistent with strict,
// transcript bytes in base64 (a schema pattern would run std::regex, which recurses once per
// character: a long transcript overflowed the stack).
void check_consistency(const json& doc, const std::string& file) {
    const json& shard = doc["shard"];
    if (!shard.is_null() && shard["index"].get<int>() > shard["count"].get<int>())
        input_error(file, "shard.index",
                    std::to_string(shard["index"].get<int>()) + " is more than shard.count " +
                        std::to_string(shard["count"].get<int>()));
    for (std::size_t i = 0; i < doc["cases"].size(); ++i) {
        const json& c = doc["cases"][i];
        const bool strict_warn = doc["strict"] == true && c["raw_verdict"] == "warn";
        const std::string expected = strict_warn ? "fail" : c["raw_verdict"].get<std::string>();
        if (c["verdict"] != expected)
            input_error(file, "cases[" + std::to_string(i) + "].verdict",
                        "\"" + c["verdict"].get<std::string>() + "\" does not follow from " +
                            "raw_verdict \"" + c["raw_verdict"].get<std::string>() + "\"");
        for (std::size_t k = 0; k < c["transcript"].size(); ++k) {
            const json& event = c["transcript"][k];
            // The pad bits need not be zero (the writer's are), as the schema's pattern allowed.
            if (event.contains("base64") &&
                !base64_decode(event["base64"].get<std::string>(), PadBits::any))
                input_error(file,
                            "cases[" + std::to_string(i) + "].transcript[" + std::to_string(k) +
                                "].base64",
                            "not padded base64 (RFC 4648 4)");
        }
    }
}

} // namespace

RunResult run_from_json(const json& doc, const std::filesystem::path& schema_path,
                        const std::string& file) {
    check_schema(doc, schema_path, file);
    check_consistency(doc, file);
    RunResult run;
    run.tool_version = doc["tool"]["version"];
    run.target = doc["target"];
    run.started_at = doc["started_at"];
    run.duration = from_ms(doc["duration_ms"]);
    run.strict = doc["strict"];
    run.interrupted = doc["interrupted"];
    run.target_problem = text_or_empty(doc["target_problem"]);
    run.detected = doc["detected"].get<std::vector<std::string>>();
    run.catalogue_fingerprint = text_or_empty(doc["catalogue_fingerprint"]);
    run.selection_size = doc["selection_size"];
    if (!doc["shard"].is_null()) run.shard = Shard{doc["shard"]["index"], doc["shard"]["count"]};
    run.baseline_fingerprint = text_or_empty(doc["baseline_fingerprint"]);
    for (const auto& w : doc["stale_waivers"])
        run.stale_waivers.push_back(
            {w["case"], w["reason"], text_or_empty(w["expires"]), w["why"] == "passes"});
    for (const auto& [id, r] : doc["requirements"].items())
        run.requirements.emplace(id, requirement_from_json(id, r));
    for (const auto& c : doc["cases"])
        run.cases.push_back(read_case(c));
    return run;
}

RunResult read_json_report(const std::filesystem::path& file,
                           const std::filesystem::path& schema_path) {
    return run_from_json(read_json_file(file), schema_path, file.string());
}

} // namespace upgradespec
