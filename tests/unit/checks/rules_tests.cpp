#include "checks/rules.hpp"

#include "observations.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <set>

using namespace upgradespec;
using namespace upgradespec::testing;
using Catch::Matchers::Contains;

namespace {

Observation with_frames(std::vector<ReceivedFrame> frames) {
    Observation seen = conforming_101();
    seen.frames = std::move(frames);
    return seen;
}

Observation answer_101(const std::string& offer, Fields response_fields) {
    return answered(head(101, std::move(response_fields)), "", upgrade_request(offer));
}

// The rules these tests exercise; a new rule needs tests here too.
const std::set<std::string> tested_rules = {
    "rule.426-upgrade",
    "rule.upgrade-connection-option",
    "rule.426-body",
    "rule.4xx-explained",
    "rule.101-upgrade",
    "rule.101-only-offered",
    "rule.101-connection",
    "rule.1xx-framing",
    "rule.status-version",
    "rule.server-frame-unmasked",
    "rule.server-frame-wellformed",
    // tested in extensions_tests.cpp
    "rule.extensions-negotiated",
    "rule.pmd-response-wellformed",
    "rule.pmd-client-window-offered",
    "rule.pmd-server-window-ack",
    "rule.pmd-server-no-context-ack",
    "rule.pmd-rsv1-conflict",
    "rule.pmd-server-messages-inflate",
    // tested in h2c_rules_tests.cpp
    "rule.h2c-no-http2-settings",
    "rule.h2c-server-preface",
    "rule.h2c-push-disabled",
    "rule.h2-server-settings",
    "rule.h2-no-connection-fields",
    // tested in tests/unit/h2/extended_connect_tests.cpp
    "rule.xc-setting-value",
    "rule.xc-2xx-no-length",
    // tested in tls_rules_tests.cpp
    "rule.101-layer-order",
    "rule.426-no-tls-start",
    "rule.tls-upgrade-offered",
};

} // namespace

TEST_CASE("every rule has an id, a requirement and a summary, and is tested here", "[rules]") {
    std::set<std::string_view> ids;
    for (const auto& rule : all_rules()) {
        CHECK(ids.insert(rule.id).second);
        CHECK(rule.id.substr(0, 5) == "rule.");
        CHECK_FALSE(rule.requirement.empty());
        CHECK_FALSE(rule.summary.empty());
        CHECK(tested_rules.count(std::string(rule.id)) == 1);
    }
    CHECK(ids.size() == tested_rules.size());
}

TEST_CASE("conforming responses fire no rule", "[rules]") {
    CHECK(fired_ids(conforming_426()).empty());
    CHECK(fired_ids(conforming_101()).empty());
    CHECK(fired_ids(answered(head(200, {{"Content-Length", "2"}}), "ok")).empty());
    CHECK(fired_ids(answered(head(400), "bad request")).empty());
    CHECK(fired_ids(with_frames({frame(1, "hello"), frame(10, "ping"), close_frame(1000, "bye")}))
              .empty());
    Observation nothing;
    nothing.closed = true;
    CHECK(fired_ids(nothing).empty());
}

TEST_CASE("rule.426-upgrade: a 426 names a protocol in Upgrade", "[rules]") {
    Observation seen = answered(head(426, {{"Connection", "close"}}), "upgrade needed");
    auto f = fired(seen, "rule.426-upgrade");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK(f->requirement == "UPG-426-UPGRADE-HDR");

    Observation empty_value =
        answered(head(426, {{"Upgrade", " , "}, {"Connection", "upgrade"}}), "x");
    CHECK(fired(empty_value, "rule.426-upgrade"));
    CHECK_FALSE(fired(conforming_426(), "rule.426-upgrade"));
}

TEST_CASE("rule.upgrade-connection-option: Upgrade on a 426 or 200 needs Connection: upgrade",
          "[rules]") {
    Observation refusal = answered(head(426, {{"Upgrade", "websocket"}}), "x");
    auto f = fired(refusal, "rule.upgrade-connection-option");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK_THAT(f->message, Contains("426"));

    Observation advert =
        answered(head(200, {{"Upgrade", "h2c"}, {"Connection", "keep-alive"}}), "ok");
    CHECK(fired(advert, "rule.upgrade-connection-option"));

    Observation listed = answered(
        head(200, {{"Upgrade", "h2c"}, {"Connection", "keep-alive"}, {"connection", "UPGRADE"}}),
        "ok");
    CHECK_FALSE(fired(listed, "rule.upgrade-connection-option"));
    CHECK_FALSE(fired(answered(head(200), "ok"), "rule.upgrade-connection-option"));
}

