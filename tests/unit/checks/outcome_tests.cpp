#include "checks/outcome.hpp"

#include "observations.hpp"
#include "ws/handshake.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace upgradespec::testing;
using Catch::Matchers::Contains;

namespace {

const Placeholders no_vars;

Predicate status_is(std::vector<std::string> patterns) {
    Predicate p;
    p.http1.status = std::move(patterns);
    return p;
}

Predicate header_is(const std::string& name, HeaderCheck check) {
    Predicate p;
    p.http1.headers.emplace(name, check);
    return p;
}

HeaderCheck has(const std::string& token) {
    HeaderCheck c;
    c.has_token = token;
    return c;
}

HeaderCheck only(const std::string& token) {
    HeaderCheck c;
    c.only_token = token;
    return c;
}

Observation closed_without_response() {
    Observation seen;
    seen.request = request();
    seen.closed = true;
    return seen;
}

Observation with_fields(Fields fields) {
    return answered(head(200, std::move(fields)), "ok");
}

Outcome outcome(Verdict verdict, Predicate when, std::string why = "") {
    return {verdict, std::move(when), std::move(why)};
}

Case case_with(std::vector<Outcome> outcomes, Outcome otherwise) {
    Case c;
    c.id = "test.outcome.case";
    c.requirement = "TEST-REQ";
    c.outcomes = std::move(outcomes);
    c.otherwise = std::move(otherwise);
    return c;
}

} // namespace

TEST_CASE("status matches numbers and classes, any of them", "[outcome]") {
    Observation ok101 = conforming_101();
    Observation refused = answered(head(426), "x");
    CHECK(holds(status_is({"101"}), ok101, no_vars));
    CHECK_FALSE(holds(status_is({"101"}), refused, no_vars));
    CHECK(holds(status_is({"4xx"}), refused, no_vars));
    CHECK(holds(status_is({"4xx"}), answered(head(499)), no_vars));
    CHECK_FALSE(holds(status_is({"4xx"}), answered(head(500)), no_vars));
    CHECK_FALSE(holds(status_is({"4xx"}), ok101, no_vars));
    CHECK(holds(status_is({"200", "1xx"}), ok101, no_vars));
    CHECK_FALSE(holds(status_is({"200", "5xx"}), ok101, no_vars));
    CHECK_FALSE(holds(status_is({"1xx"}), closed_without_response(), no_vars));
}

TEST_CASE("not_status needs a response with none of the statuses", "[outcome]") {
    Predicate p;
    p.http1.not_status = {"101", "5xx"};
    CHECK(holds(p, answered(head(400)), no_vars));
    CHECK_FALSE(holds(p, conforming_101(), no_vars));
    CHECK_FALSE(holds(p, answered(head(503)), no_vars));
    CHECK_FALSE(holds(p, closed_without_response(), no_vars));
}

TEST_CASE("not_http: bytes that are not an HTTP/1.x response", "[outcome]") {
    Predicate not_http, http;
    not_http.http1.not_http = true;
    http.http1.not_http = false;

    Observation garbage;
    garbage.malformed = "no status line";
    CHECK(holds(not_http, garbage, no_vars));
    CHECK_FALSE(holds(http, garbage, no_vars));
    // A response, a close or silence is not an unparseable answer.
    CHECK_FALSE(holds(not_http, answered(head(400), "bad"), no_vars));
    CHECK_FALSE(holds(not_http, closed_without_response(), no_vars));
    CHECK_FALSE(holds(not_http, Observation{}, no_vars));
}

