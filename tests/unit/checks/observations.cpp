#include "observations.hpp"

#include "checks/rules.hpp"

#include "ws/handshake.hpp"

namespace upgradespec::testing {

SentRequest request(Fields fields, std::string version, std::string method) {
    SentRequest r;
    r.method = std::move(method);
    r.target = "/";
    r.version = std::move(version);
    r.fields = std::move(fields);
    r.bytes = r.method + " / " + r.version + "\r\n";
    for (const auto& [name, value] : r.fields)
        r.bytes += name + ": " + value + "\r\n";
    r.bytes += "\r\n";
    return r;
}

SentRequest upgrade_request(const std::string& protocols) {
    return request({{"Host", "127.0.0.1:8080"},
                    {"Upgrade", protocols},
                    {"Connection", "Upgrade"},
                    {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                    {"Sec-WebSocket-Version", "13"}});
}

ResponseHead head(int status, Fields fields, std::string version) {
    ResponseHead h;
    h.version = std::move(version);
    h.status = status;
    h.reason = "Reason";
    h.fields = std::move(fields);
    return h;
}

Observation answered(ResponseHead response, std::string body, SentRequest sent) {
    Observation seen;
    seen.request = std::move(sent);
    seen.head = std::move(response);
    seen.body = std::move(body);
    seen.body_complete = true;
    return seen;
}

Observation conforming_426() {
    return answered(
        head(426, {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Content-Length", "20"}}),
        "use a websocket here", request({{"Host", "127.0.0.1:8080"}}));
}

Observation conforming_101() {
    return answered(
        head(101, {{"Upgrade", "websocket"},
                   {"Connection", "Upgrade"},
                   {"Sec-WebSocket-Accept", ws::compute_accept("dGhlIHNhbXBsZSBub25jZQ==")}}),
        "", upgrade_request());
}

ReceivedFrame frame(int opcode, std::string payload) {
    ReceivedFrame f;
    f.opcode = opcode;
    f.payload = std::move(payload);
    return f;
}

ReceivedFrame close_frame(int code, const std::string& reason) {
    std::string body;
    body += static_cast<char>((code >> 8) & 0xff);
    body += static_cast<char>(code & 0xff);
    return frame(8, body + reason);
}

std::optional<Finding> fired(const Observation& seen, std::string_view rule) {
    for (auto& f : apply_rules(seen))
        if (f.rule == rule) return f;
    return std::nullopt;
}

std::string fired_ids(const Observation& seen) {
    std::string ids;
    for (auto& f : apply_rules(seen))
        ids += f.rule + " ";
    return ids;
}

} // namespace upgradespec::testing
