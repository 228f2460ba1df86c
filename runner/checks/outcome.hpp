#pragma once
// Evaluates a case's any-of outcomes against what the engine observed. Their words:
// describe/outcome.hpp.
#include "model/case.hpp"
#include "model/observation.hpp"
#include "model/placeholders.hpp"
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

} // namespace upgradespec
