#include "engine/h2_case.hpp"

namespace upgradespec {

Case with_h2_fields_expanded(Case c, const Placeholders& vars) {
    for (auto& step : c.h2)
        for (auto& [name, value] : step.h2.fields)
            value = expand(value, vars);
    return c;
}

std::string classify_listener_bytes(std::string_view got, std::string_view marker) {
    if (got.find(marker) != std::string_view::npos) return "raw";
    bool request_head = got.rfind("GET ", 0) == 0 && got.find("\r\n\r\n") != std::string_view::npos;
    return request_head ? "handshake" : "other";
}

bool listener_bytes_complete(std::string_view got, std::string_view marker) {
    return got.find(marker) != std::string_view::npos ||
           got.find("\r\n\r\n") != std::string_view::npos;
}

std::string listener_authority(const std::string& address, bool ipv6, unsigned short port) {
    std::string host = ipv6 ? "[" + address + "]" : address;
    return host + ":" + std::to_string(port);
}

} // namespace upgradespec