TEST_CASE("rule.426-body: a 426 explains itself, except to HEAD", "[rules]") {
    Observation empty = answered(head(426, {{"Upgrade", "websocket"}, {"Connection", "upgrade"}}));
    auto f = fired(empty, "rule.426-body");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::warn);
    CHECK_FALSE(fired(empty, "rule.4xx-explained"));

    Observation head_request = empty;
    head_request.request = request({}, "HTTP/1.1", "HEAD");
    CHECK_FALSE(fired(head_request, "rule.426-body"));
    CHECK_FALSE(fired(conforming_426(), "rule.426-body"));
}

TEST_CASE("rule.4xx-explained: a 4xx explains itself, except to HEAD", "[rules]") {
    Observation empty = answered(head(400));
    auto f = fired(empty, "rule.4xx-explained");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::warn);
    CHECK_THAT(f->message, Contains("400"));

    Observation head_request = answered(head(404), "", request({}, "HTTP/1.1", "HEAD"));
    CHECK_FALSE(fired(head_request, "rule.4xx-explained"));
    CHECK_FALSE(fired(answered(head(400), "bad"), "rule.4xx-explained"));
    CHECK_FALSE(fired(answered(head(500)), "rule.4xx-explained"));
}

TEST_CASE("rule.101-upgrade: a 101 names its protocol", "[rules]") {
    Observation seen = answer_101("websocket", {{"Connection", "Upgrade"}});
    auto f = fired(seen, "rule.101-upgrade");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK(f->requirement == "UPG-101-UPGRADE-HDR");
    CHECK_FALSE(fired(conforming_101(), "rule.101-upgrade"));
}

TEST_CASE("rule.101-only-offered: a 101 switches only to offered protocols", "[rules]") {
    auto offered_ok = [](const std::string& offer, const std::string& answer) {
        return !fired(answer_101(offer, {{"Upgrade", answer}, {"Connection", "upgrade"}}),
                      "rule.101-only-offered");
    };
    auto f = fired(answer_101("websocket", {{"Upgrade", "h2c"}, {"Connection", "upgrade"}}),
                   "rule.101-only-offered");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK_THAT(f->message, Contains("h2c"));

    CHECK(offered_ok("websocket", "WebSocket"));
    CHECK(offered_ok("foo", "foo/2"));
    CHECK_FALSE(offered_ok("foo/1", "foo/2"));
    CHECK(offered_ok("foo/2, bar", "FOO/2"));
    CHECK(offered_ok("TLS/1.0", "TLS/1.0, HTTP/1.1"));
    CHECK_FALSE(offered_ok("TLS/1.0", "HTTP/1.1"));
    CHECK_FALSE(offered_ok("websocket", "websocket, h2c"));
}

TEST_CASE("rule.101-connection: a 101 lists upgrade in Connection", "[rules]") {
    auto f = fired(answer_101("websocket", {{"Upgrade", "websocket"}}), "rule.101-connection");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK(fired(answer_101("websocket", {{"Upgrade", "websocket"}, {"Connection", "keep-alive"}}),
                "rule.101-connection"));
    CHECK_FALSE(
        fired(answer_101("websocket", {{"Upgrade", "websocket"}, {"Connection", "x, UpGrade"}}),
              "rule.101-connection"));
    // Only rule.101-connection speaks for a 101; a 426 is rule.upgrade-connection-option's.
    CHECK_FALSE(fired(answer_101("websocket", {{"Upgrade", "websocket"}}),
                      "rule.upgrade-connection-option"));
    CHECK_FALSE(fired(answered(head(426, {{"Upgrade", "websocket"}}), "x"), "rule.101-connection"));
    // A 101 without Upgrade sends no Upgrade to pair the option with: rule.101-upgrade's finding.
    CHECK_FALSE(fired(answer_101("h2c", {}), "rule.101-connection"));
    CHECK(fired(answer_101("h2c", {}), "rule.101-upgrade"));
}

