#pragma once
// --shard K/N: a deterministic partition of the selected cases. A case's shard follows from a
// hash of its own id, never from positions, so adding a case moves no other case and the
// shards stay balanced. A shard also runs the cases its own cases depend on (their outcome
// gates them) but reports only its own: the reported sets are pairwise disjoint.
#include "model/case.hpp"
#include "model/result.hpp"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

// "K/N" with 1 <= K <= N <= 1000; throws UsageError naming the text.
Shard parse_shard(std::string_view text);

// The shard (1..count) a case id belongs to: FNV-1a 64 of the id, modulo count.
int shard_of(std::string_view id, int count);

struct ShardPlan {
    std::vector<Case> to_run;       // the shard's cases and their dependencies, selection order
    std::set<std::string> reported; // the ids of the shard's own cases
};

// What shard `shard` of the selection runs and reports.
ShardPlan plan_shard(const std::vector<Case>& selected, Shard shard);

} // namespace upgradespec
