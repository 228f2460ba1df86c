#pragma once
// Field-value helpers shared by the parsers and the checks (RFC 9110 5.5, 5.6).
#include "model/ascii.hpp" // iequals, trim_ows

#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

// Splits an RFC 9110 #list on commas, trims OWS and drops empty elements. A comma inside a
// quoted string (with its backslash escapes) does not split.
std::vector<std::string> split_list(std::string_view value);

// True when any of the field lines' lists has `token` as a member (case-insensitive).
bool has_token(const std::vector<std::string>& values, std::string_view token);

} // namespace upgradespec
