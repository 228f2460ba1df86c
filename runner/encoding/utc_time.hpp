#pragma once
// The UTC clock as the reports and the baselines write it.
#include <ctime>
#include <string>

namespace upgradespec {

// ISO 8601 in UTC to the second: "2025-06-30T14:05:09Z" (a run's started_at).
std::string utc_timestamp(std::time_t when = std::time(nullptr));

// The UTC date: "2025-06-30" (a waiver's expiry, the baseline's day).
std::string utc_date(std::time_t when = std::time(nullptr));

} // namespace upgradespec
