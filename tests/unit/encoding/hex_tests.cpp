#include "encoding/hex.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace upgradespec;

TEST_CASE("hex digits, bytes and escapes", "[hex]") {
    CHECK(hex_digit_value('0') == 0);
    CHECK(hex_digit_value('a') == 10);
    CHECK(hex_digit_value('F') == 15);
    CHECK(hex_digit_value('g') == -1);
    CHECK(hex_digit_value('x') == -1);
    CHECK(hex_digits(0x2a, 4) == "002a");
    CHECK(hex_digits(0xAB, 2, HexCase::upper) == "AB");
    CHECK(hex_digits(0x12345, 2) == "45");
    CHECK(hex_encode("") == "");
    CHECK(hex_encode(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
    CHECK(hex_escape(0x0a) == "\\x0a");
    CHECK(hex_escape(0xff, HexCase::upper) == "\\xFF");
}

TEST_CASE("hex_decode reads spaced or packed bytes", "[hex]") {
    CHECK(hex_decode("81 85 ab") == "\x81\x85\xab");
    CHECK(hex_decode("8185AB") == "\x81\x85\xab");
    CHECK(hex_decode(" 00\n\tff ") == std::string("\x00\xff", 2));
    CHECK(hex_decode("").empty());
    CHECK(hex_decode(hex_encode("any bytes\x01")) == "any bytes\x01");
}

TEST_CASE("hex_decode names what is wrong", "[hex]") {
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
