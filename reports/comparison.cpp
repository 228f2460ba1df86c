#include "reports/comparison.hpp"

#include "reports/escape.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

namespace {

std::string counted(std::size_t n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string totals(const Comparison& c) {
    return counted(c.regressions.size(), "regression", "regressions") + ", " +
           counted(c.fixes.size(), "fix", "fixes") + ", " +
           counted(c.other_changes.size(), "other change", "other changes") + ", " +
           std::to_string(c.new_cases.size()) + " new, " + std::to_string(c.removed_cases.size()) +
           " removed, " + std::to_string(c.unchanged) + " unchanged";
}

std::string change_text(const VerdictChange& change) {
    return std::string(to_string(change.before)) + " -> " + std::string(to_string(change.after));
}

void text_changes(std::string_view heading, const std::vector<VerdictChange>& changes,
                  std::ostream& out) {
    if (changes.empty()) return;
    out << "\n" << heading << " (" << changes.size() << ")\n";
    for (const auto& c : changes)
        out << "  " << readable(c.id) << "  " << change_text(c) << "  " << readable(c.title)
            << "\n";
}

void text_cases(std::string_view heading, const std::vector<CaseVerdict>& cases,
                std::ostream& out) {
    if (cases.empty()) return;
    out << "\n" << heading << " (" << cases.size() << ")\n";
    for (const auto& c : cases)
        out << "  " << readable(c.id) << "  " << to_string(c.verdict) << "  " << readable(c.title)
            << "\n";
}

// Text for a Markdown table cell: readable, with the characters that break a table escaped.
std::string cell(std::string_view text) {
    std::string out;
    for (char ch : readable(text)) {
        if (ch == '|' || ch == '\\' || ch == '`' || ch == '*' || ch == '_' || ch == '<' ||
            ch == '[' || ch == ']')
            out += '\\';
        out += ch;
    }
    return out;
}

void markdown_changes(std::string_view heading, const std::vector<VerdictChange>& changes,
                      std::ostream& out) {
    if (changes.empty()) return;
    out << "\n### " << heading << " (" << changes.size() << ")\n\n"
        << "| case | before | after | title |\n|---|---|---|---|\n";
    for (const auto& c : changes)
        out << "| `" << readable(c.id) << "` | " << to_string(c.before) << " | "
            << to_string(c.after) << " | " << cell(c.title) << " |\n";
}

void markdown_cases(std::string_view heading, const std::vector<CaseVerdict>& cases,
                    std::ostream& out) {
    if (cases.empty()) return;
    out << "\n### " << heading << " (" << cases.size() << ")\n\n"
        << "| case | verdict | title |\n|---|---|---|\n";
    for (const auto& c : cases)
        out << "| `" << readable(c.id) << "` | " << to_string(c.verdict) << " | " << cell(c.title)
            << " |\n";
}

} // namespace

void write_comparison_text(const Comparison& c, std::ostream& out) {
    out << "Comparing " << readable(c.old_file) << " (" << readable(c.old_target) << ") with "
        << readable(c.new_file) << " (" << readable(c.new_target) << ")\n";
    if (!c.same_catalogue) out << "The two runs used different catalogues.\n";
    text_changes("Regressions", c.regressions, out);
    text_changes("Fixes", c.fixes, out);
    text_changes("Other verdict changes", c.other_changes, out);
    text_cases("New cases", c.new_cases, out);
    text_cases("Removed cases", c.removed_cases, out);
    out << "\n" << totals(c) << "\n";
}

void write_comparison_markdown(const Comparison& c, std::ostream& out) {
    out << "## upgradespec: " << (c.regressions.empty() ? "no regressions" : "regressions found")
        << "\n\n"
        << "`" << readable(c.old_file) << "` (" << cell(c.old_target) << ") compared with `"
        << readable(c.new_file) << "` (" << cell(c.new_target) << ")";
    if (!c.same_catalogue) out << "; the two runs used different catalogues";
    out << ".\n\n**" << totals(c) << "**\n";
    markdown_changes("Regressions", c.regressions, out);
    markdown_changes("Fixes", c.fixes, out);
    markdown_changes("Other verdict changes", c.other_changes, out);
    markdown_cases("New cases", c.new_cases, out);
    markdown_cases("Removed cases", c.removed_cases, out);
}

} // namespace upgradespec
