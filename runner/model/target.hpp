#pragma once
// The server under test, as the command line describes it.
#include "model/usage_error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

struct Target {
    std::string url;              // as given
    std::string scheme;           // "ws", "http", "wss" or "https"
    std::string host;             // without brackets for IPv6 literals
    std::string port;             // always set (default from the scheme)
    std::string ws_path;          // the WebSocket endpoint (ws:// URLs)
    std::string plain_path = "/"; // an ordinary HTTP resource
    bool websocket_endpoint = false;
    bool websocket_echo = false;              // the endpoint echoes messages (--echo)
    std::vector<std::string> subprotocols;    // subprotocols the WebSocket endpoint supports
    std::vector<std::string> allowed_origins; // the endpoint's Origin allow-list, if it has one
    bool claims_h2c = false;                  // the target says it supports the h2c upgrade
    bool claims_tls_upgrade = false;          // the target says it supports RFC 2817
    std::string tls_required_path;            // a resource that needs TLS (RFC 2817 4.2)
    std::string http11_required_path;         // a resource that refuses HTTP/1.0 (426 or 505)
    std::string h2c_spec = "rfc9113";         // judge h2c by RFC 9113 (default) or RFC 7540
    std::vector<std::string> extra_fields;    // -H lines, added to template requests
    std::string origin;          // --origin: an Origin for templated requests that carry none
    std::string host_header;     // --host-header: the Host value instead of the URL's authority
    std::string connect_address; // --resolve: connect here instead of resolving `host`
    std::string tls_port; // --tls-port: a TLS endpoint beside a cleartext target (RFC 8441 cases)
    // --backend HOST:PORT: the target is a proxy, and the runner listens here as the origin it
    // forwards to (the intermediary cases)
    std::string backend;

    // host[:port] as a Host field value: brackets for IPv6, port left out when default.
    std::string authority() const;

    // wss:// and https://: every connection speaks TLS from its first byte.
    bool uses_tls() const { return scheme == "wss" || scheme == "https"; }
    // A TLS endpoint for the cases with their own connection: the target, or --tls-port.
    bool has_tls_endpoint() const { return uses_tls() || !tls_port.empty(); }

    // Why the target cannot serve a case with this need ("" when it can). Needs are the
    // catalogue's vocabulary: suite/schema/case.schema.json lists them.
    std::string unmet(const std::string& need) const;
};

// host[:port] as a URL writes it (RFC 3986 3.2.2): an IPv6 literal in brackets (which `host`
// loses), a port from 1 to 65535, `default_port` when none is given ("": one is required).
// Throws std::invalid_argument with the reason.
struct HostPort {
    std::string host;
    std::string port;
};
HostPort parse_host_port(std::string_view text, const std::string& default_port);

// ws://, wss://, http:// or https://host:port/path; throws UsageError with the reason.
Target parse_target_url(const std::string& url);

} // namespace upgradespec
