// upgradespec: the command line. Parses options and wires catalogue -> executor -> reports.
#include "catalogue/loader.hpp"
#include "catalogue/select.hpp"
#include "catalogue/target_description.hpp"
#include "engine/executor.hpp"
#include "engine/interrupts.hpp"
#include "model/target.hpp"
#include "tls/client.hpp"

#include "engine/request.hpp"
#include "reports/catalogue.hpp"
#include "reports/console.hpp"
#include "reports/redact.hpp"
#include "reports/report_set.hpp"
#include "reports/requirements.hpp"

#include "cli/gate_commands.hpp"
#include "cli/suite_checked.hpp"
#include "cli/targets.hpp"
#include "cli/terminal.hpp"
#include "encoding/utc_time.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <type_traits>
#include <variant>

#ifndef UPGRADESPEC_VERSION
#define UPGRADESPEC_VERSION "0.0.0"
#endif
#ifndef UPGRADESPEC_SUITE_DIR
#define UPGRADESPEC_SUITE_DIR "suite"
#endif

namespace upgradespec {

namespace {

struct Options {
    TargetDescription target; // the URL, --profile and every other target option
    bool list = false;
    Selection selection;
    std::vector<std::string> levels;
    std::string junit_path, json_path;
    std::string html_path, markdown_path;               // --html, --markdown
    std::string targets_file;                           // --targets
    std::string matrix_html_path, matrix_markdown_path; // --matrix-html, --matrix-markdown
    bool strict = false;
    int jobs = 4;
    double timeout_seconds = 3.0;
    std::vector<std::string> suite_dirs;
    std::string suite_root;
    bool no_echo = false;
    bool verbose = false;
    bool show_secrets = false;
    std::string explain_id;          // `explain ID`
    std::string requirements_format; // `requirements [--json|--markdown]`
    std::string cert_file, key_file; // --cert, --key: the client's certificate
    std::string alpn;                // --alpn, comma-separated
    GateOptions gate;                // --shard, --baseline, --update-baseline, compare, merge
};

constexpr const char* examples = R"(Examples:
  upgradespec ws://127.0.0.1:8080/ws                  run every case against a WebSocket endpoint
  upgradespec http://127.0.0.1:8080/                  run the cases that need no WebSocket endpoint
  upgradespec --cacert ca.pem wss://host:8443/ws       over TLS, the certificate checked against ca.pem
  upgradespec --claim tls-upgrade --tls-required-path /account ws://host/ws   RFC 2817 cases too
  upgradespec --list --tag 426                        list the cases tagged 426, send nothing
  upgradespec --case 'ws.version.*' ws://host/chat    run a family subset (dependencies come along)
  upgradespec --junit junit.xml --json report.json --strict ws://host/ws
  upgradespec -H 'Authorization: Bearer x' --echo ws://host/echo
  upgradespec --html report.html --markdown summary.md ws://host/ws   a page and a PR comment
  upgradespec --targets targets.json --json r.json --matrix-html m.html   several targets at once
  upgradespec explain ws.version.unsupported-25       what a case sends, what passes and why
  upgradespec doc > docs/cases.md                     the catalogue as Markdown
  upgradespec requirements                            the requirements: id, level, RFC, title
  upgradespec explain UPG-426-UPGRADE-HDR             a requirement's rule, grading and cases
  upgradespec --baseline known.json ws://host/ws      known failures (waivers) do not fail the run
  upgradespec --shard 2/4 --json part2.json ws://host/ws    one part of a run split over CI jobs
  upgradespec merge part*.json --junit junit.xml      the parts' reports combined into one run
  upgradespec compare main.json branch.json           regressions (exit 1), fixes, new, removed

Exit codes: 0 every selected case passed (warnings allowed unless --strict), 1 conformance
failures, 2 usage or catalogue error, 3 the target could not be reached or an infrastructure
error stopped judgement, 4 no case selected (or every selected case skipped), 130
interrupted (SIGINT/SIGTERM; the reports are still written). With --targets: the worst over
the targets, 130 before 3 before 1 before 4 before 0.)";

// Paths on the command line are origin-form request targets.
CLI::Validator origin_path() {
    auto check = [](std::string& value) {
        return value.empty() || value.front() == '/' ? "" : "a path starts with /";
    };
    return CLI::Validator(check, "");
}

// --targets FILE and the matrix; the targets come from the file, so no URL, --profile or
// --resolve beside it.
void define_targets_options(CLI::App& app, Options& o) {
    auto* targets =
        app.add_option("--targets", o.targets_file,
                       "run against every target of FILE at once (JSON, "
                       "suite/schema/targets.schema.json): a report set per target, the "
                       "target's name inserted before each report path's extension")
            ->type_name("FILE");
    app.add_option("--matrix-html", o.matrix_html_path,
                   "with --targets: write the cases x targets matrix as an HTML page to PATH")
        ->type_name("PATH")
        ->needs(targets);
    app.add_option("--matrix-markdown", o.matrix_markdown_path,
                   "with --targets: write the cases x targets matrix as Markdown to PATH")
        ->type_name("PATH")
        ->needs(targets);
}

CLI::Validator validator_for(OptionCheck check) {
    switch (check) {
    case OptionCheck::none:
        return CLI::Validator();
    case OptionCheck::path:
        return origin_path();
    case OptionCheck::port:
        return CLI::Range(1, 65535);
    case OptionCheck::claim:
        return CLI::IsMember({"h2c", "tls-upgrade"});
    case OptionCheck::spec:
        return CLI::IsMember({"rfc9113", "rfc7540"});
    }
    return CLI::Validator();
}

CLI::Option* add_target_option(CLI::App& app, const TargetOption& option, bool& value) {
    return app.add_flag(std::string(option.flag), value, std::string(option.meaning));
}

template <typename Value>
CLI::Option* add_target_option(CLI::App& app, const TargetOption& option, Value& value) {
    auto* added = app.add_option(std::string(option.flag), value, std::string(option.meaning));
    if (option.check != OptionCheck::none) added->check(validator_for(option.check));
    if (!option.value_name.empty()) added->type_name(std::string(option.value_name));
    if constexpr (std::is_same_v<Value, std::vector<std::string>>) added->allow_extra_args(false);
    return added;
}

// The URL and the other target options, from the one table (catalogue/target_description.hpp).
void define_target_description(CLI::App& app, TargetDescription& target) {
    for (const auto& option : target_options())
        if (!option.flag.empty())
            std::visit([&](auto member) { add_target_option(app, option, target.*member); },
                       option.member);
}

void define(CLI::App& app, Options& o) {
    define_target_description(app, o.target);
    app.add_flag("--list", o.list,
                 "list the selected cases (id, level, requirement, title) and send nothing");
    app.add_option("--case", o.selection.id_globs,
                   "select cases whose id matches GLOB (repeatable)")
        ->type_name("GLOB")
        ->allow_extra_args(false);
    app.add_option("--tag", o.selection.tags, "select cases with this tag (repeatable)")
        ->type_name("TAG")
        ->allow_extra_args(false);
    app.add_option("--level", o.levels,
                   "select cases of this level: MUST, SHOULD, MAY (repeatable)")
        ->check(CLI::IsMember({"MUST", "SHOULD", "MAY"}, CLI::ignore_case))
        ->type_name("LEVEL")
        ->allow_extra_args(false);
    app.add_option("--junit", o.junit_path, "write a JUnit XML report to PATH")->type_name("PATH");
    app.add_option("--json", o.json_path, "write a JSON report to PATH")->type_name("PATH");
    app.add_option("--html", o.html_path,
                   "write an HTML report to PATH: one self-contained page, nothing fetched")
        ->type_name("PATH");
    app.add_option("--markdown", o.markdown_path,
                   "write a Markdown summary to PATH (a CI step summary or a PR comment)")
        ->type_name("PATH");
    define_targets_options(app, o);
    app.add_flag("--strict", o.strict, "count SHOULD misses (warnings) as failures");
    app.add_option("-j,--jobs", o.jobs, "cases run at once (default 4)")->check(CLI::Range(1, 256));
    app.add_option("--timeout", o.timeout_seconds,
                   "deadline in seconds for each connect, write and read (default 3)")
        ->check(CLI::Range(0.05, 120.0));
    app.add_option("--suite", o.suite_dirs, "also load case files from DIR (repeatable)")
        ->type_name("DIR")
        ->allow_extra_args(false);
    app.add_option("--suite-root", o.suite_root,
                   "the built-in catalogue folder (default: the shipped suite/)")
        ->type_name("DIR");
    app.add_flag("--no-echo", o.no_echo,
                 "do not probe the WebSocket endpoint for an echo: the echo cases are skipped")
        ->excludes("--echo");
    app.add_option("--alpn", o.alpn,
                   "ALPN protocols to offer, comma-separated (default http/1.1; '' offers none)")
        ->type_name("LIST");
    app.add_option("--cert", o.cert_file, "a TLS client certificate (PEM)")->type_name("FILE");
    app.add_option("--key", o.key_file, "the client certificate's private key (PEM)")
        ->type_name("FILE");
    app.add_flag(
        "--show-secrets", o.show_secrets,
        "keep Authorization, Proxy-Authorization and Cookie values in reports and on the console");
    app.add_flag("-v,--verbose", o.verbose, "also list skipped cases and their reasons");
    app.set_version_flag("--version", std::string("upgradespec ") + UPGRADESPEC_VERSION);
    auto* explain = app.add_subcommand(
        "explain", "show one case: what it sends, what passes and why, its requirement");
    explain->add_option("id", o.explain_id, "a case id, or a requirement id")->required();
    app.add_subcommand("doc", "print the catalogue as Markdown (the source of docs/cases.md)");
    auto* requirements = app.add_subcommand(
        "requirements", "list the requirements catalogue: id, level, RFC sections, title");
    requirements->add_flag("--json{json}", o.requirements_format, "every record, as JSON");
    requirements->add_flag("--markdown{markdown}", o.requirements_format,
                           "as Markdown, with rules, grading and cases (docs/requirements.md)");
    define_gate(app, o.gate);
    for (const char* beside : {"url", "--profile", "--resolve", "--update-baseline"})
        app.get_option("--targets")->excludes(beside); // each target has its own
    app.require_subcommand(0, 1);
    app.footer(examples);
}

std::chrono::milliseconds timeout_of(const Options& o) {
    return std::chrono::milliseconds(static_cast<long>(o.timeout_seconds * 1000));
}

// The built-in catalogue: --suite-root, else UPGRADESPEC_SUITE_ROOT, else the installed one
// beside the binary (PREFIX/bin/upgradespec -> PREFIX/share/upgradespec/suite), else the
// source tree the binary was built from.
std::filesystem::path suite_root(const Options& o) {
    if (!o.suite_root.empty()) return o.suite_root;
    if (const char* env = std::getenv("UPGRADESPEC_SUITE_ROOT")) return env;
    std::error_code error;
    const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        auto installed = binary.parent_path().parent_path() / "share" / "upgradespec" / "suite";
        if (std::filesystem::is_directory(installed, error)) return installed;
    }
    return UPGRADESPEC_SUITE_DIR;
}