TEST_CASE("h2_instead: an HTTP/2 SETTINGS frame where a response should be", "[outcome]") {
    Predicate h2;
    h2.http1.h2_instead = true;
    Observation switched;
    switched.malformed = "no status line";
    // SETTINGS (type 4) of 6 bytes on stream 0, MAX_CONCURRENT_STREAMS = 100, then WINDOW_UPDATE.
    switched.unparsed = std::string("\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64"
                                    "\x00\x00\x04\x08",
                                    19);
    CHECK(holds(h2, switched, no_vars));
    Observation garbage = switched;
    garbage.unparsed = "<html>an HTTP/0.9 page</html>";
    CHECK_FALSE(holds(h2, garbage, no_vars));
    Observation on_stream_1 = switched;
    on_stream_1.unparsed[8] = '\x01';
    CHECK_FALSE(holds(h2, on_stream_1, no_vars));
    Observation odd_length = switched;
    odd_length.unparsed[2] = '\x05';
    CHECK_FALSE(holds(h2, odd_length, no_vars));
    CHECK_FALSE(holds(h2, answered(head(200), "ok"), no_vars));
}

TEST_CASE("same_status_as compares with the status a dependency got", "[outcome]") {
    Predicate same;
    same.http1.same_status_as.emplace("upg.plain.baseline");
    Observation refused = answered(head(426, {}), "");
    CHECK_FALSE(holds(same, refused, no_vars)); // the dependency got no answer
    refused.dependency_statuses["upg.plain.baseline"] = 426;
    CHECK(holds(same, refused, no_vars));
    refused.dependency_statuses["upg.plain.baseline"] = 200;
    CHECK_FALSE(holds(same, refused, no_vars));
    Observation closed;
    closed.closed = true;
    closed.dependency_statuses["upg.plain.baseline"] = 426;
    CHECK_FALSE(holds(same, closed, no_vars));
}

TEST_CASE("responded and closed", "[outcome]") {
    Predicate responded, silent, closed, open;
    responded.http1.responded = true;
    silent.http1.responded = false;
    closed.http1.closed = true;
    open.http1.closed = false;

    Observation answer = answered(head(400), "bad");
    Observation gone = closed_without_response();
    CHECK(holds(responded, answer, no_vars));
    CHECK_FALSE(holds(silent, answer, no_vars));
    CHECK(holds(silent, gone, no_vars));
    CHECK_FALSE(holds(responded, gone, no_vars));

    CHECK(holds(closed, gone, no_vars));
    CHECK(holds(open, answer, no_vars));
    // A close after a response is not "closed without a response".
    answer.closed = true;
    CHECK_FALSE(holds(closed, answer, no_vars));
    // A timeout is neither a response nor a close.
    Observation waited;
    waited.timed_out = true;
    CHECK_FALSE(holds(closed, waited, no_vars));
    CHECK(holds(silent, waited, no_vars));
}

TEST_CASE("version and body_empty", "[outcome]") {
    Predicate v10, empty, not_empty;
    v10.http1.version.emplace("HTTP/1.0");
    empty.http1.body_empty = true;
    not_empty.http1.body_empty = false;

    CHECK(holds(v10, answered(head(200, {}, "HTTP/1.0")), no_vars));
    CHECK_FALSE(holds(v10, answered(head(200)), no_vars));
    CHECK_FALSE(holds(v10, closed_without_response(), no_vars));

    CHECK(holds(empty, answered(head(204)), no_vars));
    CHECK_FALSE(holds(empty, answered(head(400), "why"), no_vars));
    CHECK(holds(not_empty, answered(head(400), "why"), no_vars));
    CHECK_FALSE(holds(empty, closed_without_response(), no_vars));
}

TEST_CASE("steps_ok needs the steps to have run", "[outcome]") {
    Predicate ok, failed;
    ok.steps_ok = true;
    failed.steps_ok = false;
    Observation seen = conforming_101();
    CHECK_FALSE(holds(ok, seen, no_vars));
    CHECK_FALSE(holds(failed, seen, no_vars));

    seen.steps_ran = true;
    CHECK(holds(ok, seen, no_vars));
    CHECK_FALSE(holds(failed, seen, no_vars));

    seen.step_failure = "no pong";
    CHECK_FALSE(holds(ok, seen, no_vars));
    CHECK(holds(failed, seen, no_vars));
}

