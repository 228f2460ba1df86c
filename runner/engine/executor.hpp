#pragma once
// Runs cases against the target: one connection per case, --jobs at once, every step under a
// deadline. The only place that knows about sockets.
#include "catalogue/loader.hpp"
#include "model/result.hpp"
#include "model/target.hpp"

#include <chrono>
#include <functional>
#include <vector>

namespace upgradespec {

struct RunOptions {
    int jobs = 4;
    std::chrono::milliseconds timeout{3000}; // each connect, write and read
    std::size_t max_response_bytes = 4 << 20;
    std::function<void(const CaseResult&)> on_case_finished; // called as each case ends
};

// Results in the order of `cases`. A case whose dependency's own outcome did not pass, or whose
// needs the target does not meet, is skipped with the reason. Never throws for target behaviour.
std::vector<CaseResult> run_cases(const std::vector<Case>& cases, const Catalogue& catalogue,
                                  const Target& target, const RunOptions& options);

// Cases in dependency order, grouped so every case's dependencies sit in an earlier group.
// Throws CatalogueError on a cycle or a dependency missing from `cases`.
std::vector<std::vector<std::size_t>> dependency_waves(const std::vector<Case>& cases);

} // namespace upgradespec