TEST_CASE("rule.1xx-framing: no Content-Length or Transfer-Encoding on a 100 or 101", "[rules]") {
    Observation on_101 = conforming_101();
    on_101.head->fields.emplace_back("Content-Length", "0");
    auto f = fired(on_101, "rule.1xx-framing");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK_THAT(f->message, Contains("Content-Length"));

    Observation on_100 = answered(head(200, {{"Content-Length", "2"}}), "ok");
    on_100.interim.push_back(head(100, {{"Transfer-Encoding", "chunked"}}));
    auto interim = fired(on_100, "rule.1xx-framing");
    REQUIRE(interim);
    CHECK_THAT(interim->message, Contains("100"));
    CHECK_THAT(interim->message, Contains("Transfer-Encoding"));

    Observation clean_100 = answered(head(200, {{"Content-Length", "2"}}), "ok");
    clean_100.interim.push_back(head(100));
    CHECK_FALSE(fired(clean_100, "rule.1xx-framing"));
}

TEST_CASE("rule.status-version: status lines claim HTTP/1.1 or HTTP/1.0", "[rules]") {
    auto answer = [](const std::string& response_version, const std::string& request_version) {
        return answered(head(200, {}, response_version), "ok", request({}, request_version));
    };
    for (const char* bad : {"HTTP/1.2", "HTTP/2.0", "HTTP/2", "http/1.1"}) {
        auto f = fired(answer(bad, "HTTP/1.1"), "rule.status-version");
        REQUIRE(f);
        CHECK(f->verdict == Verdict::fail);
        CHECK_THAT(f->message, Contains(bad));
    }
    auto downgraded = fired(answer("HTTP/1.0", "HTTP/1.1"), "rule.status-version");
    REQUIRE(downgraded);
    CHECK(downgraded->verdict == Verdict::warn);
    CHECK(fired(answer("HTTP/1.0", "HTTP/1.9"), "rule.status-version"));
    CHECK(fired(answer("HTTP/1.0", "HTTP/2.0"), "rule.status-version"));

    CHECK_FALSE(fired(answer("HTTP/1.0", "HTTP/1.0"), "rule.status-version"));
    CHECK_FALSE(fired(answer("HTTP/1.1", "HTTP/1.0"), "rule.status-version"));
    CHECK_FALSE(fired(answer("HTTP/1.1", "HTTP/1.1"), "rule.status-version"));
    // A request with an invalid version is not graded on the version of its answer.
    for (const char* invalid : {"HTTP/1.x", "HTTP/11", "", "HTTP/1.1 "})
        CHECK_FALSE(fired(answer("HTTP/2.0", invalid), "rule.status-version"));

    Observation bad_interim = answer("HTTP/1.1", "HTTP/1.1");
    bad_interim.interim.push_back(head(100, {}, "HTTP/1.2"));
    CHECK(fired(bad_interim, "rule.status-version"));
}

TEST_CASE("rule.server-frame-unmasked: server frames are never masked", "[rules]") {
    ReceivedFrame masked = frame(1, "hi");
    masked.masked = true;
    auto f = fired(with_frames({frame(1, "ok"), masked}), "rule.server-frame-unmasked");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK(f->requirement == "WSF-SERVER-UNMASKED");
    CHECK_FALSE(fired(with_frames({frame(1, "ok")}), "rule.server-frame-unmasked"));
}

