#include "reports/markdown.hpp"

#include "reports/by_requirement.hpp"
#include "reports/escape.hpp"
#include "reports/html.hpp"
#include "reports/words.hpp"

namespace upgradespec {

namespace markdown {

namespace {

constexpr std::string_view ellipsis = "…";
constexpr std::string_view zero_width_space = "\u200b";

bool is_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xc0) == 0x80;
}

// readable() per line, the lines joined with '\n' (a CR before a line feed is dropped).
std::string readable_lines(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = text.find('\n', start);
        std::string_view line = text.substr(start, end - start);
        if (end != std::string_view::npos && !line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        out += readable(line);
        if (end == std::string_view::npos) return out;
        out += '\n';
        start = end + 1;
    }
}

// Cut at a character boundary (the text is valid UTF-8).
std::string cut(std::string text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    std::size_t end = max_bytes;
    while (end > 0 && is_continuation(text[end]))
        --end;
    text.resize(end);
    return text + std::string(ellipsis);
}

} // namespace

std::string cell(std::string_view text, std::size_t max_bytes) {
    std::string out;
    for (char c : cut(readable_lines(text), max_bytes)) {
        switch (c) {
        case '\n':
            out += "<br>";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '@':
            out += '@';
            out += zero_width_space;
            break;
        case '\\':
        case '|':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '~':
        case '#':
        case '!':
            out += '\\';
            out += c;
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string code(std::string_view text) {
    const std::string shown = readable(text);
    if (shown.empty() || shown.size() > 200 || shown.find_first_of("`|") != std::string::npos)
        return cell(text);
    return "`" + shown + "`";
}

std::string ref_links(const std::vector<std::string>& refs) {
    std::string out;
    for (const auto& ref : refs) {
        if (!out.empty()) out += ", ";
        const std::string url = html::ref_url(ref);
        if (url.empty())
            out += cell(ref, 80);
        else
            out += "[" + cell(ref, 80) + "](" + url + ")";
    }
    return out;
}

std::string verdict(std::string_view standing) {
    const std::string word(standing);
    return word == "fail" || word == "error" ? "**" + word + "**" : word;
}

std::string verdict(Verdict v) {
    return verdict(to_string(v));
}

BoundedText::BoundedText(std::size_t max_bytes, std::size_t reserve)
    : max_bytes_(max_bytes), reserve_(reserve) {}

void BoundedText::add(std::string_view text) {
    text_ += text;
}

void BoundedText::row(std::string_view line) {
    ++rows_;
    if (left_out_ > 0 || text_.size() + line.size() + 1 + reserve_ > max_bytes_) {
        ++left_out_;
        return;
    }
    text_ += line;
    text_ += '\n';
}

void BoundedText::end_table(std::string_view where_to_look) {
    if (left_out_ > 0)
        text_ += "\n_" + std::to_string(left_out_) + " of " + std::to_string(rows_) +
                 " rows left out to keep this summary short: " + std::string(where_to_look) +
                 "._\n";
    text_ += "\n";
    rows_ = left_out_ = 0;
}

} // namespace markdown

namespace {

using markdown::cell;

// Room for the headings, table heads and notes written after the first left-out row.
constexpr std::size_t reserve_bytes = 2048;
constexpr std::string_view full_reports = "the JSON and HTML reports list every case";

std::string_view outcome_mark(int code) {
    switch (code) {
    case 0:
        return "✅";
    case 1:
        return "❌";
    case 130:
        return "⏹️";
    default:
        return "⚠️";
    }
}

std::string counts_line(const Summary& s) {
    return words::counts(s) + " of " + std::to_string(s.total());
}

// The waived column only when a baseline took part.
bool shows_column(const words::CountColumn& column, const RunResult& run, const Summary& s) {
    return column.standing != "waived" || s.waived > 0 || !run.baseline_fingerprint.empty();
}

void write_head(const RunResult& run, markdown::BoundedText& text) {
    const int code = exit_code(run);
    const Summary s = run.summary();
    text.add("## " + std::string(outcome_mark(code)) + " upgradespec: " +
             std::string(words::outcome(code)) + " (" + counts_line(s) + ")\n\n");
    std::string facts = "Target " + cell(run.target, 200) + " · upgradespec " +
                        cell(run.tool_version, 40) + " · started " + cell(run.started_at, 40) +
                        " · " + words::seconds(run.duration) + " · exit code " +
                        std::to_string(code);
    if (run.strict) facts += " · strict: warnings count as failures";
    if (run.shard)
        facts += " · shard " + std::to_string(run.shard->index) + " of " +
                 std::to_string(run.shard->count);
    if (!run.baseline_fingerprint.empty()) facts += " · with a baseline";
    text.add(facts + "\n\n");
    if (run.interrupted)
        text.add("> **Interrupted**: the run stopped early (SIGINT or SIGTERM); the cases not "
                 "run are reported as skipped.\n\n");
    if (!run.target_problem.empty())
        text.add("> **Target problem**: " + cell(run.target_problem) + "\n\n");
    for (const auto& d : run.detected)
        text.add("Detected: " + cell(d, 300) + "\n\n");

    std::string head = "|", rule = "|", counts = "|";
    for (const auto& column : words::count_columns) {
        if (!shows_column(column, run, s)) continue;
        head += " " + std::string(column.label) + " |";
        rule += "---:|";
        counts += " " + std::to_string(s.*column.count) + " |";
    }
    text.add(head + " total |\n" + rule + "---:|\n" + counts + " " + std::to_string(s.total()) +
             " |\n\n");
}

// What the target did, each finding against it that is not the case's own outcome, and what
// the baseline said about it.
std::string observed_cell(const CaseResult& c) {
    std::string text = c.observed;
    for (const auto& f : c.findings) {
        if (f.rule.empty() || f.verdict == Verdict::pass || f.verdict == Verdict::info) continue;
        text += "\n" + f.requirement + ": " + f.message;
    }
    if (c.waiver && c.waiver->status == WaiverStatus::waived)
        text += "\nwaived: " + c.waiver->reason;
    if (c.waiver && c.waiver->status == WaiverStatus::expired)
        text += "\nthe waiver was valid through " + c.waiver->expires + ": " + c.waiver->reason;
    return cell(text, 400);
}

// `ID` and its title, for a table cell.
std::string requirement_cell(const RunResult& run, const std::string& id) {
    auto entry = run.requirements.find(id);
    return markdown::code(id) +
           (entry == run.requirements.end() ? "" : " " + cell(entry->second.title, 160));
}

// The run by requirement: each requirement the target breaks, once, with an example; the
// rules themselves one click away, folded.
void write_broken_requirements(const RunResult& run, markdown::BoundedText& text) {
    const auto broken = broken_requirements(run);
    if (broken.empty()) return;
    text.add("### Requirements broken (" + std::to_string(broken.size()) + ")\n\n" +
             "| verdict | requirement | level | cases | for example | RFC |\n" +
             "|---|---|---|---:|---|---|\n");
    for (const auto& b : broken)
        text.row("| " + markdown::verdict(b.worst) + " | " + requirement_cell(run, b.id) + " | " +
                 (b.entry ? b.entry->level : "") + " | " + std::to_string(b.cases) + " | " +
                 markdown::code(b.example_case) + " " + cell(b.example_message, 200) + " | " +
                 (b.entry ? markdown::ref_links(b.entry->sections) : "") + " |");
    text.end_table(full_reports);
    text.add("<details><summary>The rules behind them</summary>\n\n");
    for (const auto& b : broken)
        if (b.entry)
            text.row("- " + markdown::code(b.id) + " (" + b.entry->level +
                     "): " + cell(b.entry->rule, 700));
    text.end_table(full_reports);
    text.add("</details>\n\n");
}

using Wanted = bool (*)(std::string_view standing);

void write_problem_table(const RunResult& run, std::string_view heading, Wanted wanted,
                         markdown::BoundedText& text) {
    int count = 0;
    for (const auto& c : run.cases)
        count += wanted(words::standing(c, run.strict)) ? 1 : 0;
    if (count == 0) return;
    text.add("### " + std::string(heading) + " (" + std::to_string(count) + ")\n\n" +
             "| verdict | case | requirement | level | observed | RFC |\n" +
             "|---|---|---|---|---|---|\n");
    for (const auto& c : run.cases) {
        const std::string_view standing = words::standing(c, run.strict);
        if (!wanted(standing)) continue;
        text.row("| " + markdown::verdict(standing) + " | " + markdown::code(c.id) + " " +
                 cell(c.title, 160) + " | " + requirement_cell(run, c.requirement) + " | " +
                 std::string(to_string(c.level)) + " | " + observed_cell(c) + " | " +
                 markdown::ref_links(c.refs) + " |");
    }
    text.end_table(full_reports);
}

void write_stale_waivers(const RunResult& run, markdown::BoundedText& text) {
    if (run.stale_waivers.empty()) return;
    text.add("### Stale waivers (" + std::to_string(run.stale_waivers.size()) +
             ")\n\nThe baseline can drop these.\n\n| case | why | reason |\n|---|---|---|\n");
    for (const auto& w : run.stale_waivers)
        text.row("| " + markdown::code(w.case_id) + " | " +
                 (w.in_run ? "passes now" : "not in this run") + " | " + cell(w.reason, 200) +
                 " |");
    text.end_table("the JSON report lists every stale waiver");
}

void write_all_cases(const RunResult& run, markdown::BoundedText& text) {
    if (run.cases.empty()) return;
    text.add("<details><summary>All " + std::to_string(run.cases.size()) +
             " cases</summary>\n\n| verdict | case | requirement | level |\n|---|---|---|---|\n");
    for (const auto& c : run.cases)
        text.row("| " + markdown::verdict(words::standing(c, run.strict)) + " | " +
                 markdown::code(c.id) + " " + cell(c.title, 160) + " | " +
                 markdown::code(c.requirement) + " | " + std::string(to_string(c.level)) + " |");
    text.end_table(full_reports);
    text.add("</details>\n");
}

bool is_failure(std::string_view standing) {
    return standing == "fail" || standing == "error";
}

bool is_warning(std::string_view standing) {
    return standing == "warn";
}

bool is_waived_standing(std::string_view standing) {
    return standing == "waived";
}

} // namespace

void write_markdown(const RunResult& run, std::ostream& out, std::size_t max_bytes) {
    markdown::BoundedText text(max_bytes, reserve_bytes);
    write_head(run, text);
    write_broken_requirements(run, text);
    write_problem_table(run, "Failures and errors", is_failure, text);
    write_problem_table(run, "Warnings", is_warning, text);
    write_problem_table(run, "Waived failures", is_waived_standing, text);
    write_stale_waivers(run, text);
    write_all_cases(run, text);
    out << text.text();
}

} // namespace upgradespec
