#include "cli/gate_commands.hpp"

#include "catalogue/json_input.hpp"
#include "cli/terminal.hpp"
#include "encoding/utc_time.hpp"
#include "gate/compare.hpp"
#include "gate/merge.hpp"
#include "gate/shard.hpp"
#include "model/usage_error.hpp"
#include "reports/comparison.hpp"
#include "reports/console.hpp"
#include "reports/json_read.hpp"
#include "reports/report_set.hpp"

#include <iostream>

namespace upgradespec {

namespace fs = std::filesystem;

namespace {

int merge(const GateOptions& g, const fs::path& schema_dir) {
    std::vector<ShardReport> reports;
    for (const auto& file : g.merge_inputs)
        reports.push_back({file, read_json_report(file, schema_dir / "report.schema.json")});
    RunResult merged = merge_runs(reports);
    const bool written = write_report_set(
        merged, {g.merge_junit, g.merge_json, g.merge_html, g.merge_markdown}, std::cerr);
    ConsoleReporter console(std::cout, {.color = stdout_wants_color(), .verbose = false});
    console.run_finished(merged);
    const int code = exit_code(merged);
    return written || code != 0 ? code : 3;
}

int compare(const GateOptions& g, const fs::path& schema_dir) {
    const fs::path schema = schema_dir / "report.schema.json";
    const RunResult before = read_json_report(g.compare_old, schema);
    const RunResult after = read_json_report(g.compare_new, schema);
    const Comparison comparison = compare_runs(before, after, g.compare_old, g.compare_new);
    write_comparison_text(comparison, std::cout);
    const bool written = write_report_file(
        g.compare_markdown, [&](std::ostream& out) { write_comparison_markdown(comparison, out); },
        std::cerr);
    return written ? comparison_exit_code(comparison) : 2;
}

} // namespace

void define_gate(CLI::App& app, GateOptions& g) {
    app.add_option("--shard", g.shard,
                   "run part K of N of the selected cases (the same case always lands in the "
                   "same part; the cases it depends on run too, reported by their own part); "
                   "combine the reports with merge")
        ->type_name("K/N");
    app.add_option("--baseline", g.baseline,
                   "waivers of known failures (JSON, suite/schema/baseline.schema.json): a waived "
                   "failure does not fail the run")
        ->type_name("FILE");
    app.add_option("--update-baseline", g.update_baseline,
                   "write this run's failures to FILE as a baseline (keeping the reasons and "
                   "expiry dates of --baseline's waivers that still hold)")
        ->type_name("FILE");

    auto* merge = app.add_subcommand(
        "merge", "combine the JSON reports of a sharded run (--shard K/N) into one run's reports");
    merge->add_option("reports", g.merge_inputs, "the shards' JSON reports, every shard once")
        ->required();
    merge->add_option("--junit", g.merge_junit, "write the merged JUnit XML report to PATH")
        ->type_name("PATH");
    merge->add_option("--json", g.merge_json, "write the merged JSON report to PATH")
        ->type_name("PATH");
    merge->add_option("--markdown", g.merge_markdown, "write the merged Markdown summary to PATH")
        ->type_name("PATH");
    merge->add_option("--html", g.merge_html, "write the merged HTML report to PATH")
        ->type_name("PATH");

    auto* compare = app.add_subcommand(
        "compare", "what changed from OLD to NEW (JSON reports): regressions, fixes, new and "
                   "removed cases; exit 1 when there are regressions");
    compare->add_option("old", g.compare_old, "the earlier JSON report")->required();
    compare->add_option("new", g.compare_new, "the later JSON report")->required();
    compare->add_option("--markdown", g.compare_markdown, "also write the comparison as Markdown")
        ->type_name("PATH");
}

std::optional<int> run_gate_subcommand(const CLI::App& app, const GateOptions& g,
                                       const fs::path& schema_dir) {
    const bool merging = app.got_subcommand("merge"), comparing = app.got_subcommand("compare");
    if (!merging && !comparing) return std::nullopt;
    const std::string name = merging ? "merge" : "compare";
    try {
        return merging ? merge(g, schema_dir) : compare(g, schema_dir);
    } catch (const InputError& e) {
        std::cerr << "upgradespec " << name << ": " << e.what() << "\n";
    } catch (const MergeError& e) {
        std::cerr << "upgradespec merge: refused: " << e.what() << "\n";
    }
    return 2;
}

GateRun::GateRun(const GateOptions& g, const fs::path& schema_dir)
    : options_(g), today_(utc_date()) {
    if (!g.shard.empty()) shard_ = parse_shard(g.shard);
    if (g.baseline.empty()) return;
    try {
        baseline_ = load_baseline(g.baseline, schema_dir / "baseline.schema.json");
    } catch (const InputError& e) {
        throw UsageError(std::string("--baseline ") + e.what());
    }
}

std::vector<Case> GateRun::take_shard(std::vector<Case> selected) {
    selection_size_ = static_cast<int>(selected.size());
    for (const auto& c : selected)
        selected_ids_.insert(c.id);
    if (!shard_) return selected;
    ShardPlan plan = plan_shard(selected, *shard_);
    reported_ids_ = std::move(plan.reported);
    return std::move(plan.to_run);
}

bool GateRun::reports(const std::string& case_id) const {
    return !shard_ || reported_ids_.count(case_id) > 0;
}

std::string GateRun::nothing_to_run() const {
    if (!shard_ || selection_size_ == 0) return "no case selected";
    return "shard " + options_.shard + " holds none of the " + std::to_string(selection_size_) +
           " selected cases";
}

CaseResult GateRun::shown(const CaseResult& c, bool strict) const {
    CaseResult copy = c;
    if (!options_.baseline.empty()) apply_waiver(copy, baseline_, strict, today_);
    return copy;
}

void GateRun::finish(RunResult& run, const Catalogue& catalogue) const {
    run.catalogue_fingerprint = catalogue.fingerprint;
    run.selection_size = selection_size_;
    run.shard = shard_;
    std::erase_if(run.cases, [&](const CaseResult& c) { return !reports(c.id); });
    if (options_.baseline.empty()) return;
    apply_baseline(run, baseline_, today_);
    // A waiver for a case of another shard is not stale: that shard judges it.
    std::erase_if(run.stale_waivers, [&](const StaleWaiver& w) {
        return !w.in_run && selected_ids_.count(w.case_id);
    });
}

bool GateRun::write_updated_baseline(const RunResult& run) const {
    if (options_.update_baseline.empty()) return true;
    if (run.interrupted) {
        std::cerr << "upgradespec: " << options_.update_baseline
                  << " not updated: the run was interrupted\n";
        return true;
    }
    const Baseline next = baseline_from_run(run, baseline_, today_);
    return write_report_file(
        options_.update_baseline, [&](std::ostream& out) { write_baseline(next, out); }, std::cerr);
}

} // namespace upgradespec
