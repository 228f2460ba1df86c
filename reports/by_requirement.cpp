#include "reports/by_requirement.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace upgradespec {

std::vector<BrokenRequirement> broken_requirements(const RunResult& run) {
    std::map<std::string, BrokenRequirement> by_id;
    for (const auto& c : run.cases) {
        std::set<std::string> counted; // a case counts once per requirement
        for (const auto& f : c.findings) {
            const Verdict v = f.verdict == Verdict::warn && run.strict ? Verdict::fail : f.verdict;
            if (v != Verdict::fail && v != Verdict::warn) continue;
            BrokenRequirement& b = by_id[f.requirement];
            if (b.id.empty()) {
                b.id = f.requirement;
                auto entry = run.requirements.find(f.requirement);
                if (entry != run.requirements.end()) b.entry = &entry->second;
                b.example_case = c.id;
                b.example_message = f.message;
                b.worst = v;
            } else if (v == Verdict::fail && b.worst != Verdict::fail) {
                b.worst = v;
                b.example_case = c.id; // the example shows the worst
                b.example_message = f.message;
            }
            if (counted.insert(f.requirement).second) ++b.cases;
        }
    }
    std::vector<BrokenRequirement> out;
    for (auto& [id, b] : by_id)
        out.push_back(std::move(b));
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        if (a.worst != b.worst) return a.worst == Verdict::fail;
        return a.cases > b.cases;
    });
    return out;
}

} // namespace upgradespec
