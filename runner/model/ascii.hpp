#pragma once
// ASCII comparisons of field names and values: the model's own (ResponseHead::values), and
// through wire/fields.hpp the parsers' and the checks'; the writers' and describe/'s too.
#include <string_view>

namespace upgradespec {

// ASCII case-insensitive equality; other bytes must match exactly.
bool iequals(std::string_view a, std::string_view b);

// Strips optional whitespace (SP and HTAB) from both ends.
std::string_view trim_ows(std::string_view s);

} // namespace upgradespec
