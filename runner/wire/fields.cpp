#include "wire/fields.hpp"

#include <algorithm>

namespace upgradespec {

namespace {
char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
bool is_ows(char c) {
    return c == ' ' || c == '\t';
}
} // namespace

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back()))
        s.remove_suffix(1);
    return s;
}

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
