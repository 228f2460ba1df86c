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

json read_json_file(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return json::parse(text.str());
    } catch (const json::parse_error& e) {
        throw InputError(file.string() + ": not valid JSON: " + e.what());
    }
}

void check_schema(const json& doc, const fs::path& schema_path, const std::string& file) {
    const json schema_json = read_json_file(schema_path);
    valijson::Schema schema;
    valijson::SchemaParser parser;
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(schema_json), schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (validator.validate(schema, valijson::adapters::NlohmannJsonAdapter(doc), &results)) return;
    // The deepest violation is the most specific one (a bad member rather than "oneOf failed").
    auto deepest = std::max_element(results.begin(), results.end(), [](auto& a, auto& b) {
        return a.context.size() < b.context.size();
    });
    input_error(file, field_name(deepest->context),
                deepest->description + " (schema: " + schema_path.filename().string() + ")");
}

json read_checked_json(const fs::path& file, const fs::path& schema_path) {
    json doc = read_json_file(file);
    check_schema(doc, schema_path, file.string());
    return doc;
}

} // namespace upgradespec
