#pragma once
// The console story: a line per case as it finishes, then failures and the summary.
#include "model/result.hpp"

#include <ostream>
#include <string>
#include <string_view>

namespace upgradespec {

struct ConsoleOptions {
    bool color = false;   // ANSI colour; the caller decides (a TTY and no NO_COLOR)
    bool verbose = false; // also list skipped cases and print failing transcripts
};

// Not thread-safe: the caller reports one case at a time.
class ConsoleReporter {
  public:
    ConsoleReporter(std::ostream& out, ConsoleOptions options);

    // One line: mark, id, title, duration. Under `strict` a warn shows as FAIL.
    void case_finished(const CaseResult& c, bool strict);

    // Failures, warnings, (verbose) skipped cases, run problems; the last line is exactly
    // "N passed, N failed, N skipped".
    void run_finished(const RunResult& run);

  private:
    std::string paint(std::string_view text, std::string_view ansi) const;
    std::string mark(Verdict v) const;
    void write_section(const RunResult& run, std::string_view heading, bool (*wanted)(Verdict));
    void write_broken_requirements(const RunResult& run);
    void write_details(const RunResult& run, const CaseResult& c, Verdict shown);
    void write_skipped(const RunResult& run);
    void write_waivers(const RunResult& run);
    void write_problems(const RunResult& run);
    void write_counts(const RunResult& run);

    std::ostream& out_;
    ConsoleOptions options_;
};

} // namespace upgradespec
