#include "reports/console.hpp"

#include "reports/by_requirement.hpp"
#include "reports/escape.hpp"
#include "reports/text.hpp"
#include "reports/words.hpp"

#include <vector>

namespace upgradespec {

namespace {

constexpr std::string_view bold = "1";
constexpr std::string_view red = "31";
constexpr std::string_view bold_red = "1;31";

std::string_view mark_text(Verdict v) {
    switch (v) {
    case Verdict::pass:
        return "PASS";
    case Verdict::info:
        return "INFO";
    case Verdict::skip:
        return "SKIP";
    case Verdict::warn:
        return "WARN";
    case Verdict::fail:
        return "FAIL";
    case Verdict::error:
        return "ERR ";
    }
    return "ERR ";
}

std::string_view mark_colour(Verdict v) {
    switch (v) {
    case Verdict::pass:
        return "32";
    case Verdict::info:
        return "36";
    case Verdict::skip:
        return "2";
    case Verdict::warn:
        return "33";
    case Verdict::fail:
        return red;
    case Verdict::error:
        return "35";
    }
    return red;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

std::string counted(int n, std::string_view singular, std::string_view plural) {
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

// "UPG-426-UPGRADE-HDR: A 426 names ...": the id with its title, when the run has it.
std::string titled(const RunResult& run, const std::string& id) {
    auto entry = run.requirements.find(id);
    if (entry == run.requirements.end()) return readable(id);
    return readable(id) + ": " + readable(entry->second.title);
}

bool is_failure(Verdict v) {
    return v == Verdict::fail || v == Verdict::error;
}
bool is_warning(Verdict v) {
    return v == Verdict::warn;
}

} // namespace

ConsoleReporter::ConsoleReporter(std::ostream& out, ConsoleOptions options)
    : out_(out), options_(options) {}

std::string ConsoleReporter::paint(std::string_view text, std::string_view ansi) const {
    if (!options_.color) return std::string(text);
    return "\x1b[" + std::string(ansi) + "m" + std::string(text) + "\x1b[0m";
}

std::string ConsoleReporter::mark(Verdict v) const {
    return paint(mark_text(v), mark_colour(v));
}

void ConsoleReporter::case_finished(const CaseResult& c, bool strict) {
    const std::string shown =
        is_waived(c) ? paint("WAIV", "33") : mark(effective_verdict(c, strict));
    out_ << shown << "  " << readable(c.id) << "  " << readable(c.title) << " ("
         << words::whole_ms(c.duration) << " ms)\n";
}

void ConsoleReporter::run_finished(const RunResult& run) {
    write_broken_requirements(run);
    write_section(run, "Failures", is_failure);
    write_section(run, "Warnings", is_warning);
    if (options_.verbose) write_skipped(run);
    write_waivers(run);
    write_problems(run);
    write_counts(run);
    out_.flush();
}

void ConsoleReporter::write_section(const RunResult& run, std::string_view heading,
                                    bool (*wanted)(Verdict)) {
    bool first = true;
    for (const auto& c : run.cases) {
        const Verdict shown = effective_verdict(c, run.strict);
        if (!wanted(shown) || is_waived(c)) continue; // waived failures have their own section
        if (first) out_ << "\n" << paint(heading, bold) << "\n";
        first = false;
        write_details(run, c, shown);
    }
}

// Each requirement the target breaks, once: a vendor fixes rules, not cases.
void ConsoleReporter::write_broken_requirements(const RunResult& run) {
    const auto broken = broken_requirements(run);
    if (broken.empty()) return;
    out_ << "\n" << paint("Requirements broken", bold) << "\n";
    for (const auto& b : broken) {
        out_ << mark(b.worst) << "  " << readable(b.id);
        if (b.entry)
            out_ << " (" << b.entry->level << "; " << join(b.entry->sections, ", ") << ")  "
                 << readable(b.entry->title);
        out_ << "\n      " << counted(b.cases, "case", "cases") << ", e.g. "
             << readable(b.example_case) << ": " << readable(b.example_message) << "\n";
    }
}

void ConsoleReporter::write_details(const RunResult& run, const CaseResult& c, Verdict shown) {
    const std::string indent = "      ";
    out_ << "\n" << mark(shown) << "  " << readable(c.id) << "  " << readable(c.title) << "\n";

    std::vector<std::string> refs;
    for (const auto& ref : c.refs)
        refs.push_back(readable(ref));
    out_ << indent << "requirement: " << titled(run, c.requirement) << " (" << to_string(c.level);
    if (!refs.empty()) out_ << "; " << join(refs, ", ");
    out_ << ")\n";

    for (const auto& f : c.findings) {
        if (f.verdict == Verdict::pass) continue;
        out_ << indent << "[" << readable(f.requirement) << "] " << to_string(f.verdict) << ": "
             << readable(f.message);
        if (!f.rule.empty()) out_ << " (" << readable(f.rule) << ")";
        out_ << "\n";
    }
    if (!c.expected.empty()) out_ << indent << "expected: " << readable(c.expected) << "\n";
    if (!c.observed.empty()) out_ << indent << "observed: " << readable(c.observed) << "\n";

    if (!options_.verbose || c.transcript.empty()) return;
    out_ << indent << "transcript:\n";
    const std::string text = transcript_text(c.transcript);
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        out_ << indent << "  " << text.substr(start, end - start) << "\n";
        start = end + 1;
    }
}

void ConsoleReporter::write_skipped(const RunResult& run) {
    bool first = true;
    for (const auto& c : run.cases) {
        if (c.verdict != Verdict::skip) continue;
        if (first) out_ << "\n" << paint("Skipped", bold) << "\n";
        first = false;
        out_ << mark(Verdict::skip) << "  " << readable(c.id) << "  " << readable(c.title) << ": "
             << readable(skip_reason(c)) << "\n";
    }
}

// Failures the baseline waives, and waivers that waived nothing (--baseline).
void ConsoleReporter::write_waivers(const RunResult& run) {
    bool first = true;
    for (const auto& c : run.cases) {
        if (!is_waived(c)) continue;
        if (first) out_ << "\n" << paint("Waived (known failures in the baseline)", bold) << "\n";
        first = false;
        out_ << paint("WAIV", "33") << "  " << readable(c.id) << "  " << readable(c.waiver->reason);
        if (!c.waiver->expires.empty()) out_ << " (until " << readable(c.waiver->expires) << ")";
        out_ << "\n";
    }
    if (run.stale_waivers.empty()) return;
    out_ << "\n" << paint("Stale waivers (remove them from the baseline)", bold) << "\n";
    for (const auto& w : run.stale_waivers)
        out_ << "STALE  " << readable(w.case_id) << "  "
             << (w.in_run ? "the case passes now" : "no such case in this run")
             << " (waiver: " << readable(w.reason) << ")\n";
}

void ConsoleReporter::write_problems(const RunResult& run) {
    for (const auto& d : run.detected)
        out_ << "\ndetected: " << readable(d) << "\n";
    if (!run.target_problem.empty())
        out_ << "\n" << paint("TARGET PROBLEM: " + readable(run.target_problem), bold_red) << "\n";
    if (run.interrupted)
        out_ << "\n"
             << paint("INTERRUPTED: the run stopped early; not every selected case ran.", bold_red)
             << "\n";
}

void ConsoleReporter::write_counts(const RunResult& run) {
    const Summary s = run.summary();
    int strict_warnings = 0;
    for (const auto& c : run.cases)
        if (run.strict && c.verdict == Verdict::warn && !is_waived(c)) ++strict_warnings;

    std::vector<std::string> extras;
    if (s.warned > 0) extras.push_back(counted(s.warned, "warning", "warnings"));
    if (strict_warnings > 0)
        extras.push_back(counted(strict_warnings, "warning", "warnings") +
                         " counted as failed under strict");
    if (s.errors > 0) extras.push_back(counted(s.errors, "error", "errors"));
    if (s.info > 0) extras.push_back(std::to_string(s.info) + " info");
    if (s.waived > 0) extras.push_back(std::to_string(s.waived) + " waived");
    if (!run.stale_waivers.empty())
        extras.push_back(
            counted(static_cast<int>(run.stale_waivers.size()), "stale waiver", "stale waivers"));

    out_ << "\n";
    if (!extras.empty()) out_ << "(" << join(extras, ", ") << ")\n";
    // Info and (non-strict) warnings pass; errors fail.
    out_ << s.passed + s.info + s.warned << " passed, " << s.failed + s.errors << " failed, "
         << s.skipped << " skipped\n";
}

} // namespace upgradespec
