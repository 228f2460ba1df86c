#include "ws/frame.hpp"

#include "encoding/hex.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace upgradespec::ws;
using Kind = FrameDecode::Kind;

namespace {
constexpr std::array<unsigned char, 4> rfc_key{0x37, 0xfa, 0x21, 0x3d};

FrameSpec spec(int opcode, std::string payload, bool mask) {
    FrameSpec s;
    s.opcode = opcode;
    s.payload = std::move(payload);
    s.mask = mask;
    return s;
}

// Every strict prefix of a frame is need_more; the whole frame decodes.
ReceivedFrame decode_whole(const std::string& bytes) {
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        INFO("prefix of " << n << " bytes");
        REQUIRE(decode_frame(std::string_view(bytes).substr(0, n)).kind == Kind::need_more);
    }
    auto d = decode_frame(bytes + "trailing");
    REQUIRE(d.kind == Kind::frame);
    CHECK(d.consumed == bytes.size());
    return d.frame;
}
} // namespace

TEST_CASE("RFC 6455 5.7: a single-frame unmasked text message", "[frame]") {
    auto bytes = hex_decode("81 05 48 65 6c 6c 6f");
    CHECK(encode_frame(spec(1, "Hello", false), rfc_key) == bytes);
    auto f = decode_whole(bytes);
    CHECK(f.fin);
    CHECK(f.opcode == 1);
    CHECK_FALSE(f.masked);
    CHECK(f.payload == "Hello");
    CHECK(f.minimal_length);
    CHECK(describe(f) == "text FIN 'Hello'");
}

TEST_CASE("RFC 6455 5.7: a single-frame masked text message", "[frame]") {
    auto bytes = hex_decode("81 85 37 fa 21 3d 7f 9f 4d 51 58");
    CHECK(encode_frame(spec(1, "Hello", true), rfc_key) == bytes);
    auto f = decode_whole(bytes);
    CHECK(f.masked);
    CHECK(f.payload == "Hello");
    CHECK(describe(f) == "text FIN masked 'Hello'");
}

TEST_CASE("RFC 6455 5.7: a fragmented unmasked text message", "[frame]") {
    auto first = spec(1, "Hel", false);
    first.fin = false;
    CHECK(encode_frame(first, rfc_key) == hex_decode("01 03 48 65 6c"));
    CHECK(encode_frame(spec(0, "lo", false), rfc_key) == hex_decode("80 02 6c 6f"));
    CHECK(describe(decode_whole(hex_decode("01 03 48 65 6c"))) == "text 'Hel'");
}

TEST_CASE("RFC 6455 5.7: ping and its masked pong", "[frame]") {
    auto ping = hex_decode("89 05 48 65 6c 6c 6f");
    CHECK(encode_frame(spec(9, "Hello", false), rfc_key) == ping);
    CHECK(describe(decode_whole(ping)) == "ping 5 bytes");
    auto pong = hex_decode("8a 85 37 fa 21 3d 7f 9f 4d 51 58");
    CHECK(encode_frame(spec(10, "Hello", true), rfc_key) == pong);
    CHECK(decode_whole(pong).payload == "Hello");
}

TEST_CASE("RFC 6455 5.7: 256 bytes and 64 KiB binary length forms", "[frame]") {
    std::string p256(256, '\x5a');
    auto b256 = encode_frame(spec(2, p256, false), rfc_key);
    CHECK(b256.substr(0, 4) == hex_decode("82 7E 01 00"));
    CHECK(b256.size() == 4 + 256);
    auto d256 = decode_frame(b256);
    REQUIRE(d256.kind == Kind::frame);
    CHECK(d256.frame.payload == p256);
    CHECK(d256.frame.minimal_length);

    std::string p64k(65536, '\x01');
    auto b64k = encode_frame(spec(2, p64k, false), rfc_key);
    CHECK(b64k.substr(0, 10) == hex_decode("82 7F 00 00 00 00 00 01 00 00"));
    auto d64k = decode_frame(b64k);
    REQUIRE(d64k.kind == Kind::frame);
    CHECK(d64k.frame.payload == p64k);
    CHECK(d64k.frame.minimal_length);
    CHECK(d64k.consumed == 10 + 65536);
    CHECK(describe(d64k.frame) == "binary FIN 64 KiB");
}

TEST_CASE("length form boundaries round-trip, masked and not", "[frame]") {
    for (std::size_t n : {0, 1, 125, 126, 127, 65535, 65536, 70000}) {
        for (bool mask : {false, true}) {
            INFO(n << " bytes, mask " << mask);
            std::string payload(n, '\0');
            for (std::size_t i = 0; i < n; ++i)
                payload[i] = static_cast<char>(i * 7);
            auto bytes = encode_frame(spec(2, payload, mask)); // random key
            std::size_t header = (n < 126 ? 2 : n <= 65535 ? 4 : 10) + (mask ? 4 : 0);
            CHECK(bytes.size() == header + n);
            auto d = decode_frame(bytes);
            REQUIRE(d.kind == Kind::frame);
            CHECK(d.frame.payload == payload);
            CHECK(d.frame.masked == mask);
            CHECK(d.frame.minimal_length);
        }
    }
}

