#include "model/observation.hpp"

#include "model/ascii.hpp"

namespace upgradespec {

std::vector<std::string> ResponseHead::values(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [field, value] : fields)
        if (iequals(field, name)) out.push_back(value);
    return out;
}

std::optional<std::string> ResponseHead::combined(std::string_view name) const {
    auto lines = values(name);
    if (lines.empty()) return std::nullopt;
    std::string joined = lines.front();
    for (std::size_t i = 1; i < lines.size(); ++i)
        joined += ", " + lines[i];
    return joined;
}

} // namespace upgradespec
