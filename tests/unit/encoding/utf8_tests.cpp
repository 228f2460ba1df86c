#include "encoding/utf8.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;

TEST_CASE("valid_utf8 follows RFC 3629", "[utf8]") {
    CHECK(valid_utf8(""));
    CHECK(valid_utf8("Hello"));
    CHECK(valid_utf8("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5")); // kosme
    CHECK(valid_utf8("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    CHECK(valid_utf8("\xf4\x8f\xbf\xbf"));          // U+10FFFF
    CHECK(valid_utf8("\xef\xbf\xbf"));              // U+FFFF
    CHECK_FALSE(valid_utf8("\xc3\x28"));            // the WSF-INVALID-UTF8 probe
    CHECK_FALSE(valid_utf8("\xc0\xaf"));            // overlong '/'
    CHECK_FALSE(valid_utf8("\xe0\x80\xaf"));        // overlong, 3 bytes
    CHECK_FALSE(valid_utf8("\xf0\x80\x80\xaf"));    // overlong, 4 bytes
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));        // surrogate U+D800
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));    // above U+10FFFF
    CHECK_FALSE(valid_utf8("\x80"));                // lone continuation
    CHECK_FALSE(valid_utf8("\xe2\x82"));            // truncated
    CHECK_FALSE(valid_utf8("ok \xe2\x82\xac\xe2")); // truncated at the end
    CHECK_FALSE(valid_utf8("\xff"));
}

TEST_CASE("utf8_sequence_length measures the sequence at the start", "[utf8]") {
    CHECK(utf8_sequence_length("") == 0);
    CHECK(utf8_sequence_length("ab") == 1);
    CHECK(utf8_sequence_length("\xc2\x85 C1 control, still UTF-8") == 2);
    CHECK(utf8_sequence_length("\xe2\x82\xac!") == 3);
    CHECK(utf8_sequence_length("\xf0\x9f\x98\x80") == 4);
    CHECK(utf8_sequence_length("\xe2\x82") == 0);
    CHECK(utf8_sequence_length("\xed\xa0\x80") == 0);
    CHECK(utf8_sequence_length("\x80") == 0);
}
