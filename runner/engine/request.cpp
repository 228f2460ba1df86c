#include "engine/request.hpp"

#include "encoding/hex.hpp"
#include "wire/fields.hpp"
#include "ws/handshake.hpp"

#include <algorithm>
#include <vector>

namespace upgradespec {

namespace {

std::string random_nonce() {
    return hex_encode(ws::random_bytes(6));
}

// A template split into its parts, so edits can work on lines rather than bytes.
struct RequestParts {
    std::string method, target, version;
    std::vector<std::string> field_lines;
    std::string body;

    static RequestParts split(const std::string& text) {
        RequestParts parts;
        auto head_end = text.find("\r\n\r\n");
        std::string head = text.substr(0, head_end);
        if (head_end != std::string::npos) parts.body = text.substr(head_end + 4);
        std::vector<std::string> lines;
        for (std::size_t start = 0; start <= head.size();) {
            auto end = head.find("\r\n", start);
            if (end == std::string::npos) end = head.size();
            lines.push_back(head.substr(start, end - start));
            start = end + 2;
        }
        const std::string& request_line = lines.front();
        auto sp1 = request_line.find(' ');
        auto sp2 = request_line.find(' ', sp1 + 1);
        parts.method = request_line.substr(0, sp1);
        parts.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
        parts.version = sp2 == std::string::npos ? "" : request_line.substr(sp2 + 1);
        parts.field_lines.assign(lines.begin() + 1, lines.end());
        return parts;
    }

    static bool names(const std::string& line, std::string_view name) {
        auto colon = line.find(':');
        return colon != std::string::npos &&
               iequals(trim_ows(std::string_view(line).substr(0, colon)), name);
    }

    bool has(std::string_view name) const {
        return std::any_of(field_lines.begin(), field_lines.end(),
                           [&](const std::string& line) { return names(line, name); });
    }

    void remove(std::string_view name) {
        std::erase_if(field_lines, [&](const std::string& line) { return names(line, name); });
    }

    void set(const std::string& name, const std::string& value) {
        std::string line = name + ": " + value;
        auto first = std::find_if(field_lines.begin(), field_lines.end(),
                                  [&](const std::string& l) { return names(l, name); });
        if (first == field_lines.end()) {
            field_lines.push_back(line);
            return;
        }
        *first = line;
        auto index = first - field_lines.begin();
        auto rest = std::remove_if(field_lines.begin() + index + 1, field_lines.end(),
                                   [&](const std::string& l) { return names(l, name); });
        field_lines.erase(rest, field_lines.end());
    }

    std::string join() const {
        std::string out = method + " " + target + (version.empty() ? "" : " " + version) + "\r\n";
        for (const auto& line : field_lines)
            out += line + "\r\n";
        return out + "\r\n" + body;
    }
};

} // namespace

Placeholders placeholders_for(const Target& target) {
    return {
        {"host", target.host},
        {"port", target.port},
        {"authority", target.host_header.empty() ? target.authority() : target.host_header},
        {"scheme", target.uses_tls() ? "https" : "http"}, // the scheme of absolute-form targets
        {"path", target.websocket_endpoint ? target.ws_path : target.plain_path},
        {"ws_path", target.ws_path.empty() ? "/" : target.ws_path},
        {"plain_path", target.plain_path},
        {"tls_path", target.tls_required_path},
        {"http11_path", target.http11_required_path},
        {"ws_key", ws::random_key()},
        {"nonce", random_nonce()},
        {"subprotocol", target.subprotocols.empty() ? "" : target.subprotocols.front()},
        {"allowed_origin", target.allowed_origins.empty() ? "" : target.allowed_origins.front()},
    };
}

std::string build_request(const Send& send, const std::map<std::string, std::string>& templates,
                          const Target& target, const Placeholders& vars) {
    if (send.template_name.empty()) return expand(send.raw, vars) + send.then_bytes;

    RequestParts parts = RequestParts::split(templates.at(send.template_name));
    if (send.method) parts.method = *send.method;
    if (send.target) parts.target = *send.target;
    if (send.version) parts.version = *send.version;
    for (const auto& name : send.remove)
        parts.remove(name);
    for (const auto& [name, value] : send.set)
        parts.set(name, value);
    for (const auto& line : send.add)
        parts.field_lines.push_back(line);
    for (const auto& line : target.extra_fields)
        parts.field_lines.push_back(line);
    if (!target.origin.empty() && !parts.has("Origin"))
        parts.field_lines.push_back("Origin: " + target.origin);
    // The body first: {body_length} in a field (Content-Length) is its length once expanded.
    const std::string body = expand(send.body ? *send.body : parts.body, vars);
    parts.body.clear();
    Placeholders head_vars = vars;
    head_vars["body_length"] = std::to_string(body.size());
    return expand(parts.join(), head_vars) + body + send.then_bytes;
}

} // namespace upgradespec
