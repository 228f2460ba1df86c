#pragma once
// The words the writers share, so that the console, the HTML pages, the Markdown summaries and
// the matrix word a run alike: the count columns of a summary, where a case stands, what an
// exit code means, durations.
#include "model/result.hpp"

#include <array>
#include <chrono>
#include <string>
#include <string_view>

namespace upgradespec::words {

// The columns of a summary, in the order the writers show them: the count's word, where a case
// stands when it counts there (a verdict, or "waived": a failure a live baseline waiver
// covers), and the count.
struct CountColumn {
    std::string_view label;
    std::string_view standing;
    int Summary::*count;
};
inline constexpr std::array<CountColumn, 7> count_columns{{
    {"passed", "pass", &Summary::passed},
    {"failed", "fail", &Summary::failed},
    {"warned", "warn", &Summary::warned},
    {"info", "info", &Summary::info},
    {"skipped", "skip", &Summary::skipped},
    {"errors", "error", &Summary::errors},
    {"waived", "waived", &Summary::waived},
}};

// The counts that are not zero, in column order: "3 passed, 1 failed"; "no case" when all are.
std::string counts(const Summary& s);

// Where a case stands: "waived", else its verdict as the run counts it (warn is fail under
// --strict). The same as RunResult::summary() counts.
std::string_view standing(const CaseResult& c, bool strict);

// What an exit code means in a headline: "passed", "failed", "interrupted", ...
std::string_view outcome(int exit_code);

// A duration in whole milliseconds, rounded.
long long whole_ms(std::chrono::microseconds d);

// "2.7 s", or "45 ms" below a second.
std::string seconds(std::chrono::microseconds d);

} // namespace upgradespec::words
