#include "catalogue/profile.hpp"

#include "catalogue/json_input.hpp"

namespace upgradespec {

TargetDescription load_profile(const std::filesystem::path& profile,
                               const std::filesystem::path& schema) {
    try {
        return description_from_json(read_checked_json(profile, schema), DescriptionSource::profile,
                                     profile);
    } catch (const InputError& e) {
        throw UsageError(e.what());
    }
}

} // namespace upgradespec
