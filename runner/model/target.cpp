#include "model/target.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

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

std::string Target::unmet(const std::string& need) const {
    if (need == "websocket-endpoint" && !websocket_endpoint)
        return "needs a WebSocket endpoint: give a ws:// URL";
    if (need == "websocket-echo" && !websocket_echo)
        return "needs an echoing WebSocket endpoint: pass --echo if it echoes";
    if (need == "websocket-subprotocol" && subprotocols.empty())
        return "needs a subprotocol the endpoint supports: pass --subprotocol NAME";
    if (need == "origin-allowlist" && allowed_origins.empty())
        return "needs the endpoint's Origin allow-list: pass --allowed-origin ORIGIN";
    if (need == "h2c" && !claims_h2c)
        return "needs a target that claims h2c support: pass --claim h2c";
    if (need == "h2c-required" && !(claims_h2c && h2c_spec == "rfc7540"))
        return "judges a claimed h2c upgrade by RFC 7540: pass --claim h2c --spec rfc7540";
    if (need == "tls-upgrade" && !claims_tls_upgrade)
        return "needs a target that claims the RFC 2817 TLS upgrade: pass --claim tls-upgrade";
    if (need == "http11-required-path" && http11_required_path.empty())
        return "needs a resource that refuses HTTP/1.0: pass --http11-required-path PATH";
    if (need == "tls-required-path" && tls_required_path.empty())
        return "needs a resource that requires TLS: pass --tls-required-path PATH";
    if (need == "backend" && backend.empty())
        return "needs the runner to play the proxy's origin: pass --backend HOST:PORT and point "
               "the proxy there";
    if (need == "h2-over-tls" && !has_tls_endpoint())
        return "needs a TLS endpoint for HTTP/2 (ALPN h2): give a wss:// or https:// URL, or pass "
               "--tls-port PORT";
    return "";
}

HostPort parse_host_port(std::string_view text, const std::string& default_port) {
    HostPort where;
    std::string port;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos)
            throw std::invalid_argument("unbalanced [ in the host");
        where.host = text.substr(1, close - 1);
        std::string_view after = text.substr(close + 1);
        if (!after.empty() && after.front() == ':')
            port = after.substr(1);
        else if (!after.empty())
            throw std::invalid_argument("junk after the IPv6 literal");
    } else {
        if (std::count(text.begin(), text.end(), ':') > 1)
            throw std::invalid_argument("an IPv6 address must be in brackets, e.g. [::1]:8080");
        auto colon = text.find(':');
        where.host = text.substr(0, colon);
        if (colon != std::string_view::npos) port = text.substr(colon + 1);
    }
    if (where.host.empty()) throw std::invalid_argument("no host");
    if (port.empty()) port = default_port;
    if (port.empty()) throw std::invalid_argument("no port");
    bool digits = port.find_first_not_of("0123456789") == std::string::npos && port.size() <= 5;
    if (!digits || std::stoi(port) < 1 || std::stoi(port) > 65535)
        throw std::invalid_argument("invalid port \"" + port + "\"");
    where.port = port;
    return where;
}

Target parse_target_url(const std::string& url) {
    Target t;
    t.url = url;
    auto fail = [&](const std::string& why) {
        return UsageError("target URL \"" + url + "\": " + why);
    };
    auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos)
        throw fail("no scheme: use ws://, wss://, http:// or https://host:port/path");
    for (char c : url.substr(0, scheme_end))
        t.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (t.scheme != "ws" && t.scheme != "http" && t.scheme != "wss" && t.scheme != "https")
        throw fail("unknown scheme \"" + t.scheme + "\" (use ws://, wss://, http:// or https://)");

    // The authority ends at the path, the query or the fragment (RFC 3986 3.2).
    std::string rest = url.substr(scheme_end + 3);
    auto authority_end = rest.find_first_of("/?#");
    std::string authority = rest.substr(0, authority_end);
    std::string path = authority_end == std::string::npos ? "/" : rest.substr(authority_end);
    path = path.substr(0, path.find('#')); // fragments are never sent (RFC 6455 3)
    if (path.empty() || path.front() == '?') path = "/" + path;
    if (authority.empty()) throw fail("no host");
    if (authority.find('@') != std::string::npos)
        throw fail("user information is not supported; use -H for credentials");

    try {
        HostPort where = parse_host_port(authority, t.uses_tls() ? "443" : "80");
        t.host = std::move(where.host);
        t.port = std::move(where.port);
    } catch (const std::invalid_argument& e) {
        throw fail(e.what());
    }

    if (t.scheme == "ws" || t.scheme == "wss") {
        t.websocket_endpoint = true;
        t.ws_path = path;
    } else {
        t.plain_path = path;
    }
    return t;
}

} // namespace upgradespec
