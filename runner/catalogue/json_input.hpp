#pragma once
// Reading JSON inputs (reports, baselines, profiles, targets files): parsed, checked against
// their schema, and every problem named by file and field.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace upgradespec {

// An input file that cannot be used; the message names the file and the field.
class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The file's JSON; throws InputError when it cannot be read or parsed.
nlohmann::json read_json_file(const std::filesystem::path& file);

// Throws InputError naming `file`, the field (as "waivers[2].expires") and the schema's
// complaint, for the deepest violation of the schema at `schema_path`.
void check_schema(const nlohmann::json& doc, const std::filesystem::path& schema_path,
                  const std::string& file);

// read_json_file() then check_schema(): the document, valid against its schema.
nlohmann::json read_checked_json(const std::filesystem::path& file,
                                 const std::filesystem::path& schema_path);

// "FILE: field FIELD: WHY", the form of every InputError.
[[noreturn]] void input_error(const std::string& file, const std::string& field,
                              const std::string& why);

} // namespace upgradespec
