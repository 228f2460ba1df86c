#include "catalogue/target_description.hpp"

#include "catalogue/profile.hpp"

#include <algorithm>
#include <array>
#include <type_traits>

namespace upgradespec {

namespace fs = std::filesystem;
using nlohmann::json;
using D = TargetDescription;

namespace {

// The one table: every target option, with its names on the command line, in a targets file's
// entry and in a profile.
const auto options = std::to_array<TargetOption>({
    {"url", "url", "url", "",
     "the target: ws://host:port/path (a WebSocket endpoint) or http://host:port/path; wss:// "
     "and https:// speak TLS",
     &D::url},
    {"--profile", "profile", "", "FILE",
     "a target profile (JSON, suite/schema/profile.schema.json): endpoints, subprotocols, "
     "origins, claims, headers",
     &D::profile, OptionCheck::none, true},
    {"", "", "plain_path", "", "an ordinary HTTP resource (default /)", &D::plain_path},
    {"", "", "websocket.path", "", "the WebSocket endpoint", &D::ws_path},
    {"-H,--header", "headers", "headers", "'NAME: VALUE'",
     "add 'Name: value' to every templated request (repeatable)", &D::headers},
    {"--echo", "echo", "websocket.echo", "",
     "the WebSocket endpoint echoes messages (enables the echo cases; without it, one text "
     "message before the run tells)",
     &D::echo},
    {"--subprotocol", "subprotocols", "websocket.subprotocols", "NAME",
     "a subprotocol the WebSocket endpoint supports (repeatable)", &D::subprotocols},
    {"--allowed-origin", "allowed_origins", "websocket.allowed_origins", "ORIGIN",
     "an Origin the WebSocket endpoint accepts (repeatable; enables the origin-policy cases)",
     &D::allowed_origins},
    {"--claim", "claims", "claims", "CAPABILITY",
     "a capability the target claims: h2c, tls-upgrade (repeatable)", &D::claims,
     OptionCheck::claim},
    {"--spec", "spec", "spec", "",
     "the h2c rules to judge by: rfc9113 (default; ignoring h2c conforms) or rfc7540 (a claimed "
     "h2c upgrade is expected)",
     &D::spec, OptionCheck::spec},
    {"--tls-required-path", "tls_required_path", "tls_required_path", "PATH",
     "a resource that needs TLS: in cleartext it gets a 426 (enables the RFC 2817 4.2 cases)",
     &D::tls_required_path, OptionCheck::path},
    {"--tls-port", "tls_port", "tls_port", "PORT",
     "a TLS port on the target's host, beside a ws:// or http:// URL: the HTTP/2 (ALPN h2, RFC "
     "8441) cases connect there",
     &D::tls_port, OptionCheck::port},
    {"--http11-required-path", "http11_required_path", "http11_required_path", "PATH",
     "a resource that refuses HTTP/1.0 (a 426 naming HTTP/1.1, or 505)", &D::http11_required_path,
     OptionCheck::path},
    {"--sni", "sni", "", "NAME", "the TLS server name to send and verify (default: the URL's host)",
     &D::sni},
    {"--cacert", "cacert", "", "FILE", "trust the CAs in FILE (PEM) instead of the system's store",
     &D::cacert, OptionCheck::none, true},
    {"--insecure", "insecure", "", "", "do not verify the server's TLS certificate", &D::insecure},
    {"--origin", "origin", "", "ORIGIN",
     "an Origin for every templated request that sets none (browser-like handshakes)", &D::origin},
    {"--host-header", "host_header", "", "VALUE",
     "the Host value to send instead of the URL's host[:port]", &D::host_header},
    {"--backend", "backend", "backend", "HOST:PORT",
     "the target is a reverse proxy: listen on HOST:PORT as the origin it forwards to (point the "
     "proxy there) and run the intermediary cases",
     &D::backend},
    {"--resolve", "resolve", "", "HOST:PORT:ADDR",
     "connect to ADDR for HOST:PORT, keeping HOST in Host and SNI (like curl's --resolve)",
     &D::resolve},
});

// The value at a dotted path ("websocket.echo"), nullptr when the document has none.
const json* member_at(const json& j, std::string_view path) {
    const json* at = &j;
    while (!path.empty()) {
        const auto dot = std::min(path.find('.'), path.size());
        const std::string name(path.substr(0, dot));
        if (!at->is_object() || !at->contains(name)) return nullptr;
        at = &(*at)[name];
        path.remove_prefix(std::min(dot + 1, path.size()));
    }
    return at;
}

// A path in a file is relative to the file's folder.
std::string beside(const fs::path& file, const std::string& path) {
    if (path.empty() || fs::path(path).is_absolute()) return path;
    return (file.parent_path() / path).lexically_normal().string();
}

// --resolve HOST:PORT:ADDR applies to the target's own host and port only, as in curl.
std::string resolved_address(const std::string& spec, const Target& target) {
    auto first = spec.find(':');
    auto second = first == std::string::npos ? std::string::npos : spec.find(':', first + 1);
    if (second == std::string::npos)
        throw UsageError("--resolve \"" + spec + "\": expected HOST:PORT:ADDR");
    std::string host = spec.substr(0, first), port = spec.substr(first + 1, second - first - 1);
    std::string address = spec.substr(second + 1);
    if (!address.empty() && address.front() == '[' && address.back() == ']')
        address = address.substr(1, address.size() - 2);
    if (address.empty()) throw UsageError("--resolve \"" + spec + "\": no address");
    if (host != target.host || port != target.port)
        throw UsageError("--resolve \"" + spec + "\": the target is " + target.host + ":" +
                         target.port);
    return address;
}

// --backend HOST:PORT (an IPv6 address in brackets): where the runner listens as the origin.
std::string checked_backend(const std::string& spec) {
    try {
        parse_host_port(spec, "");
    } catch (const std::invalid_argument& e) {
        throw UsageError("--backend \"" + spec + "\": " + e.what() +
                         " (expected HOST:PORT, a port from 1 to 65535)");
    }
    return spec;
}

} // namespace

std::span<const TargetOption> target_options() {
    return options;
}

void TargetDescription::add(const TargetDescription& more) {
    for (const auto& option : options) {
        std::visit(
            [&](auto member) {
                auto& to = this->*member;
                const auto& from = more.*member;
                using Value = std::decay_t<decltype(to)>;
                if constexpr (std::is_same_v<Value, bool>)
                    to = to || from;
                else if constexpr (std::is_same_v<Value, std::vector<std::string>>)
                    to.insert(to.end(), from.begin(), from.end());
                else if (from != Value{})
                    to = from;
            },
            option.member);
    }
}

TargetDescription description_from_json(const json& j, DescriptionSource source,
                                        const fs::path& file) {
    TargetDescription d;
    for (const auto& option : options) {
        const auto name =
            source == DescriptionSource::profile ? option.profile_path : option.entry_member;
        const json* value = name.empty() ? nullptr : member_at(j, name);
        if (!value) continue;
        std::visit(
            [&](auto member) {
                auto& to = d.*member;
                value->get_to(to);
                if constexpr (std::is_same_v<std::decay_t<decltype(to)>, std::string>)
                    if (option.relative_to_file) to = beside(file, to);
            },
            option.member);
    }
    return d;
}

void apply_description(const TargetDescription& d, Target& target, tls::Config& tls) {
    if (!d.plain_path.empty()) target.plain_path = d.plain_path;
    if (!d.ws_path.empty()) {
        target.websocket_endpoint = true;
        target.ws_path = d.ws_path;
    }
    target.websocket_echo |= d.echo;
    target.subprotocols.insert(target.subprotocols.end(), d.subprotocols.begin(),
                               d.subprotocols.end());
    target.allowed_origins.insert(target.allowed_origins.end(), d.allowed_origins.begin(),
                                  d.allowed_origins.end());
    for (const auto& claim : d.claims) {
        target.claims_h2c |= claim == "h2c";
        target.claims_tls_upgrade |= claim == "tls-upgrade";
    }
    if (!d.spec.empty()) target.h2c_spec = d.spec;
    if (!d.tls_required_path.empty()) target.tls_required_path = d.tls_required_path;
    if (d.tls_port != 0) target.tls_port = std::to_string(d.tls_port);
    if (!d.http11_required_path.empty()) target.http11_required_path = d.http11_required_path;
    if (!d.sni.empty()) tls.sni = d.sni;
    if (!d.cacert.empty()) tls.ca_file = d.cacert;
    tls.insecure |= d.insecure;
    if (!d.origin.empty()) target.origin = d.origin;
    if (!d.host_header.empty()) target.host_header = d.host_header;
    if (!d.resolve.empty()) target.connect_address = resolved_address(d.resolve, target);
    if (!d.backend.empty()) target.backend = checked_backend(d.backend);
    for (const auto& header : d.headers) {
        if (header.find(':') == std::string::npos)
            throw UsageError("-H \"" + header + "\": expected 'Name: value'");
        target.extra_fields.push_back(header);
    }
}

Target build_target(const TargetDescription& d, const fs::path& profile_schema, tls::Config& tls) {
    const TargetDescription profile =
        d.profile.empty() ? TargetDescription{} : load_profile(d.profile, profile_schema);
    const std::string& url = d.url.empty() ? profile.url : d.url;
    if (url.empty() && !d.profile.empty())
        throw UsageError(d.profile + ": no url, and none on the command line");
    Target target = url.empty() ? Target{} : parse_target_url(url);
    apply_description(profile, target, tls);
    apply_description(d, target, tls);
    return target;
}

} // namespace upgradespec
