#include "cli/targets.hpp"

#include "catalogue/json_input.hpp"
#include "engine/executor.hpp"
#include "reports/escape.hpp"
#include "reports/report_set.hpp"
#include "reports/words.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

namespace upgradespec {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

RunResult empty_run(const TargetJob& job, const TargetsSettings& settings) {
    return {.tool_version = settings.tool_version,
            .target = job.target.url,
            .started_at = settings.started_at,
            .strict = settings.strict};
}

// A target whose run threw outside its cases (run_cases keeps its own): the reason in its reports.
RunResult failed_run(const TargetJob& job, const TargetsSettings& settings,
                     const std::string& what) {
    RunResult result = empty_run(job, settings);
    result.target_problem = "internal error: " + what;
    return result;
}

RunResult run_one(const TargetJob& job, const std::vector<Case>& cases, const Catalogue& catalogue,
                  const TargetsSettings& settings, std::shared_ptr<InterruptGroup> interrupts) {
    RunResult result = empty_run(job, settings);
    if (cases.empty()) return result;
    RunOptions options{.jobs = settings.jobs,
                       .timeout = settings.timeout,
                       .detect_echo = settings.detect_echo,
                       .interrupts = std::move(interrupts)};
    options.tls = job.tls;
    const auto started = std::chrono::steady_clock::now();
    RunOutcome outcome = run_cases(cases, catalogue, job.target, options);
    result.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    result.cases = std::move(outcome.cases);
    result.interrupted = outcome.interrupted;
    result.target_problem = std::move(outcome.target_problem);
    result.detected = std::move(outcome.detected);
    return result;
}

// The link from the matrix page to a target's HTML report: relative, so the pair can move.
std::string link_from(const std::string& page, const std::string& report) {
    const fs::path from = fs::absolute(page).parent_path();
    return fs::absolute(report).lexically_relative(from).generic_string();
}

} // namespace

std::vector<TargetEntry> load_targets(const fs::path& file, const fs::path& schema) {
    json doc;
    try {
        doc = read_checked_json(file, schema);
    } catch (const InputError& e) {
        throw UsageError(e.what());
    }
    std::vector<TargetEntry> entries;
    std::map<std::string, std::size_t> seen;
    for (const auto& e : doc["targets"]) {
        TargetEntry entry{e["name"],
                          description_from_json(e, DescriptionSource::targets_entry, file)};
        const std::string field = "targets[" + std::to_string(entries.size()) + "]";
        if (auto [at, fresh] = seen.emplace(entry.name, entries.size()); !fresh)
            throw UsageError(file.string() + ": field " + field + ".name: \"" + entry.name +
                             "\" is also the name of targets[" + std::to_string(at->second) +
                             "]; each target needs its own (it names the report files)");
        if (entry.description.url.empty() && entry.description.profile.empty())
            throw UsageError(file.string() + ": field " + field +
                             ": a target needs a url, or a profile that has one");
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::string path_for_target(const std::string& path, const std::string& name) {
    if (path.empty()) return path;
    const fs::path p(path);
    const std::string stem = p.stem().string(), extension = p.extension().string();
    return (p.parent_path() / (stem + "." + name + extension)).string();
}

std::vector<NamedRun> run_targets(const std::vector<TargetJob>& jobs,
                                  const std::vector<Case>& cases, const Catalogue& catalogue,
                                  const TargetsSettings& settings, std::ostream& progress) {
    std::vector<NamedRun> runs(jobs.size());
    std::vector<std::exception_ptr> failures(jobs.size());
    std::mutex progress_lock;
    // One signal reaches one run: the group ends every other, started or not yet.
    auto interrupts = std::make_shared<InterruptGroup>();
    {
        std::vector<std::jthread> threads;
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            threads.emplace_back([&, i] {
                try {
                    runs[i] = {jobs[i].name,
                               run_one(jobs[i], cases, catalogue, settings, interrupts), ""};
                } catch (const CatalogueError&) {
                    failures[i] = std::current_exception(); // the same for every target: exit 2
                    return;
                } catch (const std::exception& e) {
                    // This target is not judged (exit 3); the others and every report go on.
                    runs[i] = {jobs[i].name, failed_run(jobs[i], settings, e.what()), ""};
                }
                std::lock_guard lock(progress_lock);
                progress << readable(jobs[i].name) << ": finished, " << runs[i].run.cases.size()
                         << " cases in " << words::seconds(runs[i].run.duration)
                         << (runs[i].run.interrupted ? " (interrupted)" : "") << std::endl;
            });
        }
    } // every thread joins here
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
    return runs;
}

void print_target_summaries(const std::vector<NamedRun>& runs, ConsoleOptions options,
                            std::ostream& out) {
    for (const auto& r : runs) {
        out << "\n== " << readable(r.name) << ": " << readable(r.run.target) << " ==\n";
        ConsoleReporter(out, options).run_finished(r.run);
    }
    out << "\nTargets:\n";
    for (const auto& r : runs) {
        out << "  " << readable(r.name) << "  exit " << exit_code(r.run) << "  "
            << words::counts(r.run.summary()) << (r.run.interrupted ? ", interrupted" : "") << "\n";
    }
    out.flush();
}

int worst_exit_code(const std::vector<int>& codes) {
    static constexpr int order[] = {130, 3, 1, 4}; // most severe first
    for (int code : order)
        if (std::find(codes.begin(), codes.end(), code) != codes.end()) return code;
    for (int code : codes)
        if (code != 0) return code; // anything else, should it ever appear
    return 0;
}

bool write_matrix_files(std::vector<NamedRun>& runs, const std::string& html_path,
                        const std::string& markdown_path, const std::string& report_html_path) {
    for (auto& r : runs)
        r.html_report = report_html_path.empty() || html_path.empty()
                            ? ""
                            : link_from(html_path, path_for_target(report_html_path, r.name));
    const bool html_ok = write_report_file(
        html_path, [&](std::ostream& out) { write_matrix_html(runs, out); }, std::cerr);
    const bool markdown_ok = write_report_file(
        markdown_path, [&](std::ostream& out) { write_matrix_markdown(runs, out); }, std::cerr);
    return html_ok && markdown_ok;
}

} // namespace upgradespec
