#include "wire/response_parser.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

using namespace upgradespec;
using Kind = ResponseParse::Kind;

namespace {
std::string recorded(const std::string& name) {
    std::ifstream in(std::string(UPGRADESPEC_RESPONSES_DIR) + "/" + name, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every strict prefix of a response is need_more while the peer is still open.
void check_prefixes_need_more(const std::string& bytes, std::size_t whole) {
    for (std::size_t n = 0; n < whole; ++n) {
        auto r = parse_response(std::string_view(bytes).substr(0, n), false, false);
        INFO("prefix of " << n << " bytes");
        REQUIRE(r.kind == Kind::need_more);
        CHECK(r.consumed == 0);
    }
}
} // namespace

TEST_CASE("a 101 ends at its blank line; the frame after it is not consumed", "[response]") {
    auto bytes = recorded("ws-101-then-frame.http");
    auto r = parse_response(bytes, false, false);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.head.version == "HTTP/1.1");
    CHECK(r.head.status == 101);
    CHECK(r.head.reason == "Switching Protocols");
    CHECK(r.status_line == "HTTP/1.1 101 Switching Protocols");
    CHECK(r.head.combined("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK(r.body.empty());
    CHECK(r.body_complete);
    REQUIRE(r.consumed == bytes.size() - 7);
    CHECK(bytes.substr(r.consumed) == "\x81\x05Hello");
    check_prefixes_need_more(bytes, r.consumed);
}

TEST_CASE("a 426 with a Content-Length body", "[response]") {
    auto bytes = recorded("426-with-body.http");
    auto r = parse_response(bytes, false, false);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.head.status == 426);
    CHECK(r.body == "upgrade to websocket/13.\r\n");
    CHECK(r.body_complete);
    CHECK(r.consumed == bytes.size());
    // Duplicates kept in wire order, names as received.
    CHECK(r.head.values("Sec-WebSocket-Version") == std::vector<std::string>{"13", "8, 7"});
    REQUIRE(r.head.fields.size() == 6);
    CHECK(r.head.fields[0] == std::pair<std::string, std::string>{"Upgrade", "websocket"});
    CHECK(r.head.fields[5].first == "Content-Length");
    check_prefixes_need_more(bytes, bytes.size());
}

TEST_CASE("a chunked 200 is decoded", "[response]") {
    auto bytes = recorded("200-chunked.http");
    auto r = parse_response(bytes + "HTTP/1.1 200 OK\r\n", false, false);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.body == "hello, world");
    CHECK(r.body_complete);
    CHECK(r.consumed == bytes.size()); // the next response is left alone
    check_prefixes_need_more(bytes, bytes.size());
}

TEST_CASE("a 100 then a 101 come back one head at a time", "[response]") {
    auto bytes = recorded("100-then-101.http");
    auto first = parse_response(bytes, false, false);
    REQUIRE(first.kind == Kind::head);
    CHECK(first.head.status == 100);
    CHECK(first.head.fields.empty());
    CHECK(first.consumed == std::string("HTTP/1.1 100 Continue\r\n\r\n").size());

    auto rest = std::string_view(bytes).substr(first.consumed);
    auto second = parse_response(rest, false, false);
    REQUIRE(second.kind == Kind::head);
    CHECK(second.head.status == 101);
    CHECK(second.head.combined("upgrade") == "h2c");
    // The h2 SETTINGS frame header after the 101 is the new protocol's.
    CHECK(rest.substr(second.consumed) == std::string("\0\0\0\x04\0\0\0\0\0", 9));
}

TEST_CASE("a close-delimited body completes only at eof", "[response]") {
    auto bytes = recorded("200-close-delimited.http");
    auto open = parse_response(bytes, false, false);
    CHECK(open.kind == Kind::need_more);
    CHECK(open.consumed == 0);
    CHECK(open.head.status == 200); // the head is already known while the body streams

    auto closed = parse_response(bytes, true, false);
    REQUIRE(closed.kind == Kind::head);
    CHECK(closed.head.version == "HTTP/1.0");
    CHECK(closed.body == "no length: the close ends this body\n");
    CHECK(closed.body_complete);
    CHECK(closed.consumed == bytes.size());
}

TEST_CASE("the version is kept as written", "[response]") {
    auto r = parse_response(recorded("200-http12.http"), false, false);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.head.version == "HTTP/1.2");
    CHECK(r.head.status == 200);
    CHECK(r.body == "ok");
    CHECK(r.consumed == recorded("200-http12.http").size());

    // Any well-formed HTTP/d.d is a head for the checks to judge; other spellings are not.
    auto h20 = parse_response("HTTP/2.0 505 Version Not Supported\r\n\r\n", true, false);
    REQUIRE(h20.kind == Kind::head);
    CHECK(h20.head.version == "HTTP/2.0");
    CHECK(h20.head.status == 505);
    for (std::string line : {"http/1.1 200 OK", "HTTP/1.10 200 OK", "HTTP/1 200 OK"}) {
        INFO(line);
        auto bad = parse_response(line + "\r\n\r\n", true, false);
        CHECK(bad.kind == Kind::malformed);
        CHECK(bad.status_line == line);
    }
}

TEST_CASE("a status line Beast rejects is malformed, with the line kept", "[response]") {
    auto r = parse_response(recorded("200-http2-malformed.http"), false, false);
    REQUIRE(r.kind == Kind::malformed);
    CHECK(r.status_line == "HTTP/2 200");
    CHECK_THAT(r.error, Catch::Contains("bad version"));
    CHECK(r.consumed == 0);

    auto garbage = parse_response("<html>hello</html>\r\n\r\n", false, false);
    CHECK(garbage.kind == Kind::malformed);
    CHECK(garbage.status_line == "<html>hello</html>");
}

