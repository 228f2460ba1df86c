#include "checks/judge.hpp"

#include "checks/outcome.hpp"
#include "checks/rules.hpp"
#include "describe/outcome.hpp"

#include <algorithm>

namespace upgradespec {

namespace {

// Every text a target can fill goes into several reports: a reason phrase or a frame of a
// megabyte must not be copied whole into each.
constexpr std::size_t max_description = 4096;

void bound(std::string& text) {
    if (text.size() <= max_description) return;
    const std::size_t cut = text.size() - max_description;
    text.resize(max_description);
    text += "... (" + std::to_string(cut) + " more bytes not shown)";
}

void bound_texts(CaseResult& r) {
    bound(r.observed);
    bound(r.expected);
    for (auto& f : r.findings)
        bound(f.message);
}

CaseResult describe_case(const Case& c) {
    CaseResult r;
    r.id = c.id;
    r.title = c.title;
    r.family = c.family;
    r.requirement = c.requirement;
    r.level = c.level;
    r.refs = c.refs;
    r.tags = c.tags;
    r.depends_on = c.depends_on;
    r.expected = describe_expected(c);
    return r;
}

} // namespace

CaseResult judge_case(const Case& c, const Observation& seen, const Placeholders& vars) {
    CaseResult r = describe_case(c);
    r.observed = describe_observed(seen);
    Finding own = judge_outcome(c, seen, vars);
    r.findings.push_back(own);
    r.verdict = own.verdict;
    if (own.verdict == Verdict::error) { // nothing was seen to judge
        bound_texts(r);
        return r;
    }

    std::vector<Finding> fired = apply_rules(seen);
    for (const auto& later : seen.later)
        for (auto& finding : apply_rules(later))
            if (std::none_of(fired.begin(), fired.end(),
                             [&](const Finding& f) { return f.rule == finding.rule; }))
                fired.push_back(std::move(finding));
    for (auto& finding : fired) {
        // The case's own outcome already said it: one finding per requirement is enough, unless
        // the rule's is the worse (a rule's FAIL is not hidden behind the case's WARN).
        if (finding.requirement == c.requirement && own.verdict != Verdict::pass &&
            worst(own.verdict, finding.verdict) == own.verdict)
            continue;
        r.verdict = worst(r.verdict, finding.verdict);
        r.findings.push_back(std::move(finding));
    }
    bound_texts(r);
    return r;
}

namespace {

CaseResult not_run(const Case& c, Verdict verdict, const char* observed,
                   const std::string& reason) {
    CaseResult r = describe_case(c);
    r.verdict = verdict;
    r.observed = observed;
    r.findings.push_back({c.requirement, verdict, reason, ""});
    bound_texts(r);
    return r;
}

} // namespace

CaseResult skipped_case(const Case& c, const std::string& reason) {
    return not_run(c, Verdict::skip, "not run", reason);
}

CaseResult unjudged_case(const Case& c, const std::string& reason) {
    return not_run(c, Verdict::error, "not judged", reason);
}

} // namespace upgradespec
