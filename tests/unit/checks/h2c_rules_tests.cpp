#include "checks/rules.hpp"
#include "h2/frame.hpp"

#include "observations.hpp"

#include <catch2/catch.hpp>

#include <optional>

using namespace upgradespec;
using namespace upgradespec::testing;
using Catch::Matchers::Contains;

namespace {

// H2C_BASE answered by a correct 101, then the frames refserver sends: SETTINGS, the ACK of the
// client's SETTINGS, and the stream-1 response.
Observation h2c_exchange() {
    Observation seen = answered(head(101, {{"Connection", "Upgrade"}, {"Upgrade", "h2c"}}), "",
                                request({{"Host", "127.0.0.1:8080"},
                                         {"Connection", "Upgrade, HTTP2-Settings"},
                                         {"Upgrade", "h2c"},
                                         {"HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"}}));
    seen.h2_frames = {{h2::type::settings, 0, 0,
                       h2::encode_settings({{h2::setting::max_concurrent_streams, 100}})},
                      {h2::type::settings, h2::flag::ack, 0, ""},
                      {h2::type::headers, h2::flag::end_headers, 1, "block"},
                      {h2::type::data, h2::flag::end_stream, 1, "hello"}};
    seen.h2_headers = {{1, h2::type::headers, {{":status", "200"}, {"content-length", "5"}}, ""}};
    return seen;
}

} // namespace

TEST_CASE("h2c rules: a correct exchange fires none", "[rules][h2c]") {
    CHECK(fired_ids(h2c_exchange()).empty());
}

TEST_CASE("h2c rules: HTTP2-Settings in any response", "[rules][h2c]") {
    auto seen = h2c_exchange();
    seen.head->fields.emplace_back("HTTP2-Settings", "AAMAAABk");
    auto f = fired(seen, "rule.h2c-no-http2-settings");
    REQUIRE(f);
    CHECK(f->requirement == "H2C-101-FORMAT");
    CHECK(f->verdict == Verdict::fail);
    CHECK(fired(answered(head(200, {{"http2-settings", "x"}})), "rule.h2c-no-http2-settings"));
}

TEST_CASE("h2c rules: the server's first frame is its SETTINGS", "[rules][h2c]") {
    auto seen = h2c_exchange();
    seen.h2_frames.insert(seen.h2_frames.begin(),
                          {h2::type::window_update, 0, 0, std::string("\0\0\xff\xff", 4)});
    auto f = fired(seen, "rule.h2c-server-preface");
    REQUIRE(f);
    CHECK(f->requirement == "H2C-SERVER-PREFACE-FIRST");
    CHECK_THAT(f->message, Contains("WINDOW_UPDATE"));

    Observation garbage = h2c_exchange();
    garbage.h2_frames.clear();
    garbage.h2_unreadable = "a frame of 4740180 bytes";
    CHECK(fired(garbage, "rule.h2c-server-preface"));
    Observation none = h2c_exchange();
    none.h2_frames.clear();
    CHECK_FALSE(fired(none, "rule.h2c-server-preface"));
}

TEST_CASE("h2c rules: no PUSH_PROMISE once ENABLE_PUSH=0 was requested", "[rules][h2c]") {
    auto seen = h2c_exchange();
    seen.h2_frames.push_back(
        {h2::type::push_promise, h2::flag::end_headers, 1, std::string("\0\0\0\2", 4)});
    auto f = fired(seen, "rule.h2c-push-disabled");
    REQUIRE(f);
    CHECK(f->requirement == "H2C-SETTINGS-APPLIED");
    // Without ENABLE_PUSH=0 in HTTP2-Settings a push is allowed.
    seen.request.fields.back().second = "AAMAAABk";
    CHECK_FALSE(fired(seen, "rule.h2c-push-disabled"));
}

TEST_CASE("h2c rules: server SETTINGS values and lowercase field names", "[rules][h2c]") {
    auto push = h2c_exchange();
    push.h2_frames[0].payload = h2::encode_settings({{h2::setting::enable_push, 1}});
    auto f = fired(push, "rule.h2-server-settings");
    REQUIRE(f);
    CHECK(f->requirement == "H2C-SERVER-SETTINGS-VALID");
    CHECK_THAT(f->message, Contains("ENABLE_PUSH=1"));

    auto zero = h2c_exchange();
    zero.h2_frames[0].payload = h2::encode_settings({{h2::setting::enable_push, 0}});
    CHECK_FALSE(fired(zero, "rule.h2-server-settings"));

    auto frame_size = h2c_exchange();
    frame_size.h2_frames[0].payload = h2::encode_settings({{h2::setting::max_frame_size, 100}});
    CHECK(fired(frame_size, "rule.h2-server-settings"));

    auto odd_length = h2c_exchange();
    odd_length.h2_frames[0].payload = "abcd";
    CHECK_THAT(fired(odd_length, "rule.h2-server-settings")->message, Contains("multiple of 6"));

    auto upper = h2c_exchange();
    upper.h2_headers[0].fields.emplace_back("Content-Type", "text/plain");
    CHECK_THAT(fired(upper, "rule.h2-server-settings")->message, Contains("Content-Type"));
}

TEST_CASE("h2c rules: no connection-specific fields in HTTP/2", "[rules][h2c]") {
    for (std::string name :
         {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "upgrade"}) {
        auto seen = h2c_exchange();
        seen.h2_headers[0].fields.emplace_back(name, "x");
        auto f = fired(seen, "rule.h2-no-connection-fields");
        INFO(name);
        REQUIRE(f);
        CHECK(f->requirement == "H2C-NO-CONN-SPECIFIC-IN-H2");
        CHECK_THAT(f->message, Contains(name));
    }
    auto te = h2c_exchange();
    te.h2_headers[0].fields.emplace_back("te", "trailers");
    CHECK_FALSE(fired(te, "rule.h2-no-connection-fields"));
}
