#include "catalogue/json_input.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace upgradespec {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// "waivers[2].expires" from valijson's context ["<root>", "[waivers]", "[2]", "[expires]"].
std::string field_name(const std::vector<std::string>& context) {
    std::string name;
    for (const auto& part : context) {
        if (part == "<root>" || part.size() < 2) continue;
        const std::string inner = part.substr(1, part.size() - 2);
        const bool index = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        });
        if (index)
            name += "[" + inner + "]";
        else
            name += (name.empty() ? "" : ".") + inner;
    }
    return name.empty() ? "(top level)" : name;
}

} // namespace

void input_error(const std::string& file, const std::string& field, const std::string& why) {
    throw InputError(file + ": field " + field + ": " + why);
}

std::string read_text_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

json parse_json_text(const std::string& text, const std::string& file) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        throw InputError(file + ": not valid JSON: " + e.what());
    }
}

json read_json_file(const fs::path& file) {
    return parse_json_text(read_text_file(file), file.string());
}

JsonSchema::JsonSchema(const fs::path& schema_path)
    : path_(schema_path), json_(std::make_shared<const json>(read_json_file(schema_path))) {
    auto schema = std::make_shared<valijson::Schema>();
    valijson::SchemaParser parser;
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(*json_), *schema);
    schema_ = std::move(schema);
    validator_ = std::make_shared<valijson::Validator>();
}

std::optional<JsonSchema::Violation> JsonSchema::violation(const json& doc) const {
    valijson::ValidationResults results;
    if (validator_->validate(*schema_, valijson::adapters::NlohmannJsonAdapter(doc), &results))
        return std::nullopt;
    // The deepest violation is the most specific one (a bad member rather than "oneOf failed").
    auto deepest = std::max_element(results.begin(), results.end(), [](auto& a, auto& b) {
        return a.context.size() < b.context.size();
    });
    return Violation{deepest->context, field_name(deepest->context), deepest->description};
}

void check_schema(const json& doc, const fs::path& schema_path, const std::string& file) {
    const JsonSchema schema(schema_path);
    if (auto v = schema.violation(doc))
        input_error(file, v->field, v->why + " (schema: " + schema_path.filename().string() + ")");
}

json read_checked_json(const fs::path& file, const fs::path& schema_path) {
    json doc = read_json_file(file);
    check_schema(doc, schema_path, file.string());
    return doc;
}

} // namespace upgradespec
