#include "encoding/quote.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace upgradespec;

TEST_CASE("escaped keeps printable ASCII and shows other bytes as \\xNN", "[quote]") {
    CHECK(escaped("HTTP/1.1 200 OK") == "HTTP/1.1 200 OK");
    CHECK(escaped("\x15\x03\x03") == "\\x15\\x03\\x03");
    CHECK(escaped(std::string("a'\\\0\x7f\xc3", 6)) == "a'\\\\x00\\x7f\\xc3");
}

TEST_CASE("quote puts the first bytes between single quotes", "[quote]") {
    CHECK(quote("", 8) == "''");
    CHECK(quote("hi\n", 8) == "'hi\\x0a'");
    CHECK(quote(std::string("a'\\\x01\xc3\x28", 6), 8) == "'a\\'\\\\\\x01\\xc3('");
    CHECK(quote("abcdefgh", 8) == "'abcdefgh'");
    CHECK(quote("abcdefghi", 8) == "'abcdefgh'...");
}
