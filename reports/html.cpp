#include "reports/html.hpp"

#include "reports/by_requirement.hpp"
#include "reports/escape.hpp"
#include "reports/text.hpp"
#include "reports/words.hpp"

#include <array>
#include <cctype>
#include <set>

namespace upgradespec {

namespace html {

namespace {

// The page fetches nothing: no scripts, styles, fonts or images from anywhere but itself.
constexpr std::string_view content_policy =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'";

constexpr std::string_view style = R"(
:root{--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--info:#0969da;--skip:#6e7781;--error:#8250df;
--line:#d0d7de;--soft:#f6f8fa}
body{font:14px/1.45 system-ui,sans-serif;color:#1f2328;margin:0 auto;max-width:1500px;padding:1rem 1.5rem}
h1{font-size:1.5rem;margin:.3rem 0}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid var(--line)}
a{color:#0969da}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{position:sticky;top:0;background:var(--soft)}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;min-width:3.2em;text-align:center;border-radius:1em;padding:0 .5em;
color:#fff;font-weight:600;font-size:.85em}
.b-pass{background:var(--pass)}.b-fail{background:var(--fail)}.b-warn{background:var(--warn)}
.b-info{background:var(--info)}.b-skip{background:var(--skip)}.b-error{background:var(--error)}
.b-waived{background:#bf8700}
.b-none{background:#fff;color:var(--skip);border:1px dashed var(--line)}
.outcome{font-size:1.1rem;font-weight:700}
.o-passed{color:var(--pass)}.o-failed,.o-target-problem,.o-interrupted{color:var(--fail)}
.o-nothing-judged{color:var(--warn)}
.counts{display:flex;flex-wrap:wrap;gap:.8rem;list-style:none;padding:0}
.counts li{border-left:4px solid var(--line);padding:.1rem .7rem}
.counts .n{display:block;font-size:1.4rem;font-weight:700}
.c-pass{border-color:var(--pass)!important}.c-fail{border-color:var(--fail)!important}
.c-warn{border-color:var(--warn)!important}.c-info{border-color:var(--info)!important}
.c-skip{border-color:var(--skip)!important}.c-error{border-color:var(--error)!important}
.c-waived{border-color:#bf8700!important}
dl.run{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem}
dl.run dt{font-weight:600}dl.run dd{margin:0}
.problem{border-left:4px solid var(--fail);background:#ffebe9;padding:.5rem .8rem}
.note{border-left:4px solid var(--info);background:#ddf4ff;padding:.5rem .8rem}
.title{color:#57606a}
.id{font-family:ui-monospace,monospace;font-weight:600}
.refs a,td.requirement .id{white-space:nowrap}
.req{border-left:4px solid var(--line);padding:.2rem .8rem;margin:.6rem 0}
.req:target{border-color:var(--info);background:#ddf4ff}
.req p{margin:.2rem 0}
.muted{color:#6e7781}
tbody.case tr.more td{border-bottom:2px solid var(--line)}
tbody.case tr.main td{border-bottom:none}
ul.findings{margin:.1rem 0 .3rem;padding-left:1.2rem}
pre{white-space:pre-wrap;word-break:break-all;background:var(--soft);padding:.5rem;margin:.3rem 0;
max-height:40rem;overflow:auto;font:12px/1.4 ui-monospace,monospace}
tr.family th{background:#eaeef2}
tr.differs td{background:#fff8c5}
.scroll{overflow-x:auto}
#filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:center;margin:.5rem 0;padding:.4rem .6rem;
background:var(--soft);border:1px solid var(--line)}
[hidden]{display:none!important}
)";

// Shows the filter bar, then hides the rows the filters leave out. Without script every row
// stays visible. The address can set the filters, for a link to share: ?only=fail,error,
// ?differ=1 (the matrix), ?q=TEXT.
constexpr std::string_view script = R"(
(function () {
  var bar = document.getElementById('filters');
  if (!bar) return;
  bar.hidden = false;
  var boxes = bar.querySelectorAll('input[data-verdict]');
  var differing = document.getElementById('only-differing');
  var search = document.getElementById('search');
  var params = new URLSearchParams(location.search);
  if (params.has('only')) {
    var only = params.get('only').split(',');
    boxes.forEach(function (box) { box.checked = only.indexOf(box.getAttribute('data-verdict')) >= 0; });
  }
  if (differing && params.get('differ') === '1') differing.checked = true;
  if (params.has('q')) search.value = params.get('q');
  function apply() {
    var shown = {};
    boxes.forEach(function (box) { shown[box.getAttribute('data-verdict')] = box.checked; });
    var text = search.value.toLowerCase();
    document.querySelectorAll('[data-verdicts]').forEach(function (row) {
      var visible = row.getAttribute('data-verdicts').split(' ').some(function (v) { return shown[v]; });
      if (differing && differing.checked && !row.classList.contains('differs')) visible = false;
      if (text && row.getAttribute('data-key').indexOf(text) < 0) visible = false;
      row.hidden = !visible;
    });
  }
  bar.addEventListener('input', apply);
  bar.addEventListener('change', apply);
  apply();
})();
)";

bool is_section_start(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

} // namespace

std::string escape(std::string_view text) {
    return markup_escape(readable(text));
}

std::string ref_url(std::string_view ref) {
    const auto space = ref.find(' ');
    const std::string_view document = ref.substr(0, space);
    std::string section;
    if (space != std::string_view::npos) section = std::string(ref.substr(space + 1));
    for (char c : section)
        if (!is_section_start(c) && c != '.') return ""; // not a plain section number
    if (!section.empty() && !is_section_start(section.front())) return "";

    std::string base;
    if (document.size() > 3 && document.substr(0, 3) == "RFC") {
        std::string number(document.substr(3));
        for (char c : number)
            if (!std::isdigit(static_cast<unsigned char>(c))) return "";
        base = "https://www.rfc-editor.org/rfc/rfc" + number;
    } else if (document.substr(0, 6) == "draft-") {
        for (char c : document)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return "";
        base = "https://datatracker.ietf.org/doc/html/" + std::string(document);
    } else {
        return "";
    }
    if (section.empty()) return base;
    const bool appendix = std::isalpha(static_cast<unsigned char>(section.front())) != 0;
    return base + (appendix ? "#appendix-" : "#section-") + section;
}

std::string ref_links(const std::vector<std::string>& refs) {
    std::string out;
    for (const auto& ref : refs) {
        if (!out.empty()) out += "<br>";
        const std::string url = ref_url(ref);
        if (url.empty()) {
            out += escape(ref);
            continue;
        }
        out += "<a href=\"" + escape(url) + "\">" + escape(ref) + "</a>";
    }
    return out;
}

std::string badge(std::string_view standing) {
    const std::string name(standing);
    return "<span class=\"badge b-" + name + "\">" + name + "</span>";
}

std::string badge(Verdict v) {
    return badge(to_string(v));
}

void begin_page(std::ostream& out, std::string_view title) {
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << content_policy << "\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta name=\"generator\" content=\"upgradespec\">\n"
        << "<title>" << escape(title) << "</title>\n<style>" << style << "</style>\n</head>\n"
        << "<body>\n";
}

void end_page(std::ostream& out) {
    out << "<script>" << script << "</script>\n</body>\n</html>\n";
}

void filter_bar(std::ostream& out, const std::optional<Summary>& counts,
                bool with_differing_toggle) {
    out << "<div id=\"filters\" hidden>\n<span>Show:</span>\n";
    for (const auto& column : words::count_columns) {
        out << "<label><input type=\"checkbox\" checked data-verdict=\"" << column.standing
            << "\"> " << badge(column.standing);
        if (counts) out << " " << (*counts).*column.count;
        out << "</label>\n";
    }
    if (with_differing_toggle)
        out << "<label><input type=\"checkbox\" id=\"only-differing\"> only cases where the "
               "targets differ</label>\n";
    out << "<label>Search <input type=\"search\" id=\"search\" placeholder=\"id, requirement, "
           "title\"></label>\n</div>\n";
}

} // namespace html

namespace {

using html::escape;

// A transcript shown in the page is cut here; the JSON report keeps every byte.
constexpr std::size_t max_transcript_chars = 256 * 1024;

std::string lower(std::string text) {
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

void write_counts(const Summary& s, std::ostream& out) {
    out << "<ul class=\"counts\" id=\"counts\">\n";
    for (const auto& column : words::count_columns)
        out << "<li class=\"c-" << column.standing << "\"><span class=\"n\" id=\"count-"
            << column.label << "\">" << s.*column.count << "</span>" << column.label << "</li>\n";
    out << "<li><span class=\"n\" id=\"count-total\">" << s.total() << "</span>total</li>\n</ul>\n";
}

// Waivers that waived nothing: their case passes now, or is not in the run.
void write_stale_waivers(const RunResult& run, std::ostream& out) {
    if (run.stale_waivers.empty()) return;
    out << "<div class=\"note\" id=\"stale-waivers\"><strong>Stale waivers</strong> (the "
           "baseline can drop them):\n<ul>\n";
    for (const auto& w : run.stale_waivers)
        out << "<li><span class=\"id\">" << escape(w.case_id)
            << "</span>: " << (w.in_run ? "passes now" : "not in this run") << "; "
            << escape(w.reason) << "</li>\n";
    out << "</ul></div>\n";
}

void write_summary(const RunResult& run, std::ostream& out) {
    const int code = exit_code(run);
    const std::string word(words::outcome(code));
    std::string css = word;
    for (char& c : css)
        if (c == ' ') c = '-';
    out << "<header>\n<h1>upgradespec report</h1>\n<p class=\"outcome o-" << css
        << "\" id=\"outcome\">" << escape(word) << " (exit code " << code << ")</p>\n</header>\n"
        << "<section id=\"summary\">\n<h2>Summary</h2>\n";
    if (run.interrupted)
        out << "<p class=\"problem\" id=\"interrupted\">The run was interrupted (SIGINT or "
               "SIGTERM): finished cases are kept, the rest were not run.</p>\n";
    if (!run.target_problem.empty())
        out << "<p class=\"problem\" id=\"target-problem\">" << escape(run.target_problem)
            << "</p>\n";
    write_counts(run.summary(), out);
    out << "<dl class=\"run\">\n"
        << "<dt>target</dt><dd id=\"target\">" << escape(run.target) << "</dd>\n"
        << "<dt>tool</dt><dd id=\"tool-version\">upgradespec " << escape(run.tool_version)
        << "</dd>\n"
        << "<dt>started</dt><dd id=\"started-at\">" << escape(run.started_at) << "</dd>\n"
        << "<dt>duration</dt><dd id=\"duration\">" << words::seconds(run.duration) << "</dd>\n"
        << "<dt>strict</dt><dd id=\"strict\">"
        << (run.strict ? "yes: warnings count as failures" : "no: warnings are allowed")
        << "</dd>\n"
        << "<dt>interrupted</dt><dd>" << (run.interrupted ? "yes" : "no") << "</dd>\n";
    for (const auto& d : run.detected)
        out << "<dt>detected</dt><dd class=\"detected\">" << escape(d) << "</dd>\n";
    if (run.shard)
        out << "<dt>shard</dt><dd id=\"shard\">" << run.shard->index << " of " << run.shard->count
            << " (" << run.cases.size() << " of " << run.selection_size
            << " selected cases)</dd>\n";
    if (!run.baseline_fingerprint.empty())
        out << "<dt>baseline</dt><dd id=\"baseline\">SHA-256 "
            << escape(run.baseline_fingerprint.substr(0, 16)) << "…</dd>\n";
    out << "</dl>\n";
    write_stale_waivers(run, out);
    out << "</section>\n";
}

struct FamilyCounts {
    std::string name;
    Summary counts;
};

std::vector<FamilyCounts> family_counts(const RunResult& run) {
    std::vector<FamilyCounts> families;
    for (const auto& c : run.cases) {
        FamilyCounts* family = nullptr;
        for (auto& f : families)
            if (f.name == c.family) family = &f;
        if (!family) family = &families.emplace_back(FamilyCounts{c.family, {}});
        family->counts.add(c, run.strict);
    }
    return families;
}

void write_families(const RunResult& run, std::ostream& out) {
    out << "<section id=\"families\">\n<h2>Families</h2>\n<div class=\"scroll\"><table>\n"
        << "<thead><tr><th>family</th>";
    for (const auto& column : words::count_columns)
        out << "<th class=\"n\">" << column.label << "</th>";
    out << "<th class=\"n\">total</th></tr></thead>\n<tbody>\n";
    for (const auto& family : family_counts(run)) {
        out << "<tr data-family=\"" << escape(family.name) << "\"><th><a href=\"#family-"
            << escape(family.name) << "\">" << escape(family.name) << "</a></th>";
        for (const auto& column : words::count_columns)
            out << "<td class=\"n\">" << family.counts.*column.count << "</td>";
        out << "<td class=\"n\">" << family.counts.total() << "</td></tr>\n";
    }
    out << "</tbody>\n</table></div>\n</section>\n";
}

// The id as a link to its rule (the entry at the end of the page), and its title beside it.
std::string requirement_link(const RunResult& run, const std::string& id) {
    std::string text = "<a class=\"id\" href=\"#req-" + escape(id) + "\">" + escape(id) + "</a>";
    auto entry = run.requirements.find(id);
    if (entry != run.requirements.end())
        text += " <span class=\"title\">" + escape(entry->second.title) + "</span>";
    return text;
}

// The run by requirement: each requirement the target breaks, once, with an example.
void write_broken_requirements(const RunResult& run, std::ostream& out) {
    const auto broken = broken_requirements(run);
    if (broken.empty()) return;
    out << "<section id=\"broken-requirements\">\n<h2>Requirements broken (" << broken.size()
        << ")</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>verdict</th><th>requirement"
        << "</th><th>level</th><th>RFC</th><th class=\"n\">cases</th><th>for example</th></tr>"
        << "</thead>\n<tbody>\n";
    for (const auto& b : broken) {
        out << "<tr data-requirement=\"" << escape(b.id) << "\"><td>" << html::badge(b.worst)
            << "</td><td>" << requirement_link(run, b.id) << "</td><td>"
            << (b.entry ? escape(b.entry->level) : "") << "</td><td class=\"refs\">"
            << (b.entry ? html::ref_links(b.entry->sections) : "") << "</td><td class=\"n\">"
            << b.cases << "</td><td><a class=\"id\" href=\"#case-" << escape(b.example_case)
            << "\">" << escape(b.example_case) << "</a> " << escape(b.example_message)
            << "</td></tr>\n";
    }
    out << "</tbody>\n</table></div>\n</section>\n";
}

// Every requirement the run names, with its rule and grading: the target of the id links.
void write_requirement_rules(const RunResult& run, std::ostream& out) {
    if (run.requirements.empty()) return;
    out << "<section id=\"requirements\">\n<h2>Requirements (" << run.requirements.size()
        << ")</h2>\n";
    for (const auto& [id, r] : run.requirements) {
        out << "<div class=\"req\" id=\"req-" << escape(id) << "\">\n<p><span class=\"id\">"
            << escape(id) << "</span> <strong>" << escape(r.title) << "</strong> ("
            << escape(r.level) << (r.level_note.empty() ? "" : ": " + escape(r.level_note))
            << ")</p>\n<p class=\"refs\">" << html::ref_links(r.sections) << "</p>\n<p>"
            << escape(r.rule) << "</p>\n<ul>\n";
        for (const char* verdict : grading_verdicts)
            if (auto when = r.grading.find(verdict); when != r.grading.end())
                out << "<li>" << html::badge(verdict) << " " << escape(when->second) << "</li>\n";
        out << "</ul>\n</div>\n";
    }
    out << "</section>\n";
}

void write_findings(const RunResult& run, const CaseResult& c, std::ostream& out) {
    if (c.findings.empty()) return;
    out << "<ul class=\"findings\">\n";
    for (const auto& f : c.findings) {
        out << "<li>" << html::badge(f.verdict) << " " << requirement_link(run, f.requirement)
            << ": " << escape(f.message);
        if (!f.rule.empty()) out << " <span class=\"muted\">(" << escape(f.rule) << ")</span>";
        out << "</li>\n";
    }
    out << "</ul>\n";
}

void write_transcript(const CaseResult& c, std::ostream& out) {
    if (c.transcript.empty()) return;
    std::string text = transcript_text(c.transcript);
    std::string cut_note;
    if (text.size() > max_transcript_chars) {
        cut_note = "\n[cut at " + std::to_string(max_transcript_chars) + " of " +
                   std::to_string(text.size()) + " characters: the JSON report has every byte]";
        text.resize(max_transcript_chars);
    }
    out << "<details class=\"transcript\"><summary>transcript (" << c.transcript.size()
        << (c.transcript.size() == 1 ? " event" : " events") << ", " << format_ms(c.duration)
        << " ms)</summary><pre>" << escape(text) << escape(cut_note) << "</pre></details>\n";
}

// What the baseline's waiver for the case did, in words.
std::string waiver_text(const CaseWaiver& w) {
    const std::string until = w.expires.empty() ? "" : " (until " + w.expires + ")";
    switch (w.status) {
    case WaiverStatus::waived:
        return "waived by the baseline" + until + ": " + w.reason;
    case WaiverStatus::expired:
        return "the baseline's waiver was valid through " + w.expires + ": " + w.reason;
    case WaiverStatus::stale:
        return "stale waiver, the case passes now: " + w.reason;
    case WaiverStatus::idle:
        return "waiver not applied, the case was not judged: " + w.reason;
    }
    return w.reason;
}

void write_case(const RunResult& run, const CaseResult& c, std::ostream& out) {
    const bool strict = run.strict;
    const Verdict shown = effective_verdict(c, strict);
    const std::string_view standing = words::standing(c, strict);
    const std::string key = lower(c.id + " " + c.requirement + " " + c.title);
    out << "<tbody class=\"case\" id=\"case-" << escape(c.id) << "\" data-verdicts=\"" << standing
        << "\" data-key=\"" << escape(key) << "\">\n<tr class=\"main\">"
        << "<td>" << html::badge(standing);
    if (shown != c.verdict)
        out << "<div class=\"muted\">" << to_string(c.verdict) << ", counted as "
            << to_string(shown) << " under --strict</div>";
    if (c.waiver)
        out << "<div class=\"muted waiver\">" << escape(waiver_text(*c.waiver)) << "</div>";
    out << "</td><td><a class=\"id\" href=\"#case-" << escape(c.id) << "\">" << escape(c.id)
        << "</a><div class=\"title\">" << escape(c.title) << "</div></td>"
        << "<td class=\"requirement\">" << requirement_link(run, c.requirement) << "</td>"
        << "<td>" << to_string(c.level) << "</td>"
        << "<td class=\"refs\">" << html::ref_links(c.refs) << "</td>"
        << "<td class=\"expected\">" << escape(c.expected) << "</td>"
        << "<td class=\"observed\">" << escape(c.observed) << "</td></tr>\n"
        << "<tr class=\"more\"><td></td><td colspan=\"6\">\n";
    write_findings(run, c, out);
    write_transcript(c, out);
    out << "</td></tr>\n</tbody>\n";
}

void write_cases(const RunResult& run, std::ostream& out) {
    out << "<section id=\"cases\">\n<h2>Cases</h2>\n";
    html::filter_bar(out, run.summary(), false);
    out << "<div class=\"scroll\"><table id=\"case-table\">\n<thead><tr><th>verdict</th>"
        << "<th>case</th><th>requirement</th><th>level</th><th>RFC</th><th>expected</th>"
        << "<th>observed</th></tr></thead>\n";
    std::set<std::string> seen;
    const std::string* family = nullptr;
    for (const auto& c : run.cases) {
        if (!family || c.family != *family) {
            family = &c.family;
            out << "<tbody class=\"family\"><tr class=\"family\"><th colspan=\"7\"";
            if (seen.insert(c.family).second) out << " id=\"family-" << escape(c.family) << "\"";
            out << ">" << escape(c.family) << "</th></tr></tbody>\n";
        }
        write_case(run, c, out);
    }
    if (run.cases.empty())
        out << "<tbody><tr><td colspan=\"7\">no case was run</td></tr></tbody>\n";
    out << "</table></div>\n</section>\n";
}

} // namespace

void write_html(const RunResult& run, std::ostream& out) {
    html::begin_page(out, "upgradespec: " + std::string(words::outcome(exit_code(run))) + " — " +
                              run.target);
    write_summary(run, out);
    write_broken_requirements(run, out);
    write_families(run, out);
    write_cases(run, out);
    write_requirement_rules(run, out);
    html::end_page(out);
}

} // namespace upgradespec
