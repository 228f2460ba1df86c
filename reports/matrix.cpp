#include "reports/matrix.hpp"

#include "reports/html.hpp"
#include "reports/words.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace upgradespec {

namespace {

using html::escape;

// One row: a case, and where it is in each run (nullopt: that run does not have it).
struct Row {
    const CaseResult* first = nullptr; // id, title, requirement, level, family
    std::vector<const CaseResult*> cells;

    bool differs(const std::vector<NamedRun>& runs) const {
        std::set<std::string_view> verdicts;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (!cells[i]) return cells.size() > 1;
            verdicts.insert(words::standing(*cells[i], runs[i].run.strict));
        }
        return verdicts.size() > 1;
    }
};

struct Family {
    std::string name;
    std::vector<Row> rows;
};

// Families in the order they first appear, cases in each in the order they first appear.
std::vector<Family> build_rows(const std::vector<NamedRun>& runs) {
    std::vector<Family> families;
    std::map<std::string, std::pair<std::size_t, std::size_t>> where; // id -> family, row
    for (std::size_t r = 0; r < runs.size(); ++r) {
        for (const auto& c : runs[r].run.cases) {
            auto found = where.find(c.id);
            if (found == where.end()) {
                std::size_t f = 0;
                while (f < families.size() && families[f].name != c.family)
                    ++f;
                if (f == families.size()) families.push_back({c.family, {}});
                families[f].rows.push_back({&c, std::vector<const CaseResult*>(runs.size())});
                found = where.emplace(c.id, std::pair{f, families[f].rows.size() - 1}).first;
            }
            auto [f, row] = found->second;
            families[f].rows[row].cells[r] = &c;
        }
    }
    return families;
}

// Where the case stands in run r ("waived" or its verdict), nullopt when r lacks it.
std::optional<std::string_view> cell_verdict(const Row& row, const std::vector<NamedRun>& runs,
                                             std::size_t r) {
    if (!row.cells[r]) return std::nullopt;
    return words::standing(*row.cells[r], runs[r].run.strict);
}

int case_count(const std::vector<Family>& families) {
    int n = 0;
    for (const auto& f : families)
        n += static_cast<int>(f.rows.size());
    return n;
}

// --- HTML ---

void write_targets_table(const std::vector<NamedRun>& runs, std::ostream& out) {
    out << "<section id=\"targets\">\n<h2>Targets</h2>\n<div class=\"scroll\"><table>\n"
        << "<thead><tr><th>target</th><th>URL</th><th>outcome</th>";
    for (const auto& column : words::count_columns)
        out << "<th class=\"n\">" << column.label << "</th>";
    out << "<th class=\"n\">total</th></tr></thead>\n<tbody>\n";
    for (const auto& r : runs) {
        const int code = exit_code(r.run);
        const Summary s = r.run.summary();
        out << "<tr data-target=\"" << escape(r.name) << "\"><th>";
        if (r.html_report.empty())
            out << escape(r.name);
        else
            out << "<a href=\"" << escape(r.html_report) << "\">" << escape(r.name) << "</a>";
        out << "</th><td>" << escape(r.run.target) << "</td><td>" << words::outcome(code)
            << " (exit " << code << ")";
        if (r.run.interrupted) out << "<div class=\"muted\">interrupted</div>";
        if (!r.run.target_problem.empty())
            out << "<div class=\"muted\">" << escape(r.run.target_problem) << "</div>";
        out << "</td>";
        for (const auto& column : words::count_columns)
            out << "<td class=\"n\">" << s.*column.count << "</td>";
        out << "<td class=\"n\">" << s.total() << "</td></tr>\n";
    }
    out << "</tbody>\n</table></div>\n</section>\n";
}

std::string cell_html(const Row& row, const NamedRun& run,
                      std::optional<std::string_view> verdict) {
    if (!verdict) return "<span class=\"badge b-none\" title=\"not in this run\">—</span>";
    const std::string badge = html::badge(*verdict);
    if (run.html_report.empty()) return badge;
    return "<a href=\"" + escape(run.html_report) + "#case-" + escape(row.first->id) + "\">" +
           badge + "</a>";
}

void write_family_row(const Family& family, const std::vector<NamedRun>& runs, std::ostream& out) {
    out << "<tr class=\"family\"><th colspan=\"3\" id=\"family-" << escape(family.name) << "\">"
        << escape(family.name) << "</th>";
    for (std::size_t r = 0; r < runs.size(); ++r) {
        int passed = 0, present = 0;
        for (const auto& row : family.rows) {
            auto v = cell_verdict(row, runs, r);
            if (!v) continue;
            ++present;
            passed += *v == "pass" || *v == "info" ? 1 : 0;
        }
        out << "<th class=\"n\">" << passed << "/" << present << " passed</th>";
    }
    out << "</tr>\n";
}

void write_case_row(const Row& row, const std::vector<NamedRun>& runs, std::ostream& out) {
    std::set<std::string> verdicts;
    for (std::size_t r = 0; r < runs.size(); ++r)
        if (auto v = cell_verdict(row, runs, r)) verdicts.insert(std::string(*v));
    std::string verdict_list;
    for (const auto& v : verdicts)
        verdict_list += (verdict_list.empty() ? "" : " ") + v;
    const CaseResult& c = *row.first;
    std::string key = c.id + " " + c.requirement + " " + c.title;
    for (char& ch : key)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));

    out << "<tr class=\"case" << (row.differs(runs) ? " differs" : "") << "\" id=\"case-"
        << escape(c.id) << "\" data-verdicts=\"" << verdict_list << "\" data-key=\"" << escape(key)
        << "\"><td><span class=\"id\">" << escape(c.id) << "</span><div class=\"title\">"
        << escape(c.title) << "</div></td><td class=\"id\">" << escape(c.requirement) << "</td><td>"
        << to_string(c.level) << "</td>";
    for (std::size_t r = 0; r < runs.size(); ++r)
        out << "<td data-target=\"" << escape(runs[r].name) << "\">"
            << cell_html(row, runs[r], cell_verdict(row, runs, r)) << "</td>";
    out << "</tr>\n";
}

