#pragma once
// The HTML report: one self-contained page (inline style and script; a Content-Security-Policy
// forbids every fetch) for a person to open from a CI artifact. Every text from the run is
// escaped: transcripts hold whatever bytes the target sent.
#include "model/result.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

void write_html(const RunResult& run, std::ostream& out);

// Building blocks shared with the matrix page (reports/matrix.cpp); the words every writer
// shares are in reports/words.hpp.
namespace html {

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
