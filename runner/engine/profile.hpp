#pragma once
// Target profiles: a JSON file (suite/schema/profile.schema.json) saying what the target has
// and claims beyond its URL.
#include "model/target.hpp"

#include <filesystem>

namespace upgradespec {

// Reads the profile and applies it to `target` (the URL's own facts); a URL in the profile is
// used when `target.url` is empty. Throws UsageError naming the file and the field.
void apply_profile(const std::filesystem::path& profile, const std::filesystem::path& schema,
                   Target& target);

} // namespace upgradespec
