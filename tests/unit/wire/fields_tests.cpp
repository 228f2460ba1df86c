#include "model/observation.hpp"
#include "wire/fields.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using List = std::vector<std::string>;

TEST_CASE("iequals ignores ASCII case only", "[fields]") {
    CHECK(iequals("Upgrade", "uPGRADE"));
    CHECK(iequals("", ""));
    CHECK_FALSE(iequals("upgrade", "upgrades"));
    CHECK_FALSE(iequals("h2c", "h2d"));
    CHECK_FALSE(iequals("\xc3\xa9", "\xc3\x89")); // non-ASCII bytes are not case-folded
}

TEST_CASE("trim_ows strips spaces and tabs at both ends only", "[fields]") {
    CHECK(trim_ows(" \t websocket \t") == "websocket");
    CHECK(trim_ows("a b") == "a b");
    CHECK(trim_ows(" \t ").empty());
    CHECK(trim_ows("\r\nx\r\n") == "\r\nx\r\n");
}

TEST_CASE("split_list drops empty elements and trims OWS", "[fields]") {
    CHECK(split_list("keep-alive, Upgrade") == List{"keep-alive", "Upgrade"});
    CHECK(split_list(" , Upgrade,,") == List{"Upgrade"});
    CHECK(split_list(",\t,").empty());
    CHECK(split_list("").empty());
    CHECK(split_list("websocket") == List{"websocket"});
}

TEST_CASE("split_list keeps quoted strings whole", "[fields]") {
    CHECK(split_list(R"(a; q="x, y", b)") == List{R"(a; q="x, y")", "b"});
    CHECK(split_list(R"(a="p\", q", c)") == List{R"(a="p\", q")", "c"});
    // An unterminated quote swallows the rest rather than inventing elements.
    CHECK(split_list(R"(a, "b, c)") == List{"a", R"("b, c)"});
}

TEST_CASE("has_token looks in every line, case-insensitively", "[fields]") {
    List lines{"keep-alive", "foo, UPGRADE"};
    CHECK(has_token(lines, "upgrade"));
    CHECK(has_token(lines, "Keep-Alive"));
    CHECK_FALSE(has_token(lines, "close"));
    CHECK_FALSE(has_token({"upgrades"}, "upgrade"));
    CHECK_FALSE(has_token({R"(x="upgrade, y")"}, "upgrade"));
    CHECK_FALSE(has_token({}, "upgrade"));
}

TEST_CASE("ResponseHead finds every line of a field by any case", "[fields]") {
    ResponseHead head;
    head.fields = {{"Sec-WebSocket-Version", "13"},
                   {"Upgrade", "websocket"},
                   {"sec-websocket-version", "8, 7"}};
    CHECK(head.values("SEC-WEBSOCKET-VERSION") == List{"13", "8, 7"});
    CHECK(head.combined("Sec-WebSocket-Version") == "13, 8, 7");
    CHECK(head.combined("upgrade") == "websocket");
    CHECK(head.has("Upgrade"));
    CHECK_FALSE(head.has("Connection"));
    CHECK_FALSE(head.combined("Connection").has_value());
    CHECK(head.values("Connection").empty());
}

TEST_CASE("combined keeps an empty line as an empty element", "[fields]") {
    ResponseHead head;
    head.fields = {{"Upgrade", ""}};
    REQUIRE(head.combined("Upgrade").has_value());
    CHECK(head.combined("Upgrade")->empty());
    CHECK(split_list(*head.combined("Upgrade")).empty());
}
