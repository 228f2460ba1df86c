// upgradespec: the command line. Parses options and wires catalogue -> executor -> reports.
#include "catalogue/loader.hpp"
#include "catalogue/select.hpp"
#include "engine/executor.hpp"
#include "model/target.hpp"

#include "reports/console.hpp"
#include "reports/json.hpp"
#include "reports/junit.hpp"
#include "reports/write_file.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <unistd.h>

#ifndef UPGRADESPEC_VERSION
#define UPGRADESPEC_VERSION "0.0.0"
#endif
#ifndef UPGRADESPEC_SUITE_DIR
#define UPGRADESPEC_SUITE_DIR "suite"
#endif

namespace upgradespec {

namespace {

struct Options {
    std::string url;
    bool list = false;
    Selection selection;
    std::vector<std::string> levels;
    std::string junit_path, json_path;
    bool strict = false;
    std::vector<std::string> headers;
    int jobs = 4;
    double timeout_seconds = 3.0;
    std::vector<std::string> suite_dirs;
    std::string suite_root;
    bool echo = false;
    std::vector<std::string> subprotocols, allowed_origins, claims;
    std::string spec = "rfc9113";
    bool verbose = false;
};

constexpr const char* examples = R"(Examples:
  upgradespec ws://127.0.0.1:8080/ws                  run every case against a WebSocket endpoint
  upgradespec http://127.0.0.1:8080/                  run the cases that need no WebSocket endpoint
  upgradespec --list --tag 426                        list the cases tagged 426, send nothing
  upgradespec --case 'ws.version.*' ws://host/chat    run a family subset (dependencies come along)
  upgradespec --junit junit.xml --json report.json --strict ws://host/ws
  upgradespec -H 'Authorization: Bearer x' --echo ws://host/echo

Exit codes: 0 every selected case passed (warnings allowed unless --strict), 1 conformance
failures, 2 usage or catalogue error, 3 the target could not be reached or an infrastructure
error stopped judgement, 4 no case selected (or every selected case skipped).)";

void define(CLI::App& app, Options& o) {
    app.add_option(
        "url", o.url,
        "the target: ws://host:port/path (a WebSocket endpoint) or http://host:port/path");
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
    app.add_flag("--strict", o.strict, "count SHOULD misses (warnings) as failures");
    app.add_option("-H,--header", o.headers,
                   "add 'Name: value' to every templated request (repeatable)")
        ->type_name("'NAME: VALUE'")
        ->allow_extra_args(false);
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
    app.add_flag("--echo", o.echo, "the WebSocket endpoint echoes messages (enables echo cases)");
    app.add_option("--subprotocol", o.subprotocols,
                   "a subprotocol the WebSocket endpoint supports (repeatable)")
        ->allow_extra_args(false)
        ->type_name("NAME");
    app.add_option(
           "--allowed-origin", o.allowed_origins,
           "an Origin the WebSocket endpoint accepts (repeatable; enables the origin-policy cases)")
        ->allow_extra_args(false)
        ->type_name("ORIGIN");
    app.add_option("--claim", o.claims,
                   "a capability the target claims: h2c, tls-upgrade (repeatable)")
        ->check(CLI::IsMember({"h2c", "tls-upgrade"}))
        ->allow_extra_args(false)
        ->type_name("CAPABILITY");
    app.add_option("--spec", o.spec,
                   "the h2c rules to judge by: rfc9113 (default; ignoring h2c conforms) or rfc7540 "
                   "(a claimed h2c upgrade is expected)")
        ->check(CLI::IsMember({"rfc9113", "rfc7540"}));
    app.add_flag("-v,--verbose", o.verbose, "also list skipped cases and their reasons");
    app.set_version_flag("--version", std::string("upgradespec ") + UPGRADESPEC_VERSION);
    app.footer(examples);
}

std::string now_iso8601() {
    std::time_t t = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return text;
}

std::filesystem::path suite_root(const Options& o) {
    if (!o.suite_root.empty()) return o.suite_root;
    if (const char* env = std::getenv("UPGRADESPEC_SUITE_ROOT")) return env;
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

bool write_reports(const RunResult& run, const Options& o) {
    bool ok = true;
    auto write = [&](const std::string& path, auto writer) {
        if (path.empty()) return;
        std::string error;
        if (!write_file(
                path, [&](std::ostream& out) { writer(run, out); }, error)) {
            std::cerr << "upgradespec: cannot write " << path << ": " << error << "\n";
            ok = false;
        }
    };
    write(o.junit_path, write_junit);
    write(o.json_path, write_json);
    return ok;
}

int run(const Options& o) {
    Target target;
    if (!o.url.empty()) target = parse_target_url(o.url);
    target.websocket_echo = o.echo;
    target.subprotocols = o.subprotocols;
    target.allowed_origins = o.allowed_origins;
    for (const auto& claim : o.claims) {
        target.claims_h2c |= claim == "h2c";
        target.claims_tls_upgrade |= claim == "tls-upgrade";
    }
    target.h2c_spec = o.spec;
    for (const auto& header : o.headers) {
        if (header.find(':') == std::string::npos)
            throw UsageError("-H \"" + header + "\": expected 'Name: value'");
        target.extra_fields.push_back(header);
    }

    Catalogue catalogue =
        load_catalogue({suite_root(o), {o.suite_dirs.begin(), o.suite_dirs.end()}});
    Selection selection = o.selection;
    for (const auto& level : o.levels) {
        std::string upper;
        for (char ch : level)
            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        selection.levels.push_back(*parse_level(upper));
    }
    std::vector<Case> cases = select_cases(catalogue.cases, selection);
    if (o.list) {
        list_cases(cases);
        return cases.empty() ? 4 : 0;
    }
    if (o.url.empty()) throw UsageError("no target URL given (see --help)");
    if (cases.empty()) {
        std::cerr << "upgradespec: no case selected\n";
        RunResult empty{
            .tool_version = UPGRADESPEC_VERSION, .target = o.url, .started_at = now_iso8601()};
        write_reports(empty, o);
        return 4;
    }

    bool color = isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
    ConsoleReporter console(std::cout, {.color = color, .verbose = o.verbose});
    RunOptions run_options{
        .jobs = o.jobs,
        .timeout = std::chrono::milliseconds(static_cast<long>(o.timeout_seconds * 1000)),
        .on_case_finished = [&](const CaseResult& c) { console.case_finished(c, o.strict); },
    };

    RunResult result{.tool_version = UPGRADESPEC_VERSION,
                     .target = o.url,
                     .started_at = now_iso8601(),
                     .strict = o.strict};
    auto started = std::chrono::steady_clock::now();
    result.cases = run_cases(cases, catalogue, target, run_options);
    result.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    result.target_problem = target_problem(result);

    bool written = write_reports(result, o);
    console.run_finished(result);
    int code = exit_code(result);
    return written || code != 0 ? code : 3;
}

} // namespace
} // namespace upgradespec

int main(int argc, char** argv) {
    using namespace upgradespec;
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
        return run(options);
    } catch (const UsageError& e) {
        std::cerr << "upgradespec: " << e.what() << "\n";
        return 2;
    } catch (const CatalogueError& e) {
        std::cerr << "upgradespec: catalogue error: " << e.what() << "\n";
        return 2;
    }
}
