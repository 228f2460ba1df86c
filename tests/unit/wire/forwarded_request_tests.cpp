#include "wire/forwarded_request.hpp"

#include "wire/request_head.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using Kind = ForwardedHead::Kind;

TEST_CASE("a request line is what a proxy forwards", "[wire][backend]") {
    CHECK(is_request_line("GET /ws HTTP/1.1"));
    CHECK(is_request_line("OPTIONS * HTTP/1.0"));
    CHECK_FALSE(is_request_line("get /ws HTTP/1.1"));
    CHECK_FALSE(is_request_line("GET /ws"));
    CHECK_FALSE(is_request_line(" GET /ws HTTP/1.1"));
    CHECK_FALSE(is_request_line("UPGRADESPEC-SMUGGLED abc: bytes"));
    CHECK_FALSE(is_request_line("\x81\x85 x HTTP/1.1"));
}

TEST_CASE("the backend finds a head, waits for more, or sees relayed bytes", "[wire][backend]") {
    const std::string head = "GET /ws HTTP/1.1\r\nHost: b\r\n\r\n";
    CHECK(find_request_head(head + "next", false).kind == Kind::head);
    CHECK(find_request_head(head + "next", false).length == head.size());
    CHECK(find_request_head("GET /ws HTTP/1.1\r\nHost", false).kind == Kind::need_more);
    CHECK(find_request_head("GET /ws HT", false).kind == Kind::need_more);
    SECTION("bytes that are not a request are raw as soon as their first line ends") {
        CHECK(find_request_head("UPGRADESPEC-SMUGGLED x\r\n", false).kind == Kind::raw);
    }
    SECTION("a partial line is raw only once the connection ended") {
        CHECK(find_request_head("\x81\x85\x00\x00", false).kind == Kind::need_more);
        CHECK(find_request_head("\x81\x85\x00\x00", true).kind == Kind::raw);
        CHECK(find_request_head("", true).kind == Kind::need_more);
    }
}

TEST_CASE("fields and the declared length of a forwarded request", "[wire][backend]") {
    const SentRequest r = parse_sent_request(
        "POST / HTTP/1.1\r\nupgradespec-case: abc\r\nContent-Length: 12\r\n\r\n");
    CHECK(field_value(r, "Upgradespec-Case") == "abc");
    CHECK(field_value(r, "Upgrade").empty());
    CHECK(declared_length(r) == 12);
    CHECK(declared_length(parse_sent_request("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n")) == 0);
    CHECK(declared_length(
              parse_sent_request("GET / HTTP/1.1\r\nContent-Length: 9999999999\r\n\r\n")) == 0);
}
