#pragma once
// The CI gate on the command line: --shard, --baseline, --update-baseline, and the `compare`
// and `merge` subcommands. main.cpp wires these in; the logic lives in runner/gate/.
#include "catalogue/loader.hpp"
#include "gate/baseline.hpp"
#include "model/result.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace upgradespec {

struct GateOptions {
    std::string shard;           // --shard K/N
    std::string baseline;        // --baseline FILE
    std::string update_baseline; // --update-baseline FILE
    std::vector<std::string> merge_inputs;
    std::string merge_junit, merge_json, merge_markdown, merge_html;
    std::string compare_old, compare_new, compare_markdown;
};

// Adds --shard, --baseline, --update-baseline and the subcommands compare and merge.
void define_gate(CLI::App& app, GateOptions& g);

// Runs `compare` or `merge` when one was given (its exit code), else nothing. `schema_dir` holds
// report.schema.json.
std::optional<int> run_gate_subcommand(const CLI::App& app, const GateOptions& g,
                                       const std::filesystem::path& schema_dir);

// The gate's part of a run, prepared before anything is sent (a bad baseline is a usage error).
class GateRun {
  public:
    // Throws UsageError for a bad --shard or --baseline.
    GateRun(const GateOptions& g, const std::filesystem::path& schema_dir);

    // The selected cases this run runs: all of them without --shard, else the shard's cases and
    // the cases they depend on. Remembers the selection and which cases the shard reports.
    std::vector<Case> take_shard(std::vector<Case> selected);

    // Whether this run reports the case (a shard runs its cases' dependencies without them).
    bool reports(const std::string& case_id) const;

    // What to say when no case is left to run.
    std::string nothing_to_run() const;

    // The case as the console shows it as it finishes (with its waiver).
    CaseResult shown(const CaseResult& c, bool strict) const;

    // Fills in what merge needs (catalogue fingerprint, selection size, shard) and applies the
    // baseline's waivers.
    void finish(RunResult& run, const Catalogue& catalogue) const;

    // --update-baseline: writes the run's failures; false (with a message) when it cannot.
    bool write_updated_baseline(const RunResult& run) const;

  private:
    const GateOptions& options_;
    std::optional<Shard> shard_;
    Baseline baseline_;
    std::string today_;
    int selection_size_ = 0;
    std::set<std::string> selected_ids_; // other shards run the ones this one does not
    std::set<std::string> reported_ids_; // the shard's own cases (unused without --shard)
};

} // namespace upgradespec
