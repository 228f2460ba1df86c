#pragma once
// The order a run starts its cases in: by the dependency graph, not in waves. A case is ready as
// soon as its own dependencies are done; among the ready cases the one with the longest known wait
// ahead of it (its deliberate holds and quiet windows plus those of its longest chain of
// dependents) starts first, so the silences overlap the rest of the run instead of adding up.
#include "model/case.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <vector>

namespace upgradespec {

// What a case waits on purpose: a held body and the quiet windows of its steps.
std::chrono::milliseconds deliberate_wait(const Case& c);

class Schedule {
  public:
    // Throws CatalogueError (naming file, case and field) on a dependency cycle or a dependency
    // that is not among `cases`.
    explicit Schedule(const std::vector<Case>& cases);

    // The ready case to start now, longest wait first (then catalogue order); none when every
    // ready case has been handed out or the rest wait for a dependency or a release.
    std::optional<std::size_t> next();

    // The case ended: the cases that depended on it only on it become ready.
    void done(std::size_t index);

    // `index` also waits for something outside the graph (the echo probe) until release().
    void hold(std::size_t index);
    void release(std::size_t index);

    // Its own wait plus the longest wait of a chain of dependents: the start order.
    std::chrono::milliseconds critical_wait(std::size_t index) const { return critical_[index]; }

  private:
    void make_ready(std::size_t index);

    std::vector<std::vector<std::size_t>> dependents_;
    std::vector<int> waiting_for_; // dependencies not yet done, plus holds
    std::vector<std::chrono::milliseconds> critical_;
    // Ordered by (longest wait first, then catalogue order).
    std::set<std::pair<long long, std::size_t>> ready_;
};

} // namespace upgradespec
