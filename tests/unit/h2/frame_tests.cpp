#include "h2/frame.hpp"

#include "encoding/base64.hpp"
#include "encoding/hex.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace upgradespec::h2;
using Kind = FrameDecode::Kind;

namespace {
std::string bytes(std::string_view hex) {
    return hex_decode(hex);
}

// Every strict prefix of a frame is need_more; the whole frame decodes and consumes exactly it.
H2Frame decode_whole(const std::string& wire) {
    for (std::size_t n = 0; n < wire.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        REQUIRE(decode_frame(std::string_view(wire).substr(0, n)).kind == Kind::need_more);
    }
    auto d = decode_frame(wire + "next");
    REQUIRE(d.kind == Kind::frame);
    CHECK(d.consumed == wire.size());
    return d.frame;
}
} // namespace

TEST_CASE("the client preface is the RFC 9113 3.4 string", "[h2]") {
    CHECK(client_preface == bytes("505249202a20485454502f322e300d0a0d0a534d0d0a0d0a"));
    CHECK(client_preface.size() == 24);
}

TEST_CASE("frame headers: 24-bit length, type, flags, 31-bit stream id", "[h2]") {
    CHECK(encode_frame(type::headers, flag::end_headers, 1, "abc") ==
          bytes("000003 01 04 00000001") + "abc");
    // The reserved bit is never sent, and dropped when received.
    CHECK(encode_frame(type::data, 0, 0x80000003, "") == bytes("000000 00 00 00000003"));
    auto f = decode_whole(bytes("000002 00 01 80000005 6869"));
    CHECK(f.type == type::data);
    CHECK(f.flags == flag::end_stream);
    CHECK(f.stream == 5);
    CHECK(f.payload == "hi");
}

TEST_CASE("a length over the maximum is an error from the header alone", "[h2]") {
    auto d = decode_frame("HTTP/1.1 200 OK\r\n");
    CHECK(d.kind == Kind::error);
    CHECK_THAT(d.error, Catch::Contains("4740180"));
    CHECK(decode_frame(bytes("004001 00 00 00000001")).kind == Kind::error);
    CHECK(decode_frame(bytes("004000 00 00 00000001")).kind == Kind::need_more);
    CHECK(decode_frame(bytes("004001 00 00 00000001"), 1 << 20).kind == Kind::need_more);
}

TEST_CASE("SETTINGS payloads: six bytes per setting", "[h2]") {
    std::vector<Setting> curl{{setting::max_concurrent_streams, 100},
                              {setting::initial_window_size, 1u << 30},
                              {setting::enable_push, 0}};
    CHECK(encode_settings(curl) == bytes("0003 00000064 0004 40000000 0002 00000000"));
    CHECK(decode_settings(encode_settings(curl)) == curl);
    CHECK(decode_settings("")->empty());
    CHECK_FALSE(decode_settings(bytes("0003 0000")));
    CHECK(settings_frame({}) == bytes("000000 04 00 00000000"));
    CHECK(settings_ack_frame() == bytes("000000 04 01 00000000"));
}

TEST_CASE("setting values out of range are named", "[h2]") {
    CHECK(setting_problem({setting::enable_push, 0}).empty());
    CHECK(setting_problem({setting::enable_push, 1}).empty());
    CHECK_THAT(setting_problem({setting::enable_push, 2}), Catch::Contains("ENABLE_PUSH=2"));
    CHECK_FALSE(setting_problem({setting::enable_connect_protocol, 2}).empty());
    CHECK(setting_problem({setting::initial_window_size, 0x7fffffff}).empty());
    CHECK_FALSE(setting_problem({setting::initial_window_size, 0x80000000}).empty());
    CHECK(setting_problem({setting::max_frame_size, 16384}).empty());
    CHECK(setting_problem({setting::max_frame_size, 16777215}).empty());
    CHECK_FALSE(setting_problem({setting::max_frame_size, 100}).empty());
    CHECK_FALSE(setting_problem({setting::max_frame_size, 16777216}).empty());
    CHECK(setting_problem({0x99, 12345}).empty()); // unknown settings are ignored
}