TEST_CASE("present and count", "[outcome][header]") {
    HeaderCheck present, absent, twice;
    present.present = true;
    absent.present = false;
    twice.count = 2;
    Observation seen = with_fields({{"Vary", "a"}, {"X-Other", "b"}, {"vary", "c"}});
    CHECK(holds(header_is("VARY", present), seen, no_vars));
    CHECK_FALSE(holds(header_is("Upgrade", present), seen, no_vars));
    CHECK(holds(header_is("Upgrade", absent), seen, no_vars));
    CHECK_FALSE(holds(header_is("vary", absent), seen, no_vars));
    CHECK(holds(header_is("Vary", twice), seen, no_vars));
    CHECK_FALSE(holds(header_is("X-Other", twice), seen, no_vars));
    // A header check never holds without a response.
    CHECK_FALSE(holds(header_is("Upgrade", absent), closed_without_response(), no_vars));
}

TEST_CASE("equals compares the combined value, equals_nocase ignores case", "[outcome][header]") {
    HeaderCheck exact, nocase;
    exact.equals = "a, B";
    nocase.equals_nocase = "A, b";
    Observation two_lines = with_fields({{"X-List", "a"}, {"x-list", "B"}});
    CHECK(holds(header_is("X-List", exact), two_lines, no_vars));
    CHECK(holds(header_is("X-List", nocase), two_lines, no_vars));

    Observation other_case = with_fields({{"X-List", "A, b"}});
    CHECK_FALSE(holds(header_is("X-List", exact), other_case, no_vars));
    CHECK(holds(header_is("X-List", nocase), other_case, no_vars));
    CHECK_FALSE(holds(header_is("X-Missing", exact), other_case, no_vars));
    CHECK_FALSE(holds(header_is("X-Missing", nocase), other_case, no_vars));
}

TEST_CASE("has_token looks at every line, any case", "[outcome][header]") {
    Observation seen =
        with_fields({{"Connection", "keep-alive"}, {"connection", " UPGRADE , close"}});
    CHECK(holds(header_is("Connection", has("upgrade")), seen, no_vars));
    CHECK(holds(header_is("Connection", has("Keep-Alive")), seen, no_vars));
    CHECK(holds(header_is("Connection", has("close")), seen, no_vars));
    CHECK_FALSE(holds(header_is("Connection", has("upgrad")), seen, no_vars));
    CHECK_FALSE(holds(header_is("Upgrade", has("websocket")), seen, no_vars));
}

TEST_CASE("has_element names a member before its parameters", "[outcome][header]") {
    HeaderCheck deflate;
    deflate.has_element = "permessage-deflate";
    auto extensions = [](const std::string& value) {
        return with_fields({{"Sec-WebSocket-Extensions", value}});
    };
    const Predicate accepted = header_is("Sec-WebSocket-Extensions", deflate);
    CHECK(holds(accepted, extensions("permessage-deflate"), no_vars));
    CHECK(holds(accepted, extensions("x-foo, Permessage-Deflate ;server_no_context_takeover"),
                no_vars));
    CHECK_FALSE(holds(accepted, extensions("permessage-deflate-x; a=1"), no_vars));
    CHECK_FALSE(holds(accepted, extensions("x-foo; permessage-deflate"), no_vars));
    CHECK_FALSE(holds(accepted, with_fields({}), no_vars));
}

TEST_CASE("only_token needs exactly one member", "[outcome][header]") {
    CHECK(holds(header_is("Upgrade", only("websocket")), with_fields({{"Upgrade", " WebSocket "}}),
                no_vars));
    CHECK_FALSE(holds(header_is("Upgrade", only("websocket")),
                      with_fields({{"Upgrade", "websocket, h2c"}}), no_vars));
    CHECK_FALSE(holds(header_is("Upgrade", only("websocket")),
                      with_fields({{"Upgrade", "websocket"}, {"Upgrade", "websocket"}}), no_vars));
    CHECK_FALSE(
        holds(header_is("Upgrade", only("websocket")), with_fields({{"Upgrade", "h2c"}}), no_vars));
    CHECK_FALSE(holds(header_is("Upgrade", only("websocket")), with_fields({}), no_vars));
}

