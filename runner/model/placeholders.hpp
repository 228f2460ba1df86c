#pragma once
// A case's placeholders ({host}, {ws_key}, ...) and their expansion: the engine fills them per
// case (engine/request), the checks expand the values an outcome compares with.
#include <map>
#include <string>
#include <string_view>

namespace upgradespec {

using Placeholders = std::map<std::string, std::string>;

// Replaces every {name} that names a placeholder; other braces stay as written.
std::string expand(std::string_view text, const Placeholders& vars);

} // namespace upgradespec