TEST_CASE("GOAWAY, RST_STREAM, WINDOW_UPDATE and PING", "[h2]") {
    auto goaway = decode_whole(goaway_frame(1, error::protocol_error, "bad preface"));
    CHECK(goaway.type == type::goaway);
    CHECK(goaway.stream == 0);
    auto g = decode_goaway(goaway.payload);
    REQUIRE(g);
    CHECK(g->last_stream == 1);
    CHECK(g->error_code == error::protocol_error);
    CHECK(g->debug == "bad preface");
    CHECK_FALSE(decode_goaway(bytes("00000001 0000")));

    CHECK(rst_stream_frame(1, error::stream_closed) == bytes("000004 03 00 00000001 00000005"));
    CHECK(decode_rst_stream(bytes("00000005")) == error::stream_closed);
    CHECK_FALSE(decode_rst_stream(bytes("0000000500")));

    CHECK(window_update_frame(0, 65535) == bytes("000004 08 00 00000000 0000ffff"));
    CHECK(ping_frame("12345678", true) == bytes("000008 06 01 00000000") + "12345678");
    CHECK(ping_frame("ab", false) ==
          bytes("000008 06 00 00000000") + std::string("ab\0\0\0\0\0\0", 8));
}

TEST_CASE("header fragments without padding, priority or promised stream", "[h2]") {
    H2Frame plain{type::headers, flag::end_headers, 1, "block"};
    CHECK(header_fragment(plain) == "block");
    H2Frame padded{type::headers, flag::padded | flag::priority, 1,
                   bytes("02 80000003 10") + "block" + std::string(2, '\0')};
    CHECK(header_fragment(padded) == "block");
    H2Frame promise{type::push_promise, flag::end_headers, 1, bytes("00000002") + "block"};
    CHECK(header_fragment(promise) == "block");
    H2Frame too_much_padding{type::headers, flag::padded, 1, bytes("09") + "block"};
    CHECK_FALSE(header_fragment(too_much_padding));
    CHECK_FALSE(header_fragment(H2Frame{type::data, 0, 1, "x"}));
}

TEST_CASE("names of types and error codes, both ways", "[h2]") {
    CHECK(type_name(type::rst_stream) == "RST_STREAM");
    CHECK(type_name(0x0b) == "0x0b");
    CHECK(error_name(error::stream_closed) == "STREAM_CLOSED");
    CHECK(error_name(42) == "0x0000002a");
    CHECK(error_code("protocol_error") == error::protocol_error);
    CHECK_FALSE(error_code("NOPE"));
    CHECK(frame_type("window_update") == type::window_update);
    CHECK_FALSE(frame_type("altsvc"));
}

TEST_CASE("frames described for reports", "[h2]") {
    auto settings = decode_whole(settings_frame({{setting::max_concurrent_streams, 100}}));
    CHECK(describe(settings) == "SETTINGS stream 0 (MAX_CONCURRENT_STREAMS=100)");
    CHECK(describe(decode_whole(settings_ack_frame())) == "SETTINGS stream 0 ACK");
    CHECK(describe(decode_whole(goaway_frame(1, error::protocol_error))) ==
          "GOAWAY stream 0 PROTOCOL_ERROR, last stream 1");
    CHECK(describe(decode_whole(rst_stream_frame(1, error::stream_closed))) ==
          "RST_STREAM stream 1 STREAM_CLOSED");
    CHECK(describe(H2Frame{type::data, flag::end_stream, 1, "hi\n"}) ==
          "DATA stream 1 END_STREAM 'hi\\x0a'");
    CHECK(describe(H2Frame{type::headers, flag::end_headers | flag::end_stream, 1, "xyz"}) ==
          "HEADERS stream 1 END_STREAM END_HEADERS 3 bytes");
}

TEST_CASE("HTTP2-Settings is base64url without padding", "[h2]") {
    auto decoded = base64url_decode("AAMAAABkAARAAAAAAAIAAAAA");
    REQUIRE(decoded);
    CHECK(*decoded == bytes("0003 00000064 0004 40000000 0002 00000000"));
    CHECK(base64url_encode(*decoded) == "AAMAAABkAARAAAAAAAIAAAAA");
    CHECK(base64url_decode("AAMAAA") == bytes("00030000"));
}
