#pragma once
// Reading JSON inputs (the catalogue's files, reports, baselines, profiles, targets files):
// parsed, checked against their schema, and every problem named by file and field.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace valijson {
class Schema;
class Validator;
} // namespace valijson

namespace upgradespec {

// An input file that cannot be used; the message names the file and the field.
class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The file's bytes; throws InputError ("FILE: cannot be read").
std::string read_text_file(const std::filesystem::path& file);

// `text` as JSON; throws InputError naming `file` ("FILE: not valid JSON: ...").
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

// The file's JSON; throws InputError when it cannot be read or parsed.
nlohmann::json read_json_file(const std::filesystem::path& file);

// A JSON Schema (draft 7, valijson), read once to check any number of documents.
class JsonSchema {
  public:
    // Throws InputError when the schema file cannot be read or parsed.
    explicit JsonSchema(const std::filesystem::path& schema_path);

    struct Violation {
        std::vector<std::string> context; // valijson's: ["<root>", "[waivers]", "[2]", ...]
        std::string field;                // "waivers[2].expires"; "(top level)"
        std::string why;                  // the schema's complaint
    };
    // The most specific violation (the deepest in the document); nullopt when `doc` is valid.
    std::optional<Violation> violation(const nlohmann::json& doc) const;

    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    std::shared_ptr<const nlohmann::json> json_; // the parsed schema outlives valijson's
    std::shared_ptr<const valijson::Schema> schema_;
    // One validator for every document: it caches the compiled regular expressions of the
    // schema's patterns, which otherwise cost more than a whole run against refserver.
    std::shared_ptr<valijson::Validator> validator_;
};

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
