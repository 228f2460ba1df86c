#pragma once
// `compare OLD NEW`: what changed between two runs, case by case.
//
// Effective verdicts (warn is fail under --strict) are ranked: pass = info < warn < fail =
// error. A case whose rank rose is a regression (pass/info -> warn/fail/error, warn ->
// fail/error); one whose rank fell is a fix. skip is not judged and has no rank: a change to or
// from skip, and a change within a rank (pass <-> info, fail <-> error), is an "other change".
// Waivers play no part: a waived failure is still a failure here.
#include "model/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace upgradespec {

struct VerdictChange {
    std::string id, title;
    Verdict before = Verdict::pass, after = Verdict::pass;
};

struct CaseVerdict {
    std::string id, title;
    Verdict verdict = Verdict::pass;
};

struct Comparison {
    std::string old_file, new_file;
    std::string old_target, new_target;
    bool same_catalogue = true; // the catalogue fingerprints match (or one is unknown)
    std::vector<VerdictChange> regressions, fixes, other_changes;
    std::vector<CaseVerdict> new_cases, removed_cases;
    int unchanged = 0;
};

// The rank of a judged verdict (0 pass/info, 1 warn, 2 fail/error); none for skip.
std::optional<int> verdict_rank(Verdict v);

// Cases matched by id; lists keep NEW's order (removed cases: OLD's order).
Comparison compare_runs(const RunResult& before, const RunResult& after,
                        const std::string& old_file, const std::string& new_file);

// 1 when there are regressions, else 0.
int comparison_exit_code(const Comparison& comparison);

} // namespace upgradespec