void list_cases(const std::vector<Case>& cases) {
    for (const auto& c : cases)
        std::cout << c.id << "  " << to_string(c.level) << "  " << c.requirement << "  " << c.title
                  << "\n";
}

// Cases that could not be judged say so on the run: the target is named as the problem.
std::string target_problem(const RunResult& run) {
    int errors = 0, judged = 0;
    std::string first;
    for (const auto& c : run.cases) {
        if (c.verdict == Verdict::skip) continue;
        ++judged;
        if (c.verdict != Verdict::error) continue;
        if (errors++ == 0 && !c.findings.empty()) first = c.findings.front().message;
    }
    if (errors == 0) return "";
    if (errors == judged) return "the target could not be reached: " + first;
    return std::to_string(errors) + " of " + std::to_string(judged) +
           " cases could not be judged: " + first;
}

// What every finished run gets before its reports: the target named when cases could not be
// judged, secrets redacted, the gate's fields and waivers.
void complete_run(RunResult& run, const Options& o, const Catalogue& catalogue,
                  const GateRun& gate) {
    if (run.target_problem.empty()) run.target_problem = target_problem(run);
    if (!o.show_secrets) redact_secrets(run);
    gate.finish(run, catalogue);
    run.requirements = requirements_named(run.cases, catalogue);
}

