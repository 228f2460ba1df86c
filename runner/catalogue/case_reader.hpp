#pragma once
// One entry of a case file, already valid against suite/schema/case.schema.json, read into a
// Case; the rules the schema cannot say (a backend step needs a backend part, ...) are checked
// here and broken ones throw CatalogueError naming the file, the case and the field.
#include "model/case.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace upgradespec {

Case read_case(const nlohmann::json& entry, const std::string& file, const std::string& family);

} // namespace upgradespec
