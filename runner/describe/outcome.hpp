#pragma once
// Outcomes in words, for `explain`, `doc` and the reports: a `when` ("status 426, Upgrade
// listing websocket"), what would pass, and what the target did.
#include "model/case.hpp"
#include "model/observation.hpp"

#include <string>

namespace upgradespec {

// A `when` in plain words ("anything" when it has no member).
std::string describe(const Predicate& when);

// What would have passed: the passing outcomes' `when`s (the info ones when none passes).
std::string describe_expected(const Case& c);

// What the target did: status lines, the fields that matter, closes, frames, step failures.
std::string describe_observed(const Observation& seen);

} // namespace upgradespec
