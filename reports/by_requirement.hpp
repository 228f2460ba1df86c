#pragma once
// The run seen by requirement: a vendor fixes rules, not cases. Each requirement the target
// breaks appears once, with how many cases show it and one example.
#include "model/result.hpp"

#include <string>
#include <vector>

namespace upgradespec {

struct BrokenRequirement {
    std::string id;
    const Requirement* entry = nullptr; // the catalogue's entry; nullptr when the run lacks it
    Verdict worst = Verdict::warn;      // fail or warn, as the run counts it (--strict)
    int cases = 0;                      // cases with a fail or warn finding under this id
    std::string example_case;           // the first such case
    std::string example_message;        // its finding's message
};

// The requirements some finding fails or warns on, failures first, then by case count and id.
// Errors and skips are not findings against the target and are left out.
std::vector<BrokenRequirement> broken_requirements(const RunResult& run);
// The entries point into the run: it must outlive them.
std::vector<BrokenRequirement> broken_requirements(RunResult&& run) = delete;

} // namespace upgradespec
