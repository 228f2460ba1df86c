#include "gate/compare.hpp"

#include <map>

namespace upgradespec {

std::optional<int> verdict_rank(Verdict v) {
    switch (v) {
    case Verdict::pass:
    case Verdict::info:
        return 0;
    case Verdict::warn:
        return 1;
    case Verdict::fail:
    case Verdict::error:
        return 2;
    case Verdict::skip:
        return std::nullopt;
    }
    return std::nullopt;
}

Comparison compare_runs(const RunResult& before, const RunResult& after,
                        const std::string& old_file, const std::string& new_file) {
    Comparison result{.old_file = old_file,
                      .new_file = new_file,
                      .old_target = before.target,
                      .new_target = after.target};
    result.same_catalogue = before.catalogue_fingerprint.empty() ||
                            after.catalogue_fingerprint.empty() ||
                            before.catalogue_fingerprint == after.catalogue_fingerprint;

    std::map<std::string, Verdict> old_verdicts;
    for (const auto& c : before.cases)
        old_verdicts.emplace(c.id, effective_verdict(c, before.strict));
    std::map<std::string, bool> still_there;
    for (const auto& c : after.cases) {
        still_there[c.id] = true;
        const Verdict now = effective_verdict(c, after.strict);
        auto old = old_verdicts.find(c.id);
        if (old == old_verdicts.end()) {
            result.new_cases.push_back({c.id, c.title, now});
            continue;
        }
        const Verdict was = old->second;
        const VerdictChange change{c.id, c.title, was, now};
        const auto rank_was = verdict_rank(was), rank_now = verdict_rank(now);
        if (was == now)
            ++result.unchanged;
        else if (rank_was && rank_now && *rank_now > *rank_was)
            result.regressions.push_back(change);
        else if (rank_was && rank_now && *rank_now < *rank_was)
            result.fixes.push_back(change);
        else
            result.other_changes.push_back(change);
    }
    for (const auto& c : before.cases)
        if (!still_there.count(c.id))
            result.removed_cases.push_back({c.id, c.title, effective_verdict(c, before.strict)});
    return result;
}

int comparison_exit_code(const Comparison& comparison) {
    return comparison.regressions.empty() ? 0 : 1;
}

} // namespace upgradespec
