#include "gate/shard.hpp"

#include "model/usage_error.hpp"

#include <charconv>
#include <cstdint>
#include <map>

namespace upgradespec {

namespace {

int parse_count(std::string_view digits) {
    int value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) return -1;
    return value;
}

// Adds `id` and everything it depends on (within the selection) to `needed`. Bounded: each
// id is expanded once.
void need_with_dependencies(const std::string& id, const std::map<std::string, const Case*>& by_id,
                            std::set<std::string>& needed) {
    std::vector<std::string> pending{id};
    while (!pending.empty()) {
        std::string next = std::move(pending.back());
        pending.pop_back();
        auto found = by_id.find(next);
        if (found == by_id.end() || !needed.insert(next).second) continue;
        for (const auto& dep : found->second->depends_on)
            pending.push_back(dep);
    }
}

} // namespace

Shard parse_shard(std::string_view text) {
    const auto slash = text.find('/');
    const int index = slash == std::string_view::npos ? -1 : parse_count(text.substr(0, slash));
    const int count = slash == std::string_view::npos ? -1 : parse_count(text.substr(slash + 1));
    if (index < 1 || count < 1 || index > count || count > 1000)
        throw UsageError("--shard \"" + std::string(text) +
                         "\": expected K/N with 1 <= K <= N <= 1000 (e.g. 2/4)");
    return {index, count};
}

int shard_of(std::string_view id, int count) {
    std::uint64_t hash = 14695981039346656037ull; // FNV-1a 64: fixed, unlike std::hash
    for (char ch : id) {
        hash ^= static_cast<unsigned char>(ch);
        hash *= 1099511628211ull;
    }
    return static_cast<int>(hash % static_cast<std::uint64_t>(count)) + 1;
}

ShardPlan plan_shard(const std::vector<Case>& selected, Shard shard) {
    std::map<std::string, const Case*> by_id;
    for (const auto& c : selected)
        by_id.emplace(c.id, &c);
    ShardPlan plan;
    std::set<std::string> needed;
    for (const auto& c : selected) {
        if (shard_of(c.id, shard.count) != shard.index) continue;
        plan.reported.insert(c.id);
        need_with_dependencies(c.id, by_id, needed);
    }
    for (const auto& c : selected)
        if (needed.count(c.id)) plan.to_run.push_back(c);
    return plan;
}

} // namespace upgradespec
