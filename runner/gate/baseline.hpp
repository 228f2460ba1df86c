#pragma once
// --baseline FILE: known failures that do not fail the run (waivers), and --update-baseline
// FILE: the current failures written as a new baseline (suite/schema/baseline.schema.json).
//
// A waiver covers a conformance failure: an effective fail (a warn under --strict included).
// An error is never waived: the runner could not judge, and that must stay visible (exit 3).
#include "model/result.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

struct Waiver {
    std::string case_id;
    std::string reason;
    std::string expires; // YYYY-MM-DD, valid through that day (UTC); empty: never expires
};

struct Baseline {
    std::vector<Waiver> waivers;
    std::string fingerprint; // SHA-256 hex of the file it was loaded from; empty when built
};

// Loads and checks a baseline file; throws InputError naming the file and the field (a
// schema violation, a date that does not exist, a case waived twice).
Baseline load_baseline(const std::filesystem::path& file, const std::filesystem::path& schema_path);

// Sets `c.waiver` from the baseline (or clears it). An expired waiver adds a finding that says
// so. `today` is YYYY-MM-DD (utc_date(), encoding/utc_time.hpp).
void apply_waiver(CaseResult& c, const Baseline& baseline, bool strict, std::string_view today);

// Applies every waiver to the run's cases and records the stale ones (case passes, or no such
// case in the run); sets the run's baseline fingerprint.
void apply_baseline(RunResult& run, const Baseline& baseline, std::string_view today);

// The run's failures as a baseline. A failure whose waiver in `previous` still holds keeps its
// reason and expiry; other failures get a reason saying when they were recorded. Waivers of cases
// the run did not judge (skip, error) are kept; stale ones are dropped.
Baseline baseline_from_run(const RunResult& run, const Baseline& previous, std::string_view today);

nlohmann::json to_json(const Baseline& baseline);
void write_baseline(const Baseline& baseline, std::ostream& out);

} // namespace upgradespec