bool write_reports(const RunResult& run, const Options& o) {
    return write_report_set(run, {o.junit_path, o.json_path, o.html_path, o.markdown_path},
                            std::cerr);
}

// `explain ID`: a requirement with its cases, or a case with its request for an example target.
int explain(const Catalogue& catalogue, const std::string& id) {
    if (const Requirement* r = catalogue.requirement(id)) {
        write_requirement_explanation(*r, catalogue.cases, std::cout);
        return 0;
    }
    for (const auto& c : catalogue.cases) {
        if (c.id != id) continue;
        Target example = parse_target_url("ws://target.example:8080/ws");
        example.tls_required_path = "/tls-required";
        std::string request =
            build_request(c.send, catalogue.templates, example, placeholders_for(example));
        write_explanation(c, request, std::cout);
        return 0;
    }
    std::cerr << "upgradespec: no case or requirement has the id \"" << id
              << "\" (see --list and requirements)\n";
    return 2;
}

int list_requirements(const Catalogue& catalogue, const Options& o) {
    if (o.requirements_format == "json")
        write_requirements_json(catalogue.requirements, std::cout);
    else if (o.requirements_format == "markdown")
        write_requirements_markdown(catalogue.requirements, catalogue.cases, std::cout);
    else
        write_requirement_lines(catalogue.requirements, std::cout);
    return 0;
}