TEST_CASE("rule.server-frame-wellformed: frame header problems fail", "[rules]") {
    auto verdict_of = [](ReceivedFrame f) -> std::optional<Verdict> {
        auto found = fired(with_frames({std::move(f)}), "rule.server-frame-wellformed");
        return found ? std::optional(found->verdict) : std::nullopt;
    };
    ReceivedFrame rsv1 = frame(1, "x"), rsv3 = frame(2, "x");
    rsv1.rsv1 = true;
    rsv3.rsv3 = true;
    CHECK(verdict_of(rsv1) == Verdict::fail);
    CHECK(verdict_of(rsv3) == Verdict::fail);
    CHECK(verdict_of(frame(3)) == Verdict::fail);
    CHECK(verdict_of(frame(11)) == Verdict::fail);

    ReceivedFrame long_length = frame(2, "x");
    long_length.minimal_length = false;
    CHECK(verdict_of(long_length) == Verdict::fail);

    CHECK(verdict_of(frame(9, std::string(126, 'p'))) == Verdict::fail);
    CHECK_FALSE(verdict_of(frame(9, std::string(125, 'p'))));
    ReceivedFrame fragmented_ping = frame(9, "p");
    fragmented_ping.fin = false;
    CHECK(verdict_of(fragmented_ping) == Verdict::fail);
    ReceivedFrame fragmented_text = frame(1, "part");
    fragmented_text.fin = false;
    CHECK_FALSE(verdict_of(fragmented_text));
    CHECK_FALSE(verdict_of(frame(0, "rest")));
}

TEST_CASE("rule.server-frame-wellformed: a frame that never completed is judged by its header",
          "[rules]") {
    auto fires = [](ReceivedFrame f) {
        f.truncated = true; // no payload: a Close of no bytes, a ping of any length
        return fired(with_frames({std::move(f)}), "rule.server-frame-wellformed").has_value();
    };
    ReceivedFrame rsv1 = frame(8), fragmented_close = frame(8);
    rsv1.rsv1 = true;
    fragmented_close.fin = false;
    CHECK(fires(rsv1));
    CHECK(fires(fragmented_close));
    CHECK(fires(frame(3)));
    CHECK_FALSE(fires(frame(8, "x")));    // a one-byte Close body fails only when whole
    CHECK_FALSE(fires(frame(1, "\xff"))); // nor is the payload read
}

TEST_CASE("rule.server-frame-wellformed: RSV1 starts a compressed message once deflate is agreed",
          "[rules]") {
    Observation seen = with_frames({});
    seen.head->fields.emplace_back("Sec-WebSocket-Extensions",
                                   "permessage-deflate; server_no_context_takeover");
    ReceivedFrame start = frame(1, "c"), continuation = frame(0, "d"), ping = frame(9, "p");
    start.rsv1 = true;
    start.fin = false;
    seen.frames = {start};
    CHECK_FALSE(fired(seen, "rule.server-frame-wellformed"));
    continuation.rsv1 = true; // RSV1 belongs on the first frame only (RFC 7692 6)
    seen.frames = {start, continuation};
    CHECK(fired(seen, "rule.server-frame-wellformed"));
    ping.rsv1 = true;
    seen.frames = {ping};
    CHECK(fired(seen, "rule.server-frame-wellformed"));
}

TEST_CASE("rule.server-frame-wellformed: close codes", "[rules]") {
    auto verdict_of = [](ReceivedFrame f) -> std::optional<Verdict> {
        auto found = fired(with_frames({std::move(f)}), "rule.server-frame-wellformed");
        return found ? std::optional(found->verdict) : std::nullopt;
    };
    for (int never : {1005, 1006, 1015, 999, 0, 5000, 65535})
        CHECK(verdict_of(close_frame(never)) == Verdict::fail);
    CHECK(verdict_of(frame(8, "x")) == Verdict::fail); // a one-byte Close body
    CHECK(verdict_of(close_frame(1016)) == Verdict::warn);
    CHECK(verdict_of(close_frame(1004)) == Verdict::warn);
    for (int fine : {1000, 1001, 1011, 3000, 4999})
        CHECK_FALSE(verdict_of(close_frame(fine, "bye")));
    CHECK_FALSE(verdict_of(frame(8))); // a Close without a body
}

TEST_CASE("each rule reports once, its worst problem", "[rules]") {
    ReceivedFrame masked = frame(1, "a");
    masked.masked = true;
    Observation seen = with_frames({close_frame(1016), frame(3), masked, masked});
    auto findings = apply_rules(seen);
    CHECK(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
              return f.rule == "rule.server-frame-wellformed";
          }) == 1);
    CHECK(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
              return f.rule == "rule.server-frame-unmasked";
          }) == 1);
    CHECK(fired(seen, "rule.server-frame-wellformed")->verdict == Verdict::fail);
}
