#include "reports/junit.hpp"

#include "reports/escape.hpp"
#include "reports/text.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

namespace {

struct Counts {
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    std::chrono::microseconds time{0};
};

struct Family {
    std::string name;
    std::vector<const CaseResult*> cases;
};

// An attribute: ` name="value"` with the value made safe, whatever its bytes.
std::string attr(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "=\"" + markup_escape(printable_line(value)) + "\"";
}

std::string seconds(std::chrono::microseconds d) {
    // format_ms() of the millisecond count reads as seconds with three decimals.
    return format_ms(std::chrono::microseconds(d.count() / 1000));
}

std::string counts_attrs(const Counts& n) {
    return attr("tests", std::to_string(n.tests)) + attr("failures", std::to_string(n.failures)) +
           attr("errors", std::to_string(n.errors)) + attr("skipped", std::to_string(n.skipped)) +
           attr("time", seconds(n.time));
}

Counts count(const std::vector<const CaseResult*>& cases, bool strict) {
    Counts n;
    for (const auto* c : cases) {
        ++n.tests;
        n.time += c->duration;
        if (is_waived(*c)) { // a known failure: CI consumers must not count it
            ++n.skipped;
            continue;
        }
        switch (effective_verdict(*c, strict)) {
        case Verdict::fail:
            ++n.failures;
            break;
        case Verdict::error:
            ++n.errors;
            break;
        case Verdict::skip:
            ++n.skipped;
            break;
        case Verdict::pass:
        case Verdict::info:
        case Verdict::warn:
            break;
        }
    }
    return n;
}

// Families in the order they first appear.
std::vector<Family> group_by_family(const std::vector<CaseResult>& cases) {
    std::vector<Family> families;
    for (const auto& c : cases) {
        Family* family = nullptr;
        for (auto& f : families)
            if (f.name == c.family) family = &f;
        if (!family) family = &families.emplace_back(Family{c.family, {}});
        family->cases.push_back(&c);
    }
    return families;
}

std::string finding_line(const Finding& f) {
    std::string line = "[" + printable_line(f.requirement) + "] " +
                       std::string(to_string(f.verdict)) + ": " + printable_line(f.message);
    if (!f.rule.empty()) line += " (" + printable_line(f.rule) + ")";
    return line + "\n";
}

std::string findings_text(const CaseResult& c) {
    std::string text;
    for (const auto& f : c.findings)
        if (f.verdict != Verdict::pass) text += finding_line(f);
    return text;
}

std::string failure_text(const CaseResult& c) {
    std::string text = findings_text(c);
    if (!c.expected.empty()) text += "expected: " + printable_line(c.expected) + "\n";
    if (!c.observed.empty()) text += "observed: " + printable_line(c.observed) + "\n";
    return text;
}

// The finding that decided the verdict: the first one as bad as the case.
const Finding* deciding_finding(const CaseResult& c) {
    for (const auto& f : c.findings)
        if (f.verdict == c.verdict) return &f;
    return nullptr;
}

void write_properties(const CaseResult& c, std::ostream& out) {
    auto property = [&](std::string_view name, std::string_view value) {
        out << "        <property" << attr("name", name) << attr("value", value) << "/>\n";
    };
    out << "      <properties>\n";
    property("requirement", c.requirement);
    property("level", to_string(c.level));
    property("verdict", to_string(c.verdict));
    for (const auto& ref : c.refs)
        property("ref", ref);
    for (const auto& tag : c.tags)
        property("tag", tag);
    if (c.waiver) {
        property("waiver", to_string(c.waiver->status));
        property("waiver_reason", c.waiver->reason);
        if (!c.waiver->expires.empty()) property("waiver_expires", c.waiver->expires);
    }
    out << "      </properties>\n";
}

void write_outcome(const CaseResult& c, Verdict shown, std::ostream& out) {
    const Finding* decider = deciding_finding(c);
    const std::string message = decider ? decider->message : c.observed;
    const std::string type = decider ? decider->requirement : c.requirement;
    if (is_waived(c)) { // skipped, so CI does not count it; the failure stays in system-out
        out << "      <skipped" << attr("message", "waived: " + c.waiver->reason) << "/>\n";
        return;
    }
    switch (shown) {
    case Verdict::fail:
        out << "      <failure" << attr("message", message) << attr("type", type) << ">"
            << markup_escape(failure_text(c)) << "</failure>\n";
        return;
    case Verdict::error:
        out << "      <error" << attr("message", message) << attr("type", "infrastructure") << ">"
            << markup_escape(failure_text(c)) << "</error>\n";
        return;
    case Verdict::skip:
        out << "      <skipped" << attr("message", skip_reason(c)) << "/>\n";
        return;
    case Verdict::pass:
    case Verdict::info:
    case Verdict::warn:
        return;
    }
}

void write_case(const CaseResult& c, bool strict, std::ostream& out) {
    const Verdict shown = effective_verdict(c, strict);
    out << "    <testcase" << attr("classname", c.family) << attr("name", c.id + ": " + c.title)
        << attr("time", seconds(c.duration)) << ">\n";
    write_properties(c, out);
    write_outcome(c, shown, out);

    // Passing warns and infos keep their findings visible beside the transcript.
    std::string system_out;
    if (shown == Verdict::warn || shown == Verdict::info) system_out = findings_text(c);
    if (is_waived(c)) system_out = failure_text(c);
    system_out += transcript_text(c.transcript);
    if (!system_out.empty())
        out << "      <system-out>" << markup_escape(system_out) << "</system-out>\n";
    out << "    </testcase>\n";
}

void write_suite(const RunResult& run, const Family& family, std::ostream& out) {
    out << "  <testsuite" << attr("name", family.name)
        << counts_attrs(count(family.cases, run.strict)) << attr("timestamp", run.started_at)
        << ">\n";
    out << "    <properties>\n"
        << "      <property" << attr("name", "target") << attr("value", run.target) << "/>\n"
        << "      <property" << attr("name", "tool_version") << attr("value", run.tool_version)
        << "/>\n"
        << "      <property" << attr("name", "strict")
        << attr("value", run.strict ? "true" : "false") << "/>\n"
        << "    </properties>\n";
    for (const auto* c : family.cases)
        write_case(*c, run.strict, out);
    out << "  </testsuite>\n";
}

} // namespace

void write_junit(const RunResult& run, std::ostream& out) {
    std::vector<const CaseResult*> all;
    for (const auto& c : run.cases)
        all.push_back(&c);
    Counts total = count(all, run.strict);
    total.time = run.duration;

    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out << "<testsuites" << attr("name", "upgradespec") << counts_attrs(total) << ">\n";
    for (const auto& family : group_by_family(run.cases))
        write_suite(run, family, out);
    out << "</testsuites>\n";
}

} // namespace upgradespec
