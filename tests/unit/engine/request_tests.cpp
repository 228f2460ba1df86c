#include "engine/request.hpp"

#include "encoding/base64.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace upgradespec;

namespace {

// Fixed placeholders so expected bytes can be written out in full.
const Placeholders vars = {
    {"host", "127.0.0.1"}, {"port", "8080"},         {"authority", "127.0.0.1:8080"},
    {"ws_path", "/chat"},  {"plain_path", "/index"}, {"ws_key", "dGhlIHNhbXBsZSBub25jZQ=="},
    {"nonce", "n0nce"},
};

const std::map<std::string, std::string> templates = {
    {"plain-get", "GET {plain_path} HTTP/1.1\r\nHost: {authority}\r\n\r\n"},
    {"multi", "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nConnection: keep-alive\r\nx-a : 2\r\n\r\n"},
};

Send from_template(const std::string& name) {
    Send send;
    send.template_name = name;
    return send;
}

std::string build(const Send& send, const Target& target = {}) {
    return build_request(send, templates, target, vars);
}

} // namespace

TEST_CASE("placeholders come from the target", "[request]") {
    Placeholders p = placeholders_for(parse_target_url("ws://127.0.0.1:8080/chat"));
    CHECK(p.at("host") == "127.0.0.1");
    CHECK(p.at("port") == "8080");
    CHECK(p.at("authority") == "127.0.0.1:8080");
    CHECK(p.at("ws_path") == "/chat");
    CHECK(p.at("plain_path") == "/");
    CHECK(p.at("path") == "/chat");

    Placeholders http = placeholders_for(parse_target_url("http://[::1]/docs"));
    CHECK(http.at("authority") == "[::1]");
    CHECK(http.at("ws_path") == "/");
    CHECK(http.at("plain_path") == "/docs");
    CHECK(http.at("path") == "/docs");
}

TEST_CASE("every call makes a fresh ws_key and nonce", "[request]") {
    Target target = parse_target_url("ws://127.0.0.1:8080/");
    Placeholders a = placeholders_for(target), b = placeholders_for(target);
    for (const auto& p : {a, b}) {
        const std::string& key = p.at("ws_key");
        CHECK(key.size() == 24);
        CHECK(key.substr(22) == "==");
        REQUIRE(base64_decode(key).has_value());
        CHECK(base64_decode(key)->size() == 16);
        CHECK(p.at("nonce").size() >= 8);
    }
    CHECK(a.at("ws_key") != b.at("ws_key"));
    CHECK(a.at("nonce") != b.at("nonce"));
}

TEST_CASE("expand replaces known placeholders and leaves other braces", "[request]") {
    CHECK(expand("{host}:{port}{ws_path}", vars) == "127.0.0.1:8080/chat");
    CHECK(expand("{unknown} {host", vars) == "{unknown} {host");
    CHECK(expand("{{host}}", vars) == "{127.0.0.1}");
    CHECK(expand("}{", vars) == "}{");
    CHECK(expand("{}", vars) == "{}");
    CHECK(expand("", vars).empty());
}

TEST_CASE("a raw request is sent exactly as written, placeholders expanded", "[request]") {
    Send send;
    send.raw = "GET {ws_path} HTTP/1.1\r\nHost: {authority}\r\nX-Odd :  {unknown}\r\n\r\n";
    send.then_bytes = std::string("\x81\x00{host}", 8);
    Target target;
    target.extra_fields = {"Authorization: Bearer t"};
    CHECK(build(send, target) == "GET /chat HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                                 "X-Odd :  {unknown}\r\n\r\n" +
                                     std::string("\x81\x00{host}", 8));
}

