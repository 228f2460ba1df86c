#pragma once
// --targets FILE: one run against several targets at once (suite/schema/targets.schema.json),
// a report set per target and a matrix of them all. main.cpp builds each target as it builds
// the command line's (catalogue/target_description.hpp); this file reads the file, runs the
// targets and sums them up.
#include "catalogue/loader.hpp"
#include "catalogue/target_description.hpp"
#include "model/result.hpp"
#include "model/target.hpp"
#include "reports/console.hpp"
#include "reports/matrix.hpp"
#include "tls/client.hpp"

#include <chrono>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace upgradespec {

// One target of the file: its name and what the command line's target options would say of it
// (profile and cacert resolved against the targets file's folder).
struct TargetEntry {
    std::string name; // unique, safe in a file name
    TargetDescription description;
};

// Reads and validates the targets file against `schema`. Throws UsageError naming the file and
// the field ("targets[1].name").
std::vector<TargetEntry> load_targets(const std::filesystem::path& file,
                                      const std::filesystem::path& schema);

// A report path for one target: the name goes before the extension (report.json ->
// report.NAME.json, out/junit -> out/junit.NAME); "" stays "".
std::string path_for_target(const std::string& path, const std::string& name);

// A target ready to run.
struct TargetJob {
    std::string name;
    Target target;
    tls::Config tls;
};

struct TargetsSettings {
    std::string tool_version;
    std::string started_at;
    int jobs = 4; // cases at once, per target
    std::chrono::milliseconds timeout{3000};
    bool strict = false;
    bool detect_echo = true; // false: --no-echo
};

// Runs the cases against every target at once, a thread each: each run_cases call has its own
// io_context, and they share one InterruptGroup, so an interrupt ends every run, even one that
// had not started yet, and each keeps what finished. Says on `progress` as each target finishes.
// The results are in the order of `jobs`, with the liveness probe's problem, if any, as
// target_problem.
std::vector<NamedRun> run_targets(const std::vector<TargetJob>& jobs,
                                  const std::vector<Case>& cases, const Catalogue& catalogue,
                                  const TargetsSettings& settings, std::ostream& progress);

// Each target's console summary (its failures, warnings and counts), then a line per target.
void print_target_summaries(const std::vector<NamedRun>& runs, ConsoleOptions options,
                            std::ostream& out);

// The exit code of a multi-target run, the worst of the targets': 130 (interrupted) before 3
// (a target could not be judged) before 1 (conformance failures) before 4 (nothing judged)
// before 0.
int worst_exit_code(const std::vector<int>& codes);

// Writes --matrix-html and --matrix-markdown (either may be ""); the HTML matrix links each
// target's column to its HTML report when --html was given. False, with a message on stderr,
// when a file cannot be written.
bool write_matrix_files(std::vector<NamedRun>& runs, const std::string& html_path,
                        const std::string& markdown_path, const std::string& report_html_path);

} // namespace upgradespec
