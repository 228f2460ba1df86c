#include "catalogue/select.hpp"

#include <algorithm>
#include <fnmatch.h>
#include <set>

namespace upgradespec {

namespace {

bool chosen(const Case& c, const Selection& s) {
    auto matches_glob = [&](const std::string& glob) {
        return fnmatch(glob.c_str(), c.id.c_str(), 0) == 0;
    };
    auto has_tag = [&](const std::string& tag) {
        return std::find(c.tags.begin(), c.tags.end(), tag) != c.tags.end();
    };
    if (!s.id_globs.empty() && std::none_of(s.id_globs.begin(), s.id_globs.end(), matches_glob))
        return false;
    if (!s.tags.empty() && std::none_of(s.tags.begin(), s.tags.end(), has_tag)) return false;
    if (!s.levels.empty() && std::find(s.levels.begin(), s.levels.end(), c.level) == s.levels.end())
        return false;
    return true;
}

} // namespace

std::vector<Case> select_cases(const std::vector<Case>& all, const Selection& selection) {
    std::set<std::string> wanted;
    for (const auto& c : all)
        if (chosen(c, selection)) wanted.insert(c.id);

    // Pull in dependencies until nothing changes (depth is small; bounded by the case count).
    for (std::size_t round = 0; round < all.size(); ++round) {
        std::size_t before = wanted.size();
        for (const auto& c : all)
            if (wanted.count(c.id)) wanted.insert(c.depends_on.begin(), c.depends_on.end());
        if (wanted.size() == before) break;
    }

    std::vector<Case> selected;
    for (const auto& c : all)
        if (wanted.count(c.id)) selected.push_back(c);
    return selected;
}

} // namespace upgradespec