// The TLS settings of wss://, https:// and RFC 2817 upgrades: the target's (`config`), the
// command line's --cert, --key and --alpn; a file that cannot be used is a usage error before
// anything is sent.
tls::Config tls_config(tls::Config config, const Options& o, const CLI::App& app) {
    config.cert_file = o.cert_file;
    config.key_file = o.key_file;
    if (app.count("--alpn") > 0) {
        config.alpn.clear();
        for (std::size_t start = 0; start < o.alpn.size();) {
            auto comma = std::min(o.alpn.find(',', start), o.alpn.size());
            config.alpn.push_back(o.alpn.substr(start, comma - start));
            start = comma + 1;
        }
    }
    try {
        tls::Context check(config);
    } catch (const tls::Error& e) {
        throw UsageError(e.what());
    }
    return config;
}

std::filesystem::path profile_schema(const Options& o) {
    return suite_root(o) / "schema" / "profile.schema.json";
}

// --targets FILE: every target at once, each built as its own command line would build it; a
// report set per target (its name before each path's extension), the matrix, the worst exit.
int run_target_file(const Options& o, const CLI::App& app, const Catalogue& catalogue,
                    const std::vector<Case>& cases, const GateRun& gate) {
    std::vector<TargetJob> jobs;
    for (const auto& entry :
         load_targets(o.targets_file, suite_root(o) / "schema" / "targets.schema.json")) {
        // The command line's target options with the entry's added.
        TargetDescription own = o.target;
        own.add(entry.description);
        try {
            tls::Config tls;
            Target target = build_target(own, profile_schema(o), tls);
            jobs.push_back({entry.name, std::move(target), tls_config(tls, o, app)});
        } catch (const UsageError& e) {
            throw UsageError(o.targets_file + ": target \"" + entry.name + "\": " + e.what());
        }
    }
    if (cases.empty()) std::cerr << "upgradespec: " << gate.nothing_to_run() << "\n";
    const TargetsSettings settings{.tool_version = UPGRADESPEC_VERSION,
                                   .started_at = utc_timestamp(),
                                   .jobs = o.jobs,
                                   .timeout = timeout_of(o),
                                   .strict = o.strict,
                                   .detect_echo = !o.no_echo};
    std::vector<NamedRun> runs = run_targets(jobs, cases, catalogue, settings, std::cout);

    bool written = true;
    std::vector<int> codes;
    for (auto& r : runs) {
        complete_run(r.run, o, catalogue, gate);
        Options paths = o;
        for (auto* path :
             {&paths.junit_path, &paths.json_path, &paths.html_path, &paths.markdown_path})
            *path = path_for_target(*path, r.name);
        written = write_reports(r.run, paths) && written;
        codes.push_back(exit_code(r.run));
    }
    written = write_matrix_files(runs, o.matrix_html_path, o.matrix_markdown_path, o.html_path) &&
              written;
    print_target_summaries(runs, {.color = stdout_wants_color(), .verbose = o.verbose}, std::cout);
    int code = worst_exit_code(codes);
    return written || code != 0 ? code : 3;
}

