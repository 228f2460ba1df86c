#pragma once
// The Markdown summary, for a CI step summary ($GITHUB_STEP_SUMMARY) or a pull-request comment.
// Its size is bounded (a comment takes 65,536 characters): table rows that do not fit are left
// out and their number said. Every text from the run is escaped for a table cell.
#include "model/result.hpp"

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

// Below GitHub's 65,536 characters, with room for a caller's own heading.
inline constexpr std::size_t markdown_max_bytes = 60000;

void write_markdown(const RunResult& run, std::ostream& out,
                    std::size_t max_bytes = markdown_max_bytes);

// Building blocks shared with the matrix (reports/matrix.cpp).
namespace markdown {

// Text for a table cell (also safe in running text): readable(), cut to about `max_bytes` with
// "…", newlines as <br>, Markdown punctuation backslash-escaped, < > & as character references,
// and "@" followed by a zero-width space so that no reply of a target mentions anyone.
std::string cell(std::string_view text, std::size_t max_bytes = 300);

// `text` as a code span when it can be one (no backtick, no line break), else cell(text).
std::string code(std::string_view text);

// The references as Markdown links (plain text when a reference has no URL), comma-separated.
std::string ref_links(const std::vector<std::string>& refs);

// "**fail**" for fail and error, the plain word otherwise (also for a standing: "waived").
std::string verdict(std::string_view standing);
std::string verdict(Verdict v);

// Markdown text under a byte budget. Headings and notes are always added (keep them short:
// together they must fit in the reserve); table rows only while they fit beside the reserve.
class BoundedText {
  public:
    BoundedText(std::size_t max_bytes, std::size_t reserve);

    void add(std::string_view text);

    // Adds the row (a line without its newline) if it fits, else counts it as left out.
    void row(std::string_view line);

    // After a table: "_N of M rows left out: ..._" when some were, then a blank line.
    void end_table(std::string_view where_to_look);

    const std::string& text() const { return text_; }

  private:
    std::string text_;
    std::size_t max_bytes_, reserve_;
    int rows_ = 0, left_out_ = 0;
};

} // namespace markdown

} // namespace upgradespec
