#pragma once
// A requirement as JSON: the entry of suite/requirements.json, and the value of a report's
// `requirements` map (the same record without its id, which is the key).
#include "model/requirement.hpp"

#include <nlohmann/json.hpp>

namespace upgradespec {

nlohmann::json requirement_json(const Requirement& r, bool with_id = true);

// The record of a valid document (its schema already checked); `id` from the entry or the key.
Requirement requirement_from_json(const std::string& id, const nlohmann::json& j);

} // namespace upgradespec