TEST_CASE("a template without edits is expanded", "[request]") {
    CHECK(build(from_template("plain-get")) ==
          "GET /index HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
}

TEST_CASE("template request-line edits", "[request]") {
    Send send = from_template("plain-get");
    send.method = "OPTIONS";
    send.target = "*";
    send.version = "HTTP/1.0";
    CHECK(build(send) == "OPTIONS * HTTP/1.0\r\nHost: 127.0.0.1:8080\r\n\r\n");

    send.version = "";
    CHECK(build(send) == "OPTIONS *\r\nHost: 127.0.0.1:8080\r\n\r\n");
}

TEST_CASE("template field edits", "[request]") {
    Send send = from_template("multi");

    SECTION("remove drops every line of the field, any case, any spacing") {
        send.remove = {"x-A"};
        CHECK(build(send) == "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n");
    }
    SECTION("set replaces the first line and drops the others") {
        send.set = {{"X-A", "3"}};
        CHECK(build(send) ==
              "GET / HTTP/1.1\r\nHost: h\r\nX-A: 3\r\nConnection: keep-alive\r\n\r\n");
    }
    SECTION("set appends a field that is missing") {
        send.set = {{"Upgrade", "websocket"}};
        CHECK(build(send) == "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nConnection: keep-alive\r\n"
                             "x-a : 2\r\nUpgrade: websocket\r\n\r\n");
    }
    SECTION("remove comes before set, so set after remove appends") {
        send.remove = {"X-A"};
        send.set = {{"X-A", "9"}};
        CHECK(build(send) ==
              "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nX-A: 9\r\n\r\n");
    }
    SECTION("add appends lines exactly as written, after set") {
        send.add = {"Upgrade : websocket", "X-A:1"};
        send.set = {{"Connection", "Upgrade"}};
        CHECK(build(send) == "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nConnection: Upgrade\r\n"
                             "x-a : 2\r\nUpgrade : websocket\r\nX-A:1\r\n\r\n");
    }
    SECTION("edit values are expanded") {
        send.set = {{"Sec-WebSocket-Key", "{ws_key}"}};
        send.add = {"X-Nonce: {nonce}"};
        std::string bytes = build(send);
        CHECK(bytes.find("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n") != std::string::npos);
        CHECK(bytes.find("X-Nonce: n0nce\r\n") != std::string::npos);
    }
}

TEST_CASE("template body and then_bytes", "[request]") {
    Send send = from_template("plain-get");
    send.method = "POST";
    send.add = {"Content-Length: 5"};
    send.body = "hello";
    send.then_bytes = "GET / HTTP/1.1\r\n\r\n";
    CHECK(build(send) == "POST /index HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 5\r\n\r\n"
                         "helloGET / HTTP/1.1\r\n\r\n");
}

TEST_CASE("then_bytes are not expanded", "[request]") {
    Send send = from_template("plain-get");
    send.then_bytes = "{host}";
    std::string bytes = build(send);
    CHECK(bytes.substr(bytes.size() - 6) == "{host}");
}

TEST_CASE("extra fields (-H) go on template requests after the case's own lines", "[request]") {
    Send send = from_template("plain-get");
    send.add = {"X-Case: 1"};
    Target target;
    target.extra_fields = {"Authorization: Bearer t", "Cookie: a=b"};
    CHECK(build(send, target) == "GET /index HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Case: 1\r\n"
                                 "Authorization: Bearer t\r\nCookie: a=b\r\n\r\n");
}

TEST_CASE("the --origin value goes on template requests that set no Origin of their own",
          "[request]") {
    Target target;
    target.origin = "https://app.example";
    CHECK(build(from_template("plain-get"), target) ==
          "GET /index HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: https://app.example\r\n\r\n");
    Send own = from_template("plain-get");
    own.set = {{"Origin", "http://evil.example"}};
    CHECK(build(own, target) ==
          "GET /index HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nOrigin: http://evil.example\r\n\r\n");
}

TEST_CASE("the --host-header value replaces the authority placeholder", "[request]") {
    Target target = parse_target_url("ws://127.0.0.1:8080/ws");
    target.host_header = "app.example";
    CHECK(placeholders_for(target).at("authority") == "app.example");
}

TEST_CASE("the shipped ws-upgrade template gets each call's own key", "[request]") {
    std::map<std::string, std::string> shipped = {
        {"ws-upgrade", "GET {ws_path} HTTP/1.1\r\nHost: {authority}\r\nUpgrade: websocket\r\n"
                       "Sec-WebSocket-Key: {ws_key}\r\n\r\n"}};
    Target target = parse_target_url("ws://127.0.0.1:9/");
    Placeholders a = placeholders_for(target), b = placeholders_for(target);
    Send send = from_template("ws-upgrade");
    std::string first = build_request(send, shipped, target, a);
    std::string second = build_request(send, shipped, target, b);
    CHECK(first.find("Sec-WebSocket-Key: " + a.at("ws_key") + "\r\n") != std::string::npos);
    CHECK(second.find("Sec-WebSocket-Key: " + b.at("ws_key") + "\r\n") != std::string::npos);
    CHECK(first != second);
}

TEST_CASE("an unknown template throws out_of_range", "[request]") {
    CHECK_THROWS_AS(build(from_template("no-such-template")), std::out_of_range);
}
