#pragma once
// Reads a JSON report (reports/json.hpp) back into a RunResult, for `merge` and `compare`.
// Strings come back as the report holds them (text from the wire already made readable);
// transcript bytes come back exactly from their base64.
#include "model/result.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace upgradespec {

// Checks the document against report.schema.json at `schema_path`, then converts it. Throws
// InputError (catalogue/json_input.hpp) naming `file` and the field.
RunResult run_from_json(const nlohmann::json& doc, const std::filesystem::path& schema_path,
                        const std::string& file);

// Reads, checks and converts the report at `file`.
RunResult read_json_report(const std::filesystem::path& file,
                           const std::filesystem::path& schema_path);

} // namespace upgradespec
