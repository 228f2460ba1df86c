#pragma once
// `merge`: shard reports (--shard K/N) combined into the report of the whole run.
#include "model/result.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace upgradespec {

// Reports that must not be combined; the message names the files and the field.
class MergeError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct ShardReport {
    std::string file; // where the report came from, for messages
    RunResult run;
};

// The whole run. Refuses (MergeError) reports that differ in catalogue, target, tool version,
// strictness, selection size or baseline; a case in two reports; shards of different counts,
// a shard twice or one missing (every shard 1..N exactly once). A single unsharded report is
// passed through (a way to rewrite a report in other formats).
RunResult merge_runs(const std::vector<ShardReport>& reports);

} // namespace upgradespec
