#pragma once
// The HTML report: one self-contained page (inline style and script; a Content-Security-Policy
// forbids every fetch) for a person to open from a CI artifact. Every text from the run is
// escaped: transcripts hold whatever bytes the target sent.
#include "model/result.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

void write_html(const RunResult& run, std::ostream& out);

// Building blocks shared with the matrix page (reports/matrix.cpp).
namespace html {

// The columns of a summary, in the order the pages show them: the count's word, where a case
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

// Where a case stands: "waived", else its verdict as the run counts it (warn is fail under
// --strict). The same as RunResult::summary() counts.
std::string_view standing(const CaseResult& c, bool strict);

// "2.7 s", or "45 ms" below a second
std::string seconds_text(std::chrono::microseconds d);

// readable(text) with & < > " ' as character references: safe in text and in quoted attributes.
std::string escape(std::string_view text);

// "RFC6455 4.2.2" -> https://www.rfc-editor.org/rfc/rfc6455#section-4.2.2 (letters start an
// appendix: "RFC9112 C.1" -> #appendix-C.1); drafts link to datatracker. "" for anything else.
std::string ref_url(std::string_view ref);

// The references as links, separated by <br>.
std::string ref_links(const std::vector<std::string>& refs);

// <span class="badge b-fail">fail</span>; also for a standing ("waived").
std::string badge(std::string_view standing);
std::string badge(Verdict v);

// What an exit code means in a headline: "passed", "failed", "interrupted", ...
std::string_view outcome_word(int exit_code);

// The document up to the opening <body> (style, policy, title), and from the filter script
// to the end.
void begin_page(std::ostream& out, std::string_view title);
void end_page(std::ostream& out);

// The verdict filter bar (hidden until the script runs): one checkbox per verdict. Rows with a
// data-verdicts attribute are shown when one of their verdicts is checked, and when their
// data-key contains the search text (lower case).
// `counts` labels the checkboxes; the matrix adds a "targets differ" toggle.
void filter_bar(std::ostream& out, const std::optional<Summary>& counts,
                bool with_differing_toggle);

} // namespace html

} // namespace upgradespec
