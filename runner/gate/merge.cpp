#include "gate/merge.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace upgradespec {

namespace {

std::string shown(const std::string& value) {
    return value.empty() ? "(none)" : "\"" + value + "\"";
}

std::string shard_text(const std::optional<Shard>& shard) {
    if (!shard) return "(unsharded)";
    return std::to_string(shard->index) + "/" + std::to_string(shard->count);
}

void require_same(const ShardReport& a, const ShardReport& b, const std::string& field,
                  const std::string& value_a, const std::string& value_b) {
    if (value_a == value_b) return;
    throw MergeError(a.file + " and " + b.file + " differ in field " + field + ": " +
                     shown(value_a) + " versus " + shown(value_b));
}

// Everything that makes two reports parts of one run.
void check_same_run(const ShardReport& a, const ShardReport& b) {
    require_same(a, b, "catalogue_fingerprint", a.run.catalogue_fingerprint,
                 b.run.catalogue_fingerprint);
    require_same(a, b, "target", a.run.target, b.run.target);
    require_same(a, b, "tool.version", a.run.tool_version, b.run.tool_version);
    require_same(a, b, "strict", a.run.strict ? "true" : "false", b.run.strict ? "true" : "false");
    require_same(a, b, "selection_size", std::to_string(a.run.selection_size),
                 std::to_string(b.run.selection_size));
    require_same(a, b, "baseline_fingerprint", a.run.baseline_fingerprint,
                 b.run.baseline_fingerprint);
    if (!a.run.shard || !b.run.shard)
        throw MergeError(a.file + " and " + b.file + ": field shard: " + shard_text(a.run.shard) +
                         " and " + shard_text(b.run.shard) +
                         "; only shard reports (--shard K/N) can be merged");
    require_same(a, b, "shard.count", std::to_string(a.run.shard->count),
                 std::to_string(b.run.shard->count));
}

// Every shard 1..N exactly once.
void check_shards(const std::vector<ShardReport>& reports) {
    std::map<int, const ShardReport*> by_index;
    for (const auto& r : reports) {
        auto [it, fresh] = by_index.emplace(r.run.shard->index, &r);
        if (!fresh)
            throw MergeError(it->second->file + " and " + r.file +
                             ": field shard.index: both are "
                             "shard " +
                             shard_text(r.run.shard));
    }
    const int count = reports.front().run.shard->count;
    std::string missing;
    for (int index = 1; index <= count; ++index)
        if (!by_index.count(index))
            missing +=
                (missing.empty() ? "" : ", ") + std::to_string(index) + "/" + std::to_string(count);
    if (!missing.empty())
        throw MergeError("field shard: shard " + missing + " missing (given: " +
                         std::to_string(reports.size()) + " of " + std::to_string(count) + ")");
}

// A waiver is stale for the whole run when its case passed, or when no shard ran its case.
std::vector<StaleWaiver> merged_stale_waivers(const std::vector<ShardReport>& reports,
                                              const std::set<std::string>& ids) {
    std::vector<StaleWaiver> stale;
    std::set<std::string> listed;
    for (const auto& r : reports)
        for (const auto& w : r.run.stale_waivers) {
            if (!w.in_run && ids.count(w.case_id)) continue; // another shard ran it
            if (listed.insert(w.case_id).second) stale.push_back(w);
        }
    return stale;
}

std::string joined_problems(const std::vector<ShardReport>& reports) {
    std::string problems;
    for (const auto& r : reports) {
        const std::string& p = r.run.target_problem;
        if (p.empty() || problems.find(p) != std::string::npos) continue;
        problems += (problems.empty() ? "" : "; ") + p;
    }
    return problems;
}

} // namespace

RunResult merge_runs(const std::vector<ShardReport>& reports) {
    if (reports.empty()) throw MergeError("no report to merge");
    if (reports.size() == 1 && !reports.front().run.shard) return reports.front().run;
    for (std::size_t i = 1; i < reports.size(); ++i)
        check_same_run(reports.front(), reports[i]);
    check_shards(reports);

    std::vector<const ShardReport*> ordered;
    for (const auto& r : reports)
        ordered.push_back(&r);
    std::sort(ordered.begin(), ordered.end(),
              [](auto* a, auto* b) { return a->run.shard->index < b->run.shard->index; });

    const RunResult& first = ordered.front()->run;
    RunResult merged;
    merged.tool_version = first.tool_version;
    merged.target = first.target;
    merged.strict = first.strict;
    merged.catalogue_fingerprint = first.catalogue_fingerprint;
    merged.selection_size = first.selection_size;
    merged.baseline_fingerprint = first.baseline_fingerprint;
    merged.started_at = first.started_at;
    merged.detected = first.detected;         // every shard probes the same target
    std::map<std::string, std::string> owner; // case id -> file
    for (const auto* r : ordered) {
        // Shards run side by side: the run started with the first and lasted as the longest.
        merged.started_at = std::min(merged.started_at, r->run.started_at);
        merged.duration = std::max(merged.duration, r->run.duration);
        merged.interrupted = merged.interrupted || r->run.interrupted;
        for (const auto& c : r->run.cases) {
            auto [it, fresh] = owner.emplace(c.id, r->file);
            if (!fresh)
                throw MergeError(it->second + " and " + r->file + ": field cases: case \"" + c.id +
                                 "\" is in both");
            merged.cases.push_back(c);
        }
        merged.requirements.insert(r->run.requirements.begin(), r->run.requirements.end());
    }
    merged.target_problem = joined_problems(reports);
    std::set<std::string> ids;
    for (const auto& [id, file] : owner)
        ids.insert(id);
    merged.stale_waivers = merged_stale_waivers(reports, ids);
    if (static_cast<int>(merged.cases.size()) != merged.selection_size)
        throw MergeError("field selection_size: the shards hold " +
                         std::to_string(merged.cases.size()) + " cases, the selection " +
                         std::to_string(merged.selection_size));
    return merged;
}

} // namespace upgradespec
