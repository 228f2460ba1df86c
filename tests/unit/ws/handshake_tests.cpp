#include "ws/handshake.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace upgradespec::ws;

TEST_CASE("the RFC 6455 sample key gives the sample accept", "[handshake]") {
    CHECK(compute_accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK(compute_accept(" \t dGhlIHNhbXBsZSBub25jZQ==   ") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("the accept hashes the key string as sent, never re-encoded", "[handshake]") {
    CHECK(compute_accept("AQIDBAUGBwgJCgsMDQ4PEC==") == "OfS0wDaT5NoxF2gqm7Zj2YtetzM=");
    CHECK(compute_accept("AQIDBAUGBwgJCgsMDQ4PEA==") != "OfS0wDaT5NoxF2gqm7Zj2YtetzM=");
}

TEST_CASE("random keys are 16 fresh bytes", "[handshake]") {
    auto a = random_key(), b = random_key();
    CHECK(a.size() == 24);
    CHECK(a != b);
    auto decoded = base64_decode(a);
    REQUIRE(decoded.has_value());
    CHECK(decoded->size() == 16);
    CHECK(base64_decode(b)->size() == 16);
    CHECK(random_bytes(0).empty());
    CHECK(random_bytes(32).size() == 32);
}

TEST_CASE("base64 round-trips (RFC 4648 section 10 vectors)", "[handshake]") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, encoded] : vectors) {
        CHECK(base64_encode(plain) == encoded);
        CHECK(base64_decode(encoded) == std::string(plain));
    }
    std::string all;
    for (int c = 0; c < 256; ++c)
        all += static_cast<char>(c);
    CHECK(base64_decode(base64_encode(all)) == all);
}

TEST_CASE("base64_decode is strict", "[handshake]") {
    CHECK_FALSE(base64_decode("dGhlIHNhbXBsZSBub25jZQ").has_value());   // unpadded
    CHECK_FALSE(base64_decode("!!!!!!!!!!!!!!!!!!!!!!==").has_value()); // not the alphabet
    CHECK_FALSE(base64_decode("Zg=a").has_value());                     // '=' inside
    CHECK_FALSE(base64_decode("Z===").has_value());
    CHECK_FALSE(base64_decode("====").has_value());
    CHECK_FALSE(base64_decode("Zm9v Yg==").has_value()); // whitespace
    CHECK_FALSE(base64_decode("Zm9vYg==\r\n").has_value());
    CHECK_FALSE(base64_decode("Zh==").has_value()); // non-zero pad bits
    CHECK_FALSE(base64_decode("AQIDBAUGBwgJCgsMDQ4PEC==").has_value());
    CHECK(base64_decode("AQIDBAUGBwgJCgsMDQ4PEA==")->size() == 16);
    CHECK(base64_decode("YWJj") == std::string("abc"));
    CHECK(base64_decode("dGhlIHNhbXBsZSBub25jZSE=")->size() == 17);
    CHECK(base64_decode("-_8=") == std::nullopt); // base64url is another alphabet
}

TEST_CASE("hex_decode reads spaced or packed bytes", "[handshake]") {
    CHECK(hex_decode("81 85 ab") == "\x81\x85\xab");
    CHECK(hex_decode("8185AB") == "\x81\x85\xab");
    CHECK(hex_decode(" 00\n\tff ") == std::string("\x00\xff", 2));
    CHECK(hex_decode("").empty());
}

TEST_CASE("hex_decode names what is wrong", "[handshake]") {
    auto message = [](const char* text) {
        try {
            hex_decode(text);
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
        return std::string("no exception");
    };
    CHECK_THAT(message("81 8g"), Catch::Contains("'g' at position 4"));
    CHECK_THAT(message("zz"), Catch::Contains("'z' at position 0"));
    CHECK_THAT(message("818"), Catch::Contains("the end at position 3"));
    CHECK_THAT(message("8 1"), Catch::Contains("two hex digits"));
    CHECK_THAT(message("0x81"), Catch::Contains("'x' at position 1"));
}
