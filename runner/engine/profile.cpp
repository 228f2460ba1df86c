#include "engine/profile.hpp"

#include "catalogue/json_input.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace upgradespec {

namespace {

using nlohmann::json;

std::vector<std::string> strings(const json& doc, const char* name) {
    return doc.value(name, std::vector<std::string>{});
}

} // namespace

void apply_profile(const std::filesystem::path& profile, const std::filesystem::path& schema,
                   Target& target) {
    json doc;
    try {
        doc = read_checked_json(profile, schema);
    } catch (const InputError& e) {
        throw UsageError(e.what());
    }
    if (target.url.empty()) {
        if (!doc.contains("url"))
            throw UsageError(profile.string() + ": no url, and none on the command line");
        target = parse_target_url(doc["url"]);
    }
    if (doc.contains("plain_path")) target.plain_path = doc["plain_path"];
    if (doc.contains("tls_required_path")) target.tls_required_path = doc["tls_required_path"];
    if (doc.contains("tls_port")) target.tls_port = std::to_string(doc["tls_port"].get<int>());
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
