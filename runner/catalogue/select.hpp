#pragma once
// Which cases a run includes: --case globs, --tag, --level, plus their dependencies.
#include "model/case.hpp"

#include <string>
#include <vector>

namespace upgradespec {

struct Selection {
    std::vector<std::string> id_globs; // any of them (shell-style: *, ?, [..])
    std::vector<std::string> tags;     // any of them
    std::vector<Level> levels;         // any of them
};

// The selected cases in catalogue order. A selected case's depends_on cases are included too,
// so a differential case always has its baseline.
std::vector<Case> select_cases(const std::vector<Case>& all, const Selection& selection);

} // namespace upgradespec