TEST_CASE("is_accept uses the key in the request sent", "[outcome][header]") {
    HeaderCheck accept, not_accept;
    accept.is_accept = true;
    not_accept.is_accept = false;
    const std::string key = "x3JJHMbDL1EzLkh9GBhXDw==";
    SentRequest sent = request({{"Upgrade", "websocket"}, {"sec-websocket-key", key}});
    auto answer = [&](Fields fields) { return answered(head(101, std::move(fields)), "", sent); };

    Observation right = answer({{"Sec-WebSocket-Accept", ws::compute_accept(key)}});
    CHECK(right.head->values("Sec-WebSocket-Accept").front() == "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
    CHECK(holds(header_is("Sec-WebSocket-Accept", accept), right, no_vars));
    CHECK_FALSE(holds(header_is("Sec-WebSocket-Accept", not_accept), right, no_vars));

    // The RFC sample accept is right only for the sample key, not for the key this case sent.
    Observation sample = answer({{"Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="}});
    CHECK_FALSE(holds(header_is("Sec-WebSocket-Accept", accept), sample, no_vars));
    CHECK(holds(header_is("Sec-WebSocket-Accept", not_accept), sample, no_vars));

    Observation doubled = answer({{"Sec-WebSocket-Accept", ws::compute_accept(key)},
                                  {"Sec-WebSocket-Accept", ws::compute_accept(key)}});
    CHECK_FALSE(holds(header_is("Sec-WebSocket-Accept", accept), doubled, no_vars));
    CHECK_FALSE(holds(header_is("Sec-WebSocket-Accept", accept), answer({}), no_vars));
}

TEST_CASE("header values expand the case's placeholders", "[outcome][header]") {
    Placeholders vars = {{"nonce", "abc123"}, {"host", "h"}};
    HeaderCheck echo, token, only_nonce;
    echo.equals = "{nonce}-{host}";
    token.has_token = "{nonce}";
    only_nonce.only_token = "{nonce}";
    Observation seen =
        with_fields({{"X-Echo", "abc123-h"}, {"X-List", "a, ABC123"}, {"X-One", "abc123"}});
    CHECK(holds(header_is("X-Echo", echo), seen, vars));
    CHECK(holds(header_is("X-List", token), seen, vars));
    CHECK(holds(header_is("X-One", only_nonce), seen, vars));
    CHECK_FALSE(holds(header_is("X-Echo", echo), seen, {{"nonce", "other"}, {"host", "h"}}));
}

TEST_CASE("every member of a predicate must hold", "[outcome]") {
    Predicate p = status_is({"101"});
    p.http1.headers.emplace("Upgrade", only("websocket"));
    p.http1.headers.emplace("Connection", has("upgrade"));
    CHECK(holds(p, conforming_101(), no_vars));
    Observation no_connection = conforming_101();
    no_connection.head->fields.erase(no_connection.head->fields.begin() + 1);
    CHECK_FALSE(holds(p, no_connection, no_vars));
    CHECK(holds(Predicate{}, closed_without_response(), no_vars));
}

TEST_CASE("judge_outcome: the first outcome that holds decides", "[outcome][judge]") {
    Case c = case_with({outcome(Verdict::pass, status_is({"4xx"}), "refused"),
                        outcome(Verdict::fail, status_is({"426"}), "never reached"),
                        outcome(Verdict::warn, status_is({"101"}), "switched")},
                       outcome(Verdict::fail, {}, "no answer"));
    Finding refused = judge_outcome(c, answered(head(426), "x"), no_vars);
    CHECK(refused.verdict == Verdict::pass);
    CHECK(refused.message == "refused");
    CHECK(refused.requirement == "TEST-REQ");
    CHECK(refused.rule.empty());

    Finding switched = judge_outcome(c, conforming_101(), no_vars);
    CHECK(switched.verdict == Verdict::warn);
    CHECK(switched.message == "switched");

    Finding none = judge_outcome(c, closed_without_response(), no_vars);
    CHECK(none.verdict == Verdict::fail);
    CHECK(none.message == "no answer");
}

TEST_CASE("judge_outcome adds a step failure to a non-pass message", "[outcome][judge]") {
    Predicate steps_held = status_is({"101"});
    steps_held.steps_ok = true;
    Case c = case_with({outcome(Verdict::pass, steps_held, "ponged")},
                       outcome(Verdict::fail, {}, "the ping was not answered"));
    Observation seen = conforming_101();
    seen.steps_ran = true;
    seen.step_failure = "no pong within 3000 ms";
    Finding failed = judge_outcome(c, seen, no_vars);
    CHECK(failed.verdict == Verdict::fail);
    CHECK(failed.message == "the ping was not answered: no pong within 3000 ms");

    // A passing outcome does not carry the failure of a step it did not need.
    Case lenient = case_with({outcome(Verdict::pass, status_is({"101"}), "switched")},
                             outcome(Verdict::fail, {}, "no"));
    CHECK(judge_outcome(lenient, seen, no_vars).message == "switched");

    Case terse =
        case_with({outcome(Verdict::warn, status_is({"101"}))}, outcome(Verdict::fail, {}, "no"));
    CHECK(judge_outcome(terse, seen, no_vars).message == "no pong within 3000 ms");
    seen.step_failure.clear();
    CHECK(judge_outcome(terse, seen, no_vars).message == "warn");
}

TEST_CASE("judge_outcome: a connect error is an error, whatever the outcomes say",
          "[outcome][judge]") {
    Case c = case_with({outcome(Verdict::pass, {})}, outcome(Verdict::pass, {}, "anything"));
    Observation seen;
    seen.connect_error = "connection refused";
    Finding f = judge_outcome(c, seen, no_vars);
    CHECK(f.verdict == Verdict::error);
    CHECK_THAT(f.message, Contains("connection refused"));
}

TEST_CASE("dependents run after a pass, an info or a warning that leaves what they need",
          "[outcome][dependents]") {
    Outcome needs_lost = outcome(Verdict::warn, status_is({"4xx"}), "refused the claimed upgrade");
    needs_lost.skips_dependents = true;
    Case c = case_with({outcome(Verdict::pass, status_is({"101"})),
                        outcome(Verdict::info, status_is({"2xx"})),
                        outcome(Verdict::warn, status_is({"3xx"}), "a SHOULD missed"), needs_lost,
                        outcome(Verdict::fail, status_is({"5xx"}), "RFC: MUST")},
                       outcome(Verdict::skip, {}, "nothing to compare with"));
    CHECK(lets_dependents_run(c, conforming_101(), no_vars));
    CHECK(lets_dependents_run(c, answered(head(200)), no_vars));
    CHECK(lets_dependents_run(c, answered(head(302)), no_vars));
    CHECK_FALSE(lets_dependents_run(c, answered(head(404)), no_vars));
    CHECK_FALSE(lets_dependents_run(c, answered(head(500)), no_vars));
    CHECK_FALSE(lets_dependents_run(c, closed_without_response(), no_vars));
    Observation unreachable;
    unreachable.connect_error = "connection refused";
    CHECK_FALSE(lets_dependents_run(c, unreachable, no_vars));
}

TEST_CASE("backend members judge what reached the runner's backend through the proxy",
          "[outcome][intermediary]") {
    Observation seen = with_fields({});
    Predicate no_hop;
    no_hop.backend.headers.emplace("X-Hop", HeaderCheck{.present = false});

    SECTION("field checks need a request at the backend") {
        CHECK_FALSE(holds(no_hop, seen, no_vars));
    }
    SECTION("they hold on every request that arrived") {
        seen.backend_requests.push_back(request({{"Host", "a"}}));
        CHECK(holds(no_hop, seen, no_vars));
        seen.backend_requests.push_back(request({{"x-hop", "1"}}));
        CHECK_FALSE(holds(no_hop, seen, no_vars));
    }
    SECTION("the count and the marker") {
        Predicate none;
        none.backend.requests = 0;
        none.backend.marker = false;
        CHECK(holds(none, seen, no_vars));
        seen.backend_marker = true;
        CHECK_FALSE(holds(none, seen, no_vars));
        seen.backend_marker = false;
        seen.backend_requests.push_back(request());
        CHECK_FALSE(holds(none, seen, no_vars));
    }
}
