#include "model/target.hpp"

namespace upgradespec {

namespace {
bool is_default_port(const std::string& scheme, const std::string& port) {
    return ((scheme == "ws" || scheme == "http") && port == "80") ||
           ((scheme == "wss" || scheme == "https") && port == "443");
}
} // namespace

std::string Target::authority() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return is_default_port(scheme, port) ? h : h + ":" + port;
}

Target parse_target_url(const std::string& url) {
    Target t;
    t.url = url;
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos)
        throw UsageError("target URL \"" + url +
                         "\" has no scheme: use ws://host:port/path or http://host:port/");
    t.scheme = url.substr(0, scheme_end);
    if (t.scheme == "wss" || t.scheme == "https")
        throw UsageError("target URL \"" + url + "\": " + t.scheme +
                         ":// (TLS) is not yet supported; use ws:// or http://");
    if (t.scheme != "ws" && t.scheme != "http")
        throw UsageError("target URL \"" + url + "\": unknown scheme \"" + t.scheme +
                         "\" (use ws:// or http://)");

    std::string rest = url.substr(scheme_end + 3);
    auto path_start = rest.find('/');
    std::string authority = rest.substr(0, path_start);
    std::string path = path_start == std::string::npos ? "/" : rest.substr(path_start);
    if (authority.empty()) throw UsageError("target URL \"" + url + "\" has no host");
    if (authority.find('@') != std::string::npos)
        throw UsageError("target URL \"" + url +
                         "\": user information is not supported; use -H for credentials");

    std::string port;
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string::npos)
            throw UsageError("target URL \"" + url + "\": unbalanced [ in the host");
        t.host = authority.substr(1, close - 1);
        std::string after = authority.substr(close + 1);
        if (!after.empty() && after.front() == ':')
            port = after.substr(1);
        else if (!after.empty())
            throw UsageError("target URL \"" + url + "\": junk after the IPv6 literal");
    } else {
        auto colon = authority.rfind(':');
        t.host = authority.substr(0, colon);
        if (colon != std::string::npos) port = authority.substr(colon + 1);
    }
    if (t.host.empty()) throw UsageError("target URL \"" + url + "\" has no host");
    if (port.empty()) port = "80";
    if (port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
        std::stoi(port) > 65535)
        throw UsageError("target URL \"" + url + "\": invalid port \"" + port + "\"");
    t.port = port;

    if (t.scheme == "ws") {
        t.websocket_endpoint = true;
        t.ws_path = path;
    } else {
        t.plain_path = path;
    }
    return t;
}

} // namespace upgradespec
