#pragma once
// Evaluates a case's any-of outcomes against what the engine observed.
#include "engine/request.hpp"
#include "model/case.hpp"
#include "model/observation.hpp"
#include "model/result.hpp"

#include <string>

namespace upgradespec {

// Does `when` hold for this observation? Values are expanded with the case's placeholders.
bool holds(const Predicate& when, const Observation& seen, const Placeholders& vars);

// The case's own finding: the first outcome that holds, else `otherwise`.
Finding judge_outcome(const Case& c, const Observation& seen, const Placeholders& vars);

// The outcome that decides: the first whose `when` holds, else `otherwise`.
const Outcome& decided_outcome(const Case& c, const Observation& seen, const Placeholders& vars);

// Whether the cases that depend on this one may run: its own outcome passed or was info, or it
// warned without `skips_dependents` (a SHOULD miss leaves what they need in place).
bool lets_dependents_run(const Case& c, const Observation& seen, const Placeholders& vars);

// Words for reports: a `when` in plain words ("status 426, Upgrade listing websocket").
std::string describe(const Predicate& when);

// Words for reports: what would have passed, and what the target did.
std::string describe_expected(const Case& c);
std::string describe_observed(const Observation& seen);

} // namespace upgradespec
