#pragma once
// Cross-cutting response rules: judged on every response and frame any case sees.
#include "model/observation.hpp"
#include "model/result.hpp"

#include <string_view>
#include <vector>

namespace upgradespec {

struct RuleInfo {
    std::string_view id;          // "rule.426-upgrade"
    std::string_view requirement; // the id it enforces (suite/requirements.json)
    Verdict at_most;              // the worst verdict it gives: fail only for a MUST
    std::string_view rfc;         // where the RFC writes the rule: "RFC 9110 15.5.22"
    std::string_view summary;
};

// Every rule, for --list-rules, docs and tests.
const std::vector<RuleInfo>& all_rules();

// The findings of every rule that fired on this observation (at most one per rule).
std::vector<Finding> apply_rules(const Observation& seen);

} // namespace upgradespec
