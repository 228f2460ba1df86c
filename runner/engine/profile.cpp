#include "engine/profile.hpp"

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <fstream>

namespace upgradespec {

namespace {

using nlohmann::json;

json read_json(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw UsageError(path.string() + ": cannot be read");
    try {
        return json::parse(in);
    } catch (const json::parse_error& e) {
        throw UsageError(path.string() + ": not valid JSON: " + e.what());
    }
}

void validate(const json& doc, const std::filesystem::path& path,
              const std::filesystem::path& schema_path) {
    json schema_json = read_json(schema_path);
    valijson::Schema schema;
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
    parser.populateSchema(schema_adapter, schema);
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    if (validator.validate(schema, adapter, &results)) return;
    auto deepest = std::max_element(results.begin(), results.end(), [](auto& a, auto& b) {
        return a.context.size() < b.context.size();
    });
    std::string field;
    for (const auto& part : deepest->context)
        if (part != "<root>") field += part;
    throw UsageError(path.string() + ": field " + (field.empty() ? "(top level)" : field) + ": " +
                     deepest->description + " (schema: suite/schema/profile.schema.json)");
}

std::vector<std::string> strings(const json& doc, const char* name) {
    return doc.value(name, std::vector<std::string>{});
}

} // namespace

void apply_profile(const std::filesystem::path& profile, const std::filesystem::path& schema,
                   Target& target) {
    json doc = read_json(profile);
    validate(doc, profile, schema);
    if (target.url.empty()) {
        if (!doc.contains("url"))
            throw UsageError(profile.string() + ": no url, and none on the command line");
        target = parse_target_url(doc["url"]);
    }
    if (doc.contains("plain_path")) target.plain_path = doc["plain_path"];
    if (doc.contains("tls_required_path")) target.tls_required_path = doc["tls_required_path"];
    if (doc.contains("http11_required_path"))
        target.http11_required_path = doc["http11_required_path"];
    if (doc.contains("websocket")) {
        const json& ws = doc["websocket"];
        target.websocket_endpoint = true;
        target.ws_path = ws["path"];
        target.websocket_echo = ws.value("echo", false);
        target.subprotocols = strings(ws, "subprotocols");
        target.allowed_origins = strings(ws, "allowed_origins");
    }
    for (const auto& claim : strings(doc, "claims")) {
        target.claims_h2c |= claim == "h2c";
        target.claims_tls_upgrade |= claim == "tls-upgrade";
    }
    if (doc.contains("spec")) target.h2c_spec = doc["spec"];
    for (const auto& header : strings(doc, "headers"))
        target.extra_fields.push_back(header);
}

} // namespace upgradespec