TEST_CASE("flags, RSV bits and odd opcodes round-trip", "[frame]") {
    auto s = spec(0xB, "x", true);
    s.fin = false;
    s.rsv1 = true;
    s.rsv3 = true;
    auto bytes = encode_frame(s, rfc_key);
    CHECK(static_cast<unsigned char>(bytes[0]) == 0x5B);
    auto f = decode_whole(bytes);
    CHECK_FALSE(f.fin);
    CHECK(f.rsv1);
    CHECK_FALSE(f.rsv2);
    CHECK(f.rsv3);
    CHECK(f.opcode == 0xB);
    CHECK(describe(f) == "opcode 0xB no FIN RSV1 RSV3 masked 1 byte");
}

TEST_CASE("close frames carry their code big-endian", "[frame]") {
    auto s = spec(8, "bye", false);
    s.close_code = 1000;
    auto bytes = encode_frame(s, rfc_key);
    CHECK(bytes == hex_decode("88 05 03 e8") + "bye");
    auto f = decode_whole(bytes);
    CHECK(close_code(f) == 1000);
    CHECK(describe(f) == "close 1000 'bye'");

    auto bare = decode_whole(hex_decode("88 00"));
    CHECK_FALSE(close_code(bare).has_value());
    CHECK(describe(bare) == "close");
    auto one_byte = decode_whole(hex_decode("88 01 03"));
    CHECK_FALSE(close_code(one_byte).has_value());
    CHECK(describe(one_byte) == "close 1 byte");
    CHECK_FALSE(close_code(decode_whole(hex_decode("81 02 03 e8"))).has_value());
    // The code is only prefixed for opcode 8.
    auto text = spec(1, "a", false);
    text.close_code = 1000;
    CHECK(encode_frame(text, rfc_key) == hex_decode("81 01 61"));
}

TEST_CASE("a length in a longer form than needed is flagged", "[frame]") {
    auto f16 = decode_whole(hex_decode("81 7E 00 05") + "Hello");
    CHECK(f16.payload == "Hello");
    CHECK_FALSE(f16.minimal_length);
    CHECK(describe(f16) == "text FIN non-minimal-length 'Hello'");

    auto f64 = decode_whole(hex_decode("82 7F 00 00 00 00 00 00 00 7E") + std::string(126, 'b'));
    CHECK_FALSE(f64.minimal_length);
    auto f64_large =
        decode_frame(hex_decode("82 7F 00 00 00 00 00 00 FF FF") + std::string(65535, 'c'));
    REQUIRE(f64_large.kind == Kind::frame);
    CHECK_FALSE(f64_large.frame.minimal_length);
    CHECK(decode_whole(hex_decode("82 7E 00 7E") + std::string(126, 'b')).minimal_length);
}

TEST_CASE("oversized and impossible lengths are errors before the payload arrives", "[frame]") {
    auto huge = decode_frame(hex_decode("82 7F 80 00 00 00 00 00 00 00"));
    REQUIRE(huge.kind == Kind::error);
    CHECK(huge.error == "payload length 2^63 or more");

    auto five_mib = decode_frame(hex_decode("82 7F 00 00 00 00 00 50 00 00"));
    REQUIRE(five_mib.kind == Kind::error);
    CHECK(five_mib.error == "payload of 5 MiB exceeds the 1 MiB limit");

    auto small_limit = decode_frame(hex_decode("81 0A"), 9);
    REQUIRE(small_limit.kind == Kind::error);
    CHECK(small_limit.error == "payload of 10 bytes exceeds the 9 bytes limit");
    CHECK(decode_frame(hex_decode("81 09") + "123456789", 9).kind == Kind::frame);
}

TEST_CASE("describe escapes and shortens payloads", "[frame]") {
    ReceivedFrame f;
    f.opcode = 1;
    f.payload = std::string("a'\\\x01\xc3\x28", 6);
    CHECK(describe(f) == "text FIN 'a\\'\\\\\\x01\\xc3('");
    f.payload = std::string(100, 'z');
    CHECK(describe(f) == "text FIN '" + std::string(64, 'z') + "'... (100 bytes)");
    f.opcode = 9;
    f.payload = "ping-123";
    CHECK(describe(f) == "ping 8 bytes");
}

TEST_CASE("the start of a frame that never completed: its header bits, no payload", "[frame]") {
    CHECK_FALSE(decode_truncated("H"));
    auto http = decode_truncated("HTTP/1.1 200 OK\r\n"); // 0x48 0x54
    REQUIRE(http);
    CHECK(http->truncated);
    CHECK_FALSE(http->fin);
    CHECK(http->rsv1);
    CHECK_FALSE(http->rsv2);
    CHECK(http->opcode == 8);
    CHECK_FALSE(http->masked);
    CHECK(http->payload.empty());
    CHECK(describe(*http) == "close no FIN RSV1 (only its header arrived)");
}
