#pragma once
// The shipped catalogue's validation keys, written at build time by suite-check
// (runner/cli/suite_check.cpp) after it validated every file of suite/.
#include <set>
#include <string>

namespace upgradespec {

std::set<std::string> suite_checked_at_build();

} // namespace upgradespec
