#include "wire/fields.hpp"

#include <algorithm>

namespace upgradespec {

std::vector<std::string> split_list(std::string_view value) {
    std::vector<std::string> out;
    auto keep = [&out](std::string_view element) {
        element = trim_ows(element);
        if (!element.empty()) out.emplace_back(element);
    };
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (quoted && c == '\\') {
            ++i; // the escaped byte cannot end the quoted string
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            keep(value.substr(start, i - start));
            start = i + 1;
        }
    }
    keep(value.substr(start));
    return out;
}

bool has_token(const std::vector<std::string>& values, std::string_view token) {
    for (const auto& line : values)
        for (const auto& element : split_list(line))
            if (iequals(element, token)) return true;
    return false;
}

} // namespace upgradespec
