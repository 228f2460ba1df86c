#include "encoding/base64.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>

using namespace upgradespec;

namespace {

std::string all_bytes() {
    std::string all;
    for (int c = 0; c < 256; ++c)
        all += static_cast<char>(c);
    return all;
}

} // namespace

TEST_CASE("base64 round-trips the RFC 4648 section 10 vectors", "[base64]") {
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
    CHECK(base64_decode(base64_encode(all_bytes())) == all_bytes());
    // Longer than one of the encoder's chunks: the chunks join into one encoding.
    std::string long_text(10000, '\0');
    for (std::size_t i = 0; i < long_text.size(); ++i)
        long_text[i] = static_cast<char>(i * 7);
    CHECK(base64_encode(long_text).size() == (long_text.size() + 2) / 3 * 4);
    CHECK(base64_decode(base64_encode(long_text)) == long_text);
}

TEST_CASE("base64_decode is strict", "[base64]") {
    CHECK_FALSE(base64_decode("dGhlIHNhbXBsZSBub25jZQ").has_value());   // unpadded
    CHECK_FALSE(base64_decode("!!!!!!!!!!!!!!!!!!!!!!==").has_value()); // not the alphabet
    CHECK_FALSE(base64_decode("Zg=a").has_value());                     // '=' inside
    CHECK_FALSE(base64_decode("Zg==Zg==").has_value());
    CHECK_FALSE(base64_decode("Z===").has_value()); // too much padding
    CHECK_FALSE(base64_decode("====").has_value());
    CHECK_FALSE(base64_decode("Zm9vY===").has_value());
    CHECK_FALSE(base64_decode("Zg=").has_value()); // not a multiple of 4
    CHECK_FALSE(base64_decode("Zm9vYmFyZ").has_value());
    CHECK_FALSE(base64_decode("Zm9v Yg==").has_value()); // whitespace
    CHECK_FALSE(base64_decode("Zm9vYg==\r\n").has_value());
    CHECK_FALSE(base64_decode("Zh==").has_value()); // non-zero pad bits
    CHECK_FALSE(base64_decode("Zm9=").has_value());
    CHECK_FALSE(base64_decode("AQIDBAUGBwgJCgsMDQ4PEC==").has_value());
    CHECK(base64_decode("AQIDBAUGBwgJCgsMDQ4PEA==")->size() == 16);
    CHECK(base64_decode("YWJj") == std::string("abc"));
    CHECK(base64_decode("dGhlIHNhbXBsZSBub25jZSE=")->size() == 17);
    CHECK(base64_decode("-_8=") == std::nullopt); // base64url is another alphabet
}

TEST_CASE("base64_decode may accept non-zero pad bits, nothing else", "[base64]") {
    CHECK(base64_decode("Zh==", PadBits::any) == std::string("f"));
    CHECK(base64_decode("AQIDBAUGBwgJCgsMDQ4PEC==", PadBits::any) ==
          base64_decode("AQIDBAUGBwgJCgsMDQ4PEA=="));
    CHECK_FALSE(base64_decode("Zh=", PadBits::any).has_value());
    CHECK_FALSE(base64_decode("Z===", PadBits::any).has_value());
    CHECK_FALSE(base64_decode("Zh!=", PadBits::any).has_value());
}

TEST_CASE("base64url has no padding and its own alphabet (RFC 4648 5)", "[base64]") {
    CHECK(base64url_encode("") == "");
    CHECK(base64url_encode("f") == "Zg");
    CHECK(base64url_encode("fo") == "Zm8");
    CHECK(base64url_encode("foobar") == "Zm9vYmFy");
    CHECK(base64url_encode(std::string("\xfb\xff", 2)) == "-_8");
    CHECK(base64url_decode("-_8") == std::string("\xfb\xff", 2));
    CHECK(base64url_decode(base64url_encode(all_bytes())) == all_bytes());
    CHECK(base64url_decode("") == "");
    CHECK(base64url_decode("AAMAAA") == std::string("\x00\x03\x00\x00", 4));
}

TEST_CASE("base64url_decode is strict but for token68's trailing '='", "[base64]") {
    CHECK(base64url_decode("-_8=") == std::string("\xfb\xff", 2)); // token68 may end in '='
    CHECK(base64url_decode("Zg==") == std::string("f"));
    CHECK_FALSE(base64url_decode("!!!").has_value());
    CHECK_FALSE(base64url_decode("+/8").has_value());   // base64, not base64url
    CHECK_FALSE(base64url_decode("AAMAA").has_value()); // 5 characters: not a whole number of bytes
    CHECK_FALSE(base64url_decode("Z=g").has_value());   // '=' inside
    CHECK_FALSE(base64url_decode("Zh").has_value());    // non-zero pad bits
    CHECK_FALSE(base64url_decode("AA MA").has_value());
}
