#include "reports/json.hpp"

#include "catalogue/requirement_json.hpp"
#include "encoding/base64.hpp"
#include "reports/by_requirement.hpp"
#include "reports/escape.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

namespace {

using nlohmann::json;

constexpr int schema_version = 3; // 2: catalogue identity, shards, waivers; 3: requirements

double milliseconds(std::chrono::microseconds d) {
    return static_cast<double>(d.count()) / 1000.0;
}

json text_list(const std::vector<std::string>& items) {
    json list = json::array();
    for (const auto& item : items)
        list.push_back(readable(item));
    return list;
}

json finding_json(const Finding& f) {
    return {{"requirement", readable(f.requirement)},
            {"verdict", to_string(f.verdict)},
            {"message", readable(f.message)},
            {"rule", f.rule.empty() ? json(nullptr) : json(readable(f.rule))}};
}

json event_json(const TranscriptEvent& e) {
    json event = {{"direction", to_string(e.direction)},
                  {"offset_ms", milliseconds(e.offset)},
                  {"text", printable(e.bytes)}};
    if (e.direction == Direction::sent || e.direction == Direction::received)
        event["base64"] = base64_encode(e.bytes);
    if (e.leg == Leg::backend) event["leg"] = to_string(e.leg);
    return event;
}

json optional_text(const std::string& text) {
    return text.empty() ? json(nullptr) : json(readable(text));
}

json waiver_json(const CaseWaiver& w) {
    return {{"reason", readable(w.reason)},
            {"expires", optional_text(w.expires)},
            {"status", to_string(w.status)}};
}

json stale_waiver_json(const StaleWaiver& w) {
    return {{"case", readable(w.case_id)},
            {"reason", readable(w.reason)},
            {"expires", optional_text(w.expires)},
            {"why", w.in_run ? "passes" : "not-in-run"}};
}

json case_json(const CaseResult& c, bool strict) {
    json findings = json::array();
    for (const auto& f : c.findings)
        findings.push_back(finding_json(f));
    json transcript = json::array();
    for (const auto& e : c.transcript)
        transcript.push_back(event_json(e));
    json doc = {{"id", readable(c.id)},
                {"title", readable(c.title)},
                {"family", readable(c.family)},
                {"requirement", readable(c.requirement)},
                {"level", to_string(c.level)},
                {"refs", text_list(c.refs)},
                {"tags", text_list(c.tags)},
                {"depends_on", text_list(c.depends_on)},
                {"verdict", to_string(effective_verdict(c, strict))},
                {"raw_verdict", to_string(c.verdict)},
                {"started_ms", milliseconds(c.started)},
                {"duration_ms", milliseconds(c.duration)},
                {"deadline_waits", c.deadline_waits},
                {"expected", readable(c.expected)},
                {"observed", readable(c.observed)},
                {"findings", std::move(findings)},
                {"transcript", std::move(transcript)}};
    if (c.waiver) doc["waiver"] = waiver_json(*c.waiver);
    return doc;
}

json summary_json(const Summary& s) {
    return {{"passed", s.passed}, {"failed", s.failed},   {"warned", s.warned},
            {"info", s.info},     {"skipped", s.skipped}, {"errors", s.errors},
            {"waived", s.waived}, {"total", s.total()}};
}

} // namespace

json to_json(const RunResult& run) {
    json cases = json::array();
    for (const auto& c : run.cases)
        cases.push_back(case_json(c, run.strict));
    json stale = json::array();
    for (const auto& w : run.stale_waivers)
        stale.push_back(stale_waiver_json(w));
    json requirements = json::object();
    for (const auto& [id, r] : run.requirements)
        requirements[id] = requirement_json(r, false);
    json broken = json::array();
    for (const auto& b : broken_requirements(run))
        broken.push_back(
            {{"requirement", readable(b.id)},
             {"verdict", to_string(b.worst)},
             {"cases", b.cases},
             {"example",
              {{"case", readable(b.example_case)}, {"message", readable(b.example_message)}}}});
    json shard =
        run.shard ? json{{"index", run.shard->index}, {"count", run.shard->count}} : json(nullptr);
    return {{"schema_version", schema_version},
            {"tool", {{"name", "upgradespec"}, {"version", readable(run.tool_version)}}},
            {"target", readable(run.target)},
            {"started_at", readable(run.started_at)},
            {"duration_ms", milliseconds(run.duration)},
            {"strict", run.strict},
            {"interrupted", run.interrupted},
            {"target_problem",
             run.target_problem.empty() ? json(nullptr) : json(readable(run.target_problem))},
            {"detected", text_list(run.detected)},
            {"catalogue_fingerprint", optional_text(run.catalogue_fingerprint)},
            {"selection_size", run.selection_size},
            {"shard", std::move(shard)},
            {"baseline_fingerprint", optional_text(run.baseline_fingerprint)},
            {"summary", summary_json(run.summary())},
            {"stale_waivers", std::move(stale)},
            {"requirements", std::move(requirements)},
            {"broken_requirements", std::move(broken)},
            {"cases", std::move(cases)}};
}

void write_json(const RunResult& run, std::ostream& out) {
    // Every string is already valid UTF-8; `replace` is a second line of defence.
    out << to_json(run).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

} // namespace upgradespec
