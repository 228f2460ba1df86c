#include "wire/request_head.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;

TEST_CASE("a well-formed request parses into its parts", "[request]") {
    std::string bytes = "GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
                        "Connection: Upgrade\r\n\r\nbody bytes: ignored";
    auto r = parse_sent_request(bytes);
    CHECK(r.method == "GET");
    CHECK(r.target == "/chat");
    CHECK(r.version == "HTTP/1.1");
    CHECK(r.bytes == bytes);
    CHECK(r.fields ==
          Fields{{"Host", "example.com"}, {"Upgrade", "websocket"}, {"Connection", "Upgrade"}});
}

TEST_CASE("missing request-line parts are empty", "[request]") {
    auto r = parse_sent_request("GET /\r\n\r\n");
    CHECK(r.method == "GET");
    CHECK(r.target == "/");
    CHECK(r.version.empty());
    CHECK(r.fields.empty());

    auto lone = parse_sent_request("GET");
    CHECK(lone.method == "GET");
    CHECK(lone.target.empty());

    auto empty = parse_sent_request("");
    CHECK(empty.method.empty());
    CHECK(empty.fields.empty());
    CHECK(empty.bytes.empty());
}

TEST_CASE("the version keeps whatever follows the second space", "[request]") {
    CHECK(parse_sent_request("GET / HTTP/1.1x\r\n\r\n").version == "HTTP/1.1x");
    CHECK(parse_sent_request("GET / http/1.1 extra\r\n\r\n").version == "http/1.1 extra");
    auto doubled = parse_sent_request("GET  / HTTP/1.1\r\n\r\n");
    CHECK(doubled.method == "GET");
    CHECK(doubled.target.empty());
}

TEST_CASE("field lines are parsed leniently", "[request]") {
    auto r = parse_sent_request("GET / HTTP/1.1\r\n"
                                "Upgrade : websocket\r\n" // space before the colon
                                "no colon here\r\n"
                                "X-Folded: first\r\n"
                                " \t second\r\n"
                                "Empty:\r\n"
                                "Host: a\r\n"
                                "Host: a\r\n"
                                "Bare-LF: yes\n"
                                "\r\n"
                                "After: the head\r\n");
    CHECK(r.fields == Fields{{"Upgrade", "websocket"},
                             {"X-Folded", "first second"},
                             {"Empty", ""},
                             {"Host", "a"},
                             {"Host", "a"},
                             {"Bare-LF", "yes"}});
}

TEST_CASE("a fold with nothing before it, and a head without its end, do not break", "[request]") {
    auto r = parse_sent_request("GET / HTTP/1.1\r\n continued\r\nHost: x\r\nUpgr");
    CHECK(r.fields == Fields{{"Host", "x"}});
    auto binary = parse_sent_request(std::string("\x16\x03\x01\x00\x00:\r\n", 8));
    CHECK(binary.method == std::string("\x16\x03\x01\x00\x00:", 6));
}