TEST_CASE("a head cut short by a close is malformed", "[response]") {
    auto bytes = recorded("426-truncated-head.http");
    CHECK(parse_response(bytes, false, false).kind == Kind::need_more);
    auto r = parse_response(bytes, true, false);
    REQUIRE(r.kind == Kind::malformed);
    CHECK(r.error == "closed after " + std::to_string(bytes.size()) + " bytes of a response head");
    CHECK(r.status_line == "HTTP/1.1 426 Upgrade Required");
}

TEST_CASE("a close before any byte is left to the caller", "[response]") {
    auto r = parse_response("", true, false);
    CHECK(r.kind == Kind::need_more);
    CHECK(r.status_line.empty());
}

TEST_CASE("a head over the limit is malformed", "[response]") {
    auto bytes = recorded("200-oversized-head.http");
    auto ok = parse_response(bytes, false, false);
    REQUIRE(ok.kind == Kind::head);
    CHECK(ok.head.fields.size() == 31);

    auto r = parse_response(bytes, false, false, 2048);
    REQUIRE(r.kind == Kind::malformed);
    CHECK_THAT(r.error, Catch::Contains("2048-byte limit"));
    CHECK(r.status_line == "HTTP/1.1 200 OK");
    // Still malformed when only the first max_head bytes have arrived, complete or not.
    CHECK(parse_response(std::string_view(bytes).substr(0, 2048), false, false, 2048).kind ==
          Kind::malformed);
    CHECK(parse_response(std::string_view(bytes).substr(0, 2047), false, false, 2048).kind ==
          Kind::need_more);
}

TEST_CASE("an endless head stops at the default 64 KiB", "[response]") {
    std::string bytes = "HTTP/1.1 200 OK\r\nX-Long: " + std::string(70 * 1024, 'a');
    auto r = parse_response(bytes, false, false);
    REQUIRE(r.kind == Kind::malformed);
    CHECK_THAT(r.error, Catch::Contains("65536-byte limit"));
    // A status line that never ends is still reported, bounded by the limit.
    auto line = parse_response(std::string(100 * 1024, 'H'), false, false);
    REQUIRE(line.kind == Kind::malformed);
    CHECK(line.status_line.size() == 64 * 1024);
}

TEST_CASE("a response to HEAD has no body despite its Content-Length", "[response]") {
    auto bytes = recorded("200-head-content-length.http");
    auto r = parse_response(bytes, false, true);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.head.combined("Content-Length") == "1234");
    CHECK(r.body.empty());
    CHECK(r.body_complete);
    CHECK(r.consumed == bytes.size());
    // The same bytes answering a GET wait for 1234 body bytes.
    CHECK(parse_response(bytes, false, false).kind == Kind::need_more);
}

TEST_CASE("a body over the limit is cut at the limit", "[response]") {
    auto bytes = recorded("200-large-body.http");
    auto whole = parse_response(bytes, false, false);
    REQUIRE(whole.kind == Kind::head);
    CHECK(whole.body.size() == 4096);
    CHECK(whole.body_complete);

    auto r = parse_response(bytes, false, false, 64 * 1024, 1000);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.body == std::string(1000, 'x'));
    CHECK_FALSE(r.body_complete);
    CHECK_THAT(r.error, Catch::Contains("1000-byte limit"));
    // Known as soon as more than the limit has arrived, before the rest of the body.
    auto early = parse_response(std::string_view(bytes).substr(0, bytes.size() - 3000), false,
                                false, 64 * 1024, 1000);
    REQUIRE(early.kind == Kind::head);
    CHECK_FALSE(early.body_complete);
}

TEST_CASE("a huge Content-Length allocates nothing up front", "[response]") {
    std::string bytes = "HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\nabc";
    auto r = parse_response(bytes, false, false);
    CHECK(r.kind == Kind::need_more);
    auto closed = parse_response(bytes, true, false);
    REQUIRE(closed.kind == Kind::head);
    CHECK(closed.body == "abc");
    CHECK_FALSE(closed.body_complete);
    CHECK_THAT(closed.error, Catch::Contains("closed after 3 bytes"));
}

TEST_CASE("a chunked body that breaks its framing keeps the head", "[response]") {
    std::string bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n";
    auto r = parse_response(bytes, false, false);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.head.status == 200);
    CHECK_FALSE(r.body_complete);
    CHECK_THAT(r.error, Catch::Contains("invalid body framing"));
}

TEST_CASE("204 and 304 end at the head", "[response]") {
    for (std::string status : {"204 No Content", "304 Not Modified"}) {
        std::string bytes = "HTTP/1.1 " + status + "\r\nContent-Length: 10\r\n\r\n";
        auto r = parse_response(bytes + "next", false, false);
        REQUIRE(r.kind == Kind::head);
        CHECK(r.consumed == bytes.size());
        CHECK(r.body_complete);
    }
}

TEST_CASE("field values are trimmed, empty values kept", "[response]") {
    auto r =
        parse_response("HTTP/1.1 426 \r\nUpgrade:\r\nConnection:  upgrade \t\r\n\r\n", true, false);
    REQUIRE(r.kind == Kind::head);
    CHECK(r.head.reason.empty());
    REQUIRE(r.head.fields.size() == 2);
    CHECK(r.head.fields[0] == std::pair<std::string, std::string>{"Upgrade", ""});
    CHECK(r.head.fields[1] == std::pair<std::string, std::string>{"Connection", "upgrade"});
    CHECK(r.body_complete);
}
