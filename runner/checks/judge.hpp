#pragma once
// Turns one case's observation into its result: own outcome plus cross-cutting rules.
#include "model/case.hpp"
#include "model/observation.hpp"
#include "model/placeholders.hpp"
#include "model/result.hpp"

namespace upgradespec {

// Fills everything but the transcript, duration and deadline count (the engine's part).
CaseResult judge_case(const Case& c, const Observation& seen, const Placeholders& vars);

// A case that was not run, with the reason (unmet need, failed dependency).
CaseResult skipped_case(const Case& c, const std::string& reason);

// A case that could not be judged (the target is gone, an internal error): an error verdict.
CaseResult unjudged_case(const Case& c, const std::string& reason);

} // namespace upgradespec