// Only a run of cases catches SIGINT/SIGTERM (engine/interrupts.hpp); the other commands leave
// them their default effect.
bool runs_cases(const Options& o, const CLI::App& app) {
    for (const char* other : {"explain", "doc", "requirements", "merge", "compare"})
        if (app.got_subcommand(other)) return false;
    return !o.list;
}

int run(const Options& o, const CLI::App& app) {
    if (!runs_cases(o, app)) release_interrupts();
    if (auto code = run_gate_subcommand(app, o.gate, suite_root(o) / "schema")) return *code;
    tls::Config target_tls;
    Target target = build_target(o.target, profile_schema(o), target_tls);
    Catalogue catalogue = load_catalogue({suite_root(o),
                                          {o.suite_dirs.begin(), o.suite_dirs.end()},
                                          true,
                                          suite_checked_at_build()});
    GateRun gate(o.gate, suite_root(o) / "schema");
    if (app.got_subcommand("explain")) return explain(catalogue, o.explain_id);
    if (app.got_subcommand("doc")) {
        write_catalogue_markdown(catalogue.cases, std::cout);
        return 0;
    }
    if (app.got_subcommand("requirements")) return list_requirements(catalogue, o);
    Selection selection = o.selection;
    for (const auto& level : o.levels) {
        std::string upper;
        for (char ch : level)
            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        selection.levels.push_back(*parse_level(upper));
    }
    std::vector<Case> cases = gate.take_shard(select_cases(catalogue.cases, selection));
    if (o.list) {
        std::erase_if(cases, [&](const Case& c) { return !gate.reports(c.id); });
        list_cases(cases);
        return cases.empty() ? 4 : 0;
    }
    if (!o.targets_file.empty()) return run_target_file(o, app, catalogue, cases, gate);
    if (target.url.empty()) throw UsageError("no target URL given (see --help)");
    if (cases.empty()) {
        std::cerr << "upgradespec: " << gate.nothing_to_run() << "\n";
        RunResult empty{.tool_version = UPGRADESPEC_VERSION,
                        .target = target.url,
                        .started_at = utc_timestamp()};
        gate.finish(empty, catalogue);
        write_reports(empty, o);
        return exit_code(empty); // 4, or 0 for an empty shard of a non-empty selection
    }

    ConsoleReporter console(std::cout, {.color = stdout_wants_color(), .verbose = o.verbose});
    RunOptions run_options{
        .jobs = o.jobs,
        .timeout = timeout_of(o),
        .on_case_finished =
            [&](const CaseResult& c) {
                if (gate.reports(c.id)) console.case_finished(gate.shown(c, o.strict), o.strict);
            },
        .detect_echo = !o.no_echo,
    };
    run_options.tls = tls_config(target_tls, o, app);

    RunResult result{.tool_version = UPGRADESPEC_VERSION,
                     .target = target.url,
                     .started_at = utc_timestamp(),
                     .strict = o.strict};
    auto started = std::chrono::steady_clock::now();
    RunOutcome outcome = run_cases(cases, catalogue, target, run_options);
    result.cases = std::move(outcome.cases);
    result.interrupted = outcome.interrupted;
    result.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    result.target_problem = outcome.target_problem;
    result.detected = outcome.detected;
    complete_run(result, o, catalogue, gate);

    bool written = write_reports(result, o) && gate.write_updated_baseline(result);
    console.run_finished(result);
    int code = exit_code(result);
    return written || code != 0 ? code : 3;
}

} // namespace
} // namespace upgradespec

int main(int argc, char** argv) {
    using namespace upgradespec;
    hold_interrupts(); // from the first line: a run that has not started yet still reports
    CLI::App app{"upgradespec: a conformance suite for HTTP server upgrade behaviour "
                 "(426, 101, Upgrade/Connection, WebSocket handshake and framing, HTTP versions)"};
    Options options;
    define(app, options);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        return run(options, app);
    } catch (const UsageError& e) {
        std::cerr << "upgradespec: " << e.what() << "\n";
        return 2;
    } catch (const CatalogueError& e) {
        std::cerr << "upgradespec: catalogue error: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) { // a run catches its own: this is before or after one
        std::cerr << "upgradespec: internal error: " << e.what() << "\n";
        return 3;
    }
}
