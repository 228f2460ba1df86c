#include "model/target.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using Catch::Matchers::Contains;

namespace {

std::string error_of(const std::string& url) {
    try {
        parse_target_url(url);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("a ws:// URL names the WebSocket endpoint", "[target]") {
    Target t = parse_target_url("ws://127.0.0.1:8080/chat?room=1");
    CHECK(t.url == "ws://127.0.0.1:8080/chat?room=1");
    CHECK(t.scheme == "ws");
    CHECK(t.host == "127.0.0.1");
    CHECK(t.port == "8080");
    CHECK(t.ws_path == "/chat?room=1");
    CHECK(t.plain_path == "/");
    CHECK(t.websocket_endpoint);
    CHECK(t.authority() == "127.0.0.1:8080");
}

TEST_CASE("an http:// URL names a plain resource", "[target]") {
    Target t = parse_target_url("http://localhost:8081/index.html");
    CHECK(t.scheme == "http");
    CHECK(t.host == "localhost");
    CHECK(t.port == "8081");
    CHECK(t.plain_path == "/index.html");
    CHECK(t.ws_path.empty());
    CHECK_FALSE(t.websocket_endpoint);
}

TEST_CASE("the default port is 80 and left out of the authority", "[target]") {
    Target ws = parse_target_url("ws://example.test");
    CHECK(ws.port == "80");
    CHECK(ws.ws_path == "/");
    CHECK(ws.authority() == "example.test");
    CHECK(parse_target_url("http://example.test:80/").authority() == "example.test");
    CHECK(parse_target_url("http://example.test:8080/").authority() == "example.test:8080");
}

TEST_CASE("IPv6 literals lose their brackets in host and keep them in the authority", "[target]") {
    Target t = parse_target_url("ws://[::1]:8080/x");
    CHECK(t.host == "::1");
    CHECK(t.port == "8080");
    CHECK(t.ws_path == "/x");
    CHECK(t.authority() == "[::1]:8080");

    Target no_port = parse_target_url("http://[::1]/");
    CHECK(no_port.port == "80");
    CHECK(no_port.authority() == "[::1]");
}

TEST_CASE("bad target URLs are usage errors that say why", "[target]") {
    CHECK_THAT(error_of("127.0.0.1:8080/chat"), Contains("no scheme"));
    CHECK_THAT(error_of("ftp://127.0.0.1/"), Contains("unknown scheme"));
    CHECK_THAT(error_of("ws://127.0.0.1:80a/"), Contains("invalid port"));
    CHECK_THAT(error_of("ws://127.0.0.1:65536/"), Contains("invalid port"));
    CHECK_THAT(error_of("ws://127.0.0.1:123456/"), Contains("invalid port"));
    CHECK_THAT(error_of("ws://127.0.0.1:-1/"), Contains("invalid port"));
    CHECK_THAT(error_of("ws://user:secret@127.0.0.1/"), Contains("user information"));
    CHECK_THAT(error_of("ws:///chat"), Contains("no host"));
    CHECK_THAT(error_of("ws://:8080/"), Contains("no host"));
    CHECK_THAT(error_of("ws://[::1/"), Contains("unbalanced"));
    CHECK_THAT(error_of("ws://[::1]8080/"), Contains("after the IPv6 literal"));
    CHECK(error_of("ws://127.0.0.1:65535/").empty());
}

TEST_CASE("wss:// and https:// targets speak TLS, by default on port 443", "[target]") {
    Target wss = parse_target_url("WSS://example.test/chat");
    CHECK(wss.scheme == "wss");
    CHECK(wss.uses_tls());
    CHECK(wss.port == "443");
    CHECK(wss.websocket_endpoint);
    CHECK(wss.ws_path == "/chat");
    CHECK(wss.authority() == "example.test");

    Target https = parse_target_url("https://127.0.0.1:8443/index.html");
    CHECK(https.uses_tls());
    CHECK(https.port == "8443");
    CHECK_FALSE(https.websocket_endpoint);
    CHECK(https.plain_path == "/index.html");
    CHECK(https.authority() == "127.0.0.1:8443");
    CHECK_FALSE(parse_target_url("ws://host/").uses_tls());
}

TEST_CASE("a TLS-required resource is a need the target meets only when given", "[target]") {
    Target t = parse_target_url("ws://host/ws");
    CHECK_THAT(t.unmet("tls-required-path"), Contains("--tls-required-path"));
    t.tls_required_path = "/secure";
    CHECK(t.unmet("tls-required-path").empty());
}

TEST_CASE("a usage error quotes the URL", "[target]") {
    CHECK_THAT(error_of("ws://127.0.0.1:99999/"), Contains("\"ws://127.0.0.1:99999/\""));
}

TEST_CASE("the authority ends at the path, the query or the fragment", "[target]") {
    Target query = parse_target_url("ws://host?x=1");
    CHECK(query.host == "host");
    CHECK(query.ws_path == "/?x=1");
    Target fragment = parse_target_url("ws://host:81/a#frag");
    CHECK(fragment.port == "81");
    CHECK(fragment.ws_path == "/a"); // fragments are never sent
}

TEST_CASE("schemes are case-insensitive", "[target]") {
    CHECK(parse_target_url("WS://host/ws").scheme == "ws");
    CHECK(parse_target_url("Http://host/").scheme == "http");
}

TEST_CASE("port 0 and unbracketed IPv6 addresses are refused", "[target]") {
    CHECK_THAT(error_of("ws://host:0/"), Contains("invalid port"));
    CHECK_THAT(error_of("ws://::1:8080/"), Contains("brackets"));
}

TEST_CASE("host[:port] as a URL writes it, for the URL and for --backend", "[target]") {
    const HostPort v6 = parse_host_port("[::1]:9001", "");
    CHECK(v6.host == "::1");
    CHECK(v6.port == "9001");
    CHECK(parse_host_port("example.test", "80").port == "80");
    CHECK_THROWS_AS(parse_host_port("example.test", ""), std::invalid_argument); // port required
    CHECK_THROWS_AS(parse_host_port("::1:9001", ""), std::invalid_argument);
    CHECK_THROWS_AS(parse_host_port(":9001", ""), std::invalid_argument);
    CHECK_THROWS_AS(parse_host_port("h:0", ""), std::invalid_argument);
}
