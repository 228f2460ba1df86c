#include "reports/escape.hpp"
#include "reports/text.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace std::string_literals;

TEST_CASE("printable keeps ASCII and escapes every other byte", "[reports][escape]") {
    CHECK(printable("GET / HTTP/1.1") == "GET / HTTP/1.1");
    CHECK(printable("a\r\nb\tc") == "a\\r\\n\nb\\tc");
    CHECK(printable("\0\x1b\x7f\x80\xff"s) == "\\x00\\x1B\\x7F\\x80\\xFF");
    CHECK(printable("<&]]>") == "<&]]>");
}

TEST_CASE("printable_line never breaks the line", "[reports][escape]") {
    CHECK(printable_line("a\r\nb") == "a\\r\\nb");
    CHECK(printable_line("\xc3\xa9") == "\\xC3\\xA9");
}

TEST_CASE("readable keeps valid UTF-8 text and escapes the rest", "[reports][escape]") {
    CHECK(readable("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80") ==
          "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80");
    CHECK(readable("\x1b[2J") == "\\x1B[2J");                      // terminal control
    CHECK(readable("a\nb") == "a\\nb");                            // one line
    CHECK(readable("\xff\xfe") == "\\xFF\\xFE");                   // never valid
    CHECK(readable("\xc2\x85") == "\\xC2\\x85");                   // C1 control U+0085
    CHECK(readable("\xc0\xaf") == "\\xC0\\xAF");                   // overlong '/'
    CHECK(readable("\xed\xa0\x80") == "\\xED\\xA0\\x80");          // surrogate
    CHECK(readable("\xe2\x80") == "\\xE2\\x80");                   // truncated
    CHECK(readable("\xf4\x90\x80\x80") == "\\xF4\\x90\\x80\\x80"); // above U+10FFFF
}

TEST_CASE("format_ms writes milliseconds with three decimals", "[reports][escape]") {
    using std::chrono::microseconds;
    CHECK(format_ms(microseconds(0)) == "0.000");
    CHECK(format_ms(microseconds(12'345)) == "12.345");
    CHECK(format_ms(microseconds(1'234'005)) == "1234.005");
}

TEST_CASE("transcript_text puts each event on its own lines", "[reports][escape]") {
    using std::chrono::microseconds;
    const std::vector<TranscriptEvent> events{
        {Direction::sent, microseconds(100), "GET / HTTP/1.1\r\n\r\n"},
        {Direction::received, microseconds(12'345), "HTTP/1.1 426 X\r\n\r\nbody\xff"},
        {Direction::eof, microseconds(20'000), ""},
        {Direction::reset, microseconds(20'001), ""},
        {Direction::note, microseconds(20'002), "line one\nline two"},
    };
    CHECK(transcript_text(events) == "[+0.100ms] >>> GET / HTTP/1.1\\r\\n\n"
                                     "\\r\\n\n"
                                     "[+12.345ms] <<< HTTP/1.1 426 X\\r\\n\n"
                                     "\\r\\n\n"
                                     "body\\xFF\n"
                                     "[+20.000ms] --- eof\n"
                                     "[+20.001ms] --- reset\n"
                                     "[+20.002ms] --- note: line one\\nline two\n");
}
