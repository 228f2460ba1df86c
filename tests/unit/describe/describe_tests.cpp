// describe/: steps and outcomes in words (`explain`, `doc`, the reports' expected and observed).
#include "describe/outcome.hpp"
#include "describe/step.hpp"
#include "model/protocol_words.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

Predicate status_is(std::vector<std::string> patterns) {
    Predicate p;
    p.http1.status = std::move(patterns);
    return p;
}

Outcome outcome(Verdict verdict, Predicate when, std::string why = "") {
    return {verdict, std::move(when), std::move(why)};
}

Case case_with(std::vector<Outcome> outcomes, Outcome otherwise) {
    Case c;
    c.id = "test.describe.case";
    c.outcomes = std::move(outcomes);
    c.otherwise = std::move(otherwise);
    return c;
}

Observation answered(int status, Fields fields, std::string body) {
    Observation seen;
    seen.head = ResponseHead{"HTTP/1.1", status, "Reason", std::move(fields)};
    seen.body = std::move(body);
    seen.body_complete = true;
    return seen;
}

Step step(Step::Kind kind, H2StepSpec spec = {}) {
    Step s{};
    s.kind = kind;
    s.h2 = std::move(spec);
    return s;
}

} // namespace

TEST_CASE("a predicate in words, each protocol's members", "[describe]") {
    CHECK(describe(Predicate{}) == "anything");
    Predicate not_http;
    not_http.http1.not_http = true;
    CHECK(describe(not_http) == "bytes that are not an HTTP/1.x response");
    Predicate same;
    same.http1.same_status_as = "upg.plain.baseline";
    CHECK(describe(same) == "the status upg.plain.baseline got");

    Predicate over_tls;
    over_tls.tls.alpn = "h2";
    over_tls.h2.status = {"2xx"};
    over_tls.h2.reset = std::vector<std::uint32_t>{h2::error::protocol_error, h2::error::cancel};
    over_tls.h2.headers["sec-websocket-protocol"].equals = "chat";
    CHECK(describe(over_tls) == "ALPN selecting h2, :status 2xx, RST_STREAM with PROTOCOL_ERROR or "
                                "CANCEL, sec-websocket-protocol (HTTP/2) = \"chat\"");
}

TEST_CASE("a predicate's words keep the documents' order", "[describe]") {
    // The response, the steps, the connection, TLS, HTTP/2, the field checks last: the order
    // docs/cases.md has always had.
    Predicate p = status_is({"101"});
    p.steps_ok = true;
    p.http1.headers["Upgrade"].has_token = "websocket";
    p.http1.closed_after = true;
    p.h2.listener = "none";
    CHECK(describe(p) == "status 101, every step after the 101 holding, then a close, the "
                         "listener seeing none, Upgrade listing websocket");
}

TEST_CASE("describe_expected lists the passing outcomes", "[describe]") {
    Predicate refusal = status_is({"400", "426"});
    refusal.http1.headers["Sec-WebSocket-Version"].has_token = "13";
    Case c =
        case_with({outcome(Verdict::pass, refusal), outcome(Verdict::fail, status_is({"101"}))},
                  outcome(Verdict::fail, {}, "no"));
    std::string expected = describe_expected(c);
    CHECK_THAT(expected, Contains("status 400 or 426"));
    CHECK_THAT(expected, Contains("Sec-WebSocket-Version listing 13"));
    CHECK_THAT(expected, !Contains("101"));

    Case none =
        case_with({outcome(Verdict::fail, status_is({"101"}))}, outcome(Verdict::fail, {}, "no"));
    CHECK(describe_expected(none) == "(no passing outcome)");
    Case lenient =
        case_with({outcome(Verdict::fail, status_is({"101"}))}, outcome(Verdict::pass, {}, "fine"));
    CHECK(describe_expected(lenient) == "anything else");
}

TEST_CASE("describe_observed says what the target did", "[describe]") {
    std::string refused =
        describe_observed(answered(426, {{"Upgrade", "websocket"}, {"Server", "x"}}, "need ws"));
    CHECK_THAT(refused, Contains("HTTP/1.1 426"));
    CHECK_THAT(refused, Contains("Upgrade: websocket"));
    CHECK_THAT(refused, !Contains("Server"));
    CHECK_THAT(refused, Contains("7-byte body"));

    Observation closed;
    closed.closed = true;
    CHECK_THAT(describe_observed(closed), Contains("closed without a response"));
    Observation refused_connect;
    refused_connect.connect_error = "connection refused";
    CHECK(describe_observed(refused_connect) == "connection refused");
    CHECK(describe_observed(Observation{}) == "nothing");

    Observation frames = answered(101, {}, "");
    frames.frames = {ReceivedFrame{true, false, false, false, false, 1, "hi", true}};
    frames.h2_frames = {H2Frame{h2::type::settings, h2::flag::ack, 0, ""}};
    CHECK_THAT(describe_observed(frames),
               Contains("frame: text FIN 'hi'; HTTP/2 frame: SETTINGS stream 0 ACK"));
}

TEST_CASE("steps described in words", "[describe][steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.status = 200;
    CHECK(describe_step(step(Step::Kind::expect_h2_response, spec)) ==
          "expect a complete response on stream 1 with :status 200");
    CHECK(describe_step(step(Step::Kind::h2_preface)) ==
          "send the HTTP/2 client preface and SETTINGS (ENABLE_PUSH=0)");
    CHECK(describe_step(step(Step::Kind::expect_h2_settings_ack)) == "expect a SETTINGS ACK");
    spec.errors = {h2::error::stream_closed};
    CHECK_THAT(describe_step(step(Step::Kind::expect_h2_reset, spec)),
               StartsWith("expect RST_STREAM on stream 1 with STREAM_CLOSED"));
    spec.fields = {{":method", "CONNECT"}, {":protocol", "websocket"}};
    CHECK_THAT(describe_step(step(Step::Kind::send_h2_headers, spec)),
               Contains(":protocol: websocket"));

    Step ping = step(Step::Kind::send_frame);
    ping.frame.opcode = 9;
    ping.frame.payload = "a\r\n";
    CHECK(describe_step(ping) == "send a masked ping \"a\\r\\n\"");
    Step close = step(Step::Kind::expect_close);
    close.close_frame_required = true;
    CHECK(describe_step(close) == "expect a Close frame, then the server closes TCP");
}
