#pragma once
// Target profiles: a JSON file (suite/schema/profile.schema.json) saying what the target has
// and claims beyond its URL, in the words of a target description.
#include "catalogue/target_description.hpp"

#include <filesystem>

namespace upgradespec {

// Reads the profile and checks it against `schema`. Throws UsageError naming the file and the
// field. build_target() (target_description.hpp) applies it.
TargetDescription load_profile(const std::filesystem::path& profile,
                               const std::filesystem::path& schema);

} // namespace upgradespec
