#include "engine/executor.hpp"

#include <map>

namespace upgradespec {

namespace {

// Depth 0: no dependencies; otherwise one more than the deepest dependency.
int depth_of(std::size_t index, const std::vector<Case>& cases,
             const std::map<std::string, std::size_t>& by_id, std::vector<int>& depth,
             std::vector<bool>& visiting) {
    if (depth[index] >= 0) return depth[index];
    const Case& c = cases[index];
    if (visiting[index])
        throw CatalogueError(c.file + ": case \"" + c.id +
                             "\": field depends_on: a dependency cycle");
    visiting[index] = true;
    int d = 0;
    for (const auto& dep : c.depends_on) {
        auto found = by_id.find(dep);
        if (found == by_id.end())
            throw CatalogueError(c.file + ": case \"" + c.id + "\": field depends_on: \"" + dep +
                                 "\" is not among the cases to run");
        d = std::max(d, 1 + depth_of(found->second, cases, by_id, depth, visiting));
    }
    visiting[index] = false;
    return depth[index] = d;
}

} // namespace

std::vector<std::vector<std::size_t>> dependency_waves(const std::vector<Case>& cases) {
    std::map<std::string, std::size_t> by_id;
    for (std::size_t i = 0; i < cases.size(); ++i)
        by_id[cases[i].id] = i;
    std::vector<int> depth(cases.size(), -1);
    std::vector<bool> visiting(cases.size(), false);
    std::vector<std::vector<std::size_t>> waves;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        auto d = static_cast<std::size_t>(depth_of(i, cases, by_id, depth, visiting));
        if (waves.size() <= d) waves.resize(d + 1);
        waves[d].push_back(i);
    }
    return waves;
}

} // namespace upgradespec