void write_totals(const std::vector<NamedRun>& runs, std::ostream& out) {
    out << "<tfoot id=\"totals\">\n";
    for (const auto& column : words::count_columns) {
        out << "<tr class=\"totals\" data-count=\"" << column.label << "\"><th colspan=\"3\">"
            << column.label << "</th>";
        for (const auto& r : runs)
            out << "<td class=\"n\" data-target=\"" << escape(r.name) << "\">"
                << r.run.summary().*column.count << "</td>";
        out << "</tr>\n";
    }
    out << "<tr class=\"totals\" data-count=\"exit-code\"><th colspan=\"3\">exit code</th>";
    for (const auto& r : runs)
        out << "<td class=\"n\" data-target=\"" << escape(r.name) << "\">" << exit_code(r.run)
            << "</td>";
    out << "</tr>\n</tfoot>\n";
}

// --- Markdown ---

std::string markdown_cell(std::optional<std::string_view> v) {
    return v ? markdown::verdict(*v) : "—";
}

std::string markdown_row(const Row& row, const std::vector<NamedRun>& runs) {
    std::string line = "| " + markdown::code(row.first->id) + " | " +
                       std::string(to_string(row.first->level)) + " |";
    for (std::size_t r = 0; r < runs.size(); ++r)
        line += " " + markdown_cell(cell_verdict(row, runs, r)) + " |";
    return line;
}

} // namespace

void write_matrix_html(const std::vector<NamedRun>& runs, std::ostream& out) {
    const auto families = build_rows(runs);
    html::begin_page(out, "upgradespec matrix: " + std::to_string(runs.size()) + " targets");
    out << "<header>\n<h1>upgradespec matrix</h1>\n<p id=\"matrix-size\">" << case_count(families)
        << " cases × " << runs.size() << " targets</p>\n</header>\n";
    write_targets_table(runs, out);
    out << "<section id=\"matrix\">\n<h2>Cases</h2>\n";
    html::filter_bar(out, std::nullopt, true);
    out << "<div class=\"scroll\"><table id=\"matrix-table\">\n<thead><tr><th>case</th>"
        << "<th>requirement</th><th>level</th>";
    for (const auto& r : runs)
        out << "<th title=\"" << escape(r.run.target) << "\">" << escape(r.name) << "</th>";
    out << "</tr></thead>\n<tbody>\n";
    for (const auto& family : families) {
        write_family_row(family, runs, out);
        for (const auto& row : family.rows)
            write_case_row(row, runs, out);
    }
    out << "</tbody>\n";
    write_totals(runs, out);
    out << "</table></div>\n</section>\n";
    html::end_page(out);
}

void write_matrix_markdown(const std::vector<NamedRun>& runs, std::ostream& out,
                           std::size_t max_bytes) {
    const auto families = build_rows(runs);
    // Room for the totals row and the notes, which are always written.
    markdown::BoundedText text(max_bytes, 1024 + 300 * runs.size());
    text.add("## upgradespec matrix: " + std::to_string(case_count(families)) + " cases × " +
             std::to_string(runs.size()) + " targets\n\n| target | URL | outcome | counts |\n" +
             "|---|---|---|---|\n");
    for (const auto& r : runs) {
        const int code = exit_code(r.run);
        text.row("| " + markdown::cell(r.name, 64) + " | " + markdown::cell(r.run.target, 120) +
                 " | " + std::string(words::outcome(code)) + " (exit " + std::to_string(code) +
                 ") | " + words::counts(r.run.summary()) + " |");
    }
    text.end_table("the JSON report of each target has its summary");

    std::string head = "| case | level |", rule = "|---|---|";
    for (const auto& r : runs) {
        head += " " + markdown::cell(r.name, 64) + " |";
        rule += "---|";
    }
    head += "\n" + rule + "\n";

    // The rows a reader wants first: where the targets do not agree.
    int differing = 0;
    for (const auto& family : families)
        for (const auto& row : family.rows)
            differing += row.differs(runs) ? 1 : 0;
    text.add("### Where the targets differ (" + std::to_string(differing) + ")\n\n");
    if (differing > 0) text.add(head);
    for (const auto& family : families)
        for (const auto& row : family.rows)
            if (row.differs(runs)) text.row(markdown_row(row, runs));
    text.end_table("the full matrix below and the HTML matrix have every case");

    text.add("<details><summary>Every case, by family</summary>\n\n" + head);
    for (const auto& family : families) {
        std::string family_row = "| **" + markdown::cell(family.name, 64) + "** | |";
        for (std::size_t r = 0; r < runs.size(); ++r)
            family_row += " |";
        text.row(family_row);
        for (const auto& row : family.rows)
            text.row(markdown_row(row, runs));
    }
    std::string totals = "| **totals** | |";
    for (const auto& r : runs)
        totals += " " + words::counts(r.run.summary()) + " |";
    text.add(totals + "\n");
    text.end_table("the HTML matrix and each target's reports list every case");
    text.add("</details>\n");
    out << text.text();
}

} // namespace upgradespec
