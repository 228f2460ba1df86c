// HTTP/2 over TLS for RFC 8441: the HPACK encoder, the request and WebSocket-in-DATA steps, the
// case data that describes them, the predicates that judge them and the XC rules.
#include "catalogue/loader.hpp"
#include "checks/h2c_rules.hpp"
#include "checks/outcome.hpp"
#include "checks/rules.hpp"
#include "engine/h2_case.hpp"
#include "h2/frame.hpp"
#include "h2/hpack.hpp"
#include "h2/steps.hpp"
#include "ws/frame.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace upgradespec::h2;

namespace {

const Fields extended_connect{{":method", "CONNECT"},      {":protocol", "websocket"},
                              {":scheme", "https"},        {":path", "/ws"},
                              {":authority", "localhost"}, {"sec-websocket-version", "13"}};

Fields round_trip(HpackEncoder& encoder, HpackDecoder& decoder, const Fields& fields) {
    std::string error;
    auto decoded = decoder.decode(encoder.encode(fields), error);
    INFO(error);
    REQUIRE(decoded);
    return *decoded;
}

Step step(Step::Kind kind, H2StepSpec spec = {}) {
    Step s{};
    s.kind = kind;
    s.h2 = std::move(spec);
    return s;
}

H2Frame data(std::uint32_t stream, std::string payload, int flags = 0) {
    return H2Frame{type::data, flags, stream, std::move(payload)};
}

// A server's WebSocket frame: unmasked (RFC 6455 5.1).
std::string server_frame(int opcode, std::string payload) {
    FrameSpec spec;
    spec.opcode = opcode;
    spec.payload = std::move(payload);
    spec.mask = false;
    return ws::encode_frame(spec);
}

H2HeaderBlock response(std::uint32_t stream, Fields fields) {
    return H2HeaderBlock{stream, type::headers, std::move(fields), ""};
}

H2Frame settings(std::vector<Setting> values) {
    return H2Frame{type::settings, 0, 0, encode_settings(values)};
}

const Placeholders no_vars;

} // namespace

TEST_CASE("HPACK encoder: what it encodes decodes to the same fields, in order", "[hpack]") {
    HpackEncoder encoder;
    HpackDecoder decoder;
    CHECK(round_trip(encoder, decoder, extended_connect) == extended_connect);
    // The second block refers to the dynamic table the first one filled: contexts stay in step.
    CHECK(round_trip(encoder, decoder, extended_connect) == extended_connect);
    Fields odd{{"Connection", "upgrade"}, {"x-empty", ""}, {"x-long", std::string(5000, 'a')}};
    CHECK(round_trip(encoder, decoder, odd) == odd);
    CHECK(round_trip(encoder, decoder, {}) == Fields{});
}

TEST_CASE("HPACK encoder: a repeated block is shorter, the dynamic table at work", "[hpack]") {
    HpackEncoder encoder;
    auto first = encoder.encode(extended_connect);
    auto second = encoder.encode(extended_connect);
    CHECK(second.size() < first.size());
}

TEST_CASE("send_h2_headers: one HEADERS frame, END_HEADERS, END_STREAM on request", "[steps]") {
    HpackEncoder encoder;
    HpackDecoder decoder;
    H2StepSpec spec;
    spec.stream = 3;
    spec.fields = extended_connect;
    CHECK(is_sending(step(Step::Kind::send_h2_headers)));
    auto decoded = decode_frame(step_bytes(step(Step::Kind::send_h2_headers, spec), encoder));
    REQUIRE(decoded.kind == FrameDecode::Kind::frame);
    CHECK(decoded.frame.type == type::headers);
    CHECK(decoded.frame.flags == flag::end_headers);
    CHECK(decoded.frame.stream == 3);
    std::string error;
    CHECK(decoder.decode(decoded.frame.payload, error) == extended_connect);

    spec.end_stream = true;
    auto ended = decode_frame(step_bytes(step(Step::Kind::send_h2_headers, spec), encoder));
    CHECK(ended.frame.flags == (flag::end_headers | flag::end_stream));
}

TEST_CASE("send_h2_ws_frame: a masked WebSocket frame in a DATA frame", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.ws.opcode = 9;
    spec.ws.payload = "xc-ping";
    auto decoded = decode_frame(step_bytes(step(Step::Kind::send_h2_ws_frame, spec)));
    REQUIRE(decoded.kind == FrameDecode::Kind::frame);
    CHECK(decoded.frame.type == type::data);
    CHECK(decoded.frame.stream == 1);
    auto inner = ws::decode_frame(decoded.frame.payload);
    REQUIRE(inner.kind == ws::FrameDecode::Kind::frame);
    CHECK(inner.frame.masked);
    CHECK(inner.frame.opcode == 9);
    CHECK(inner.frame.payload == "xc-ping");
}

TEST_CASE("expect_h2_ws_frame: a frame split over DATA frames, on its stream only", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.ws_opcode = 10;
    spec.ws_payload = "xc-ping";
    Expectation pong(step(Step::Kind::expect_h2_ws_frame, spec));
    std::string wire = server_frame(10, "xc-ping");
    CHECK_FALSE(pong.on_frame(data(3, wire), nullptr, false).done); // another stream
    CHECK_FALSE(pong.on_frame(data(1, wire.substr(0, 3)), nullptr, false).done);
    auto held = pong.on_frame(data(1, wire.substr(3)), nullptr, false);
    CHECK(held.done);
    CHECK(held.failure.empty());
}

TEST_CASE("expect_h2_ws_frame failures", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.ws_opcode = 10;
    auto fails = [&](const H2Frame& f) {
        Expectation e(step(Step::Kind::expect_h2_ws_frame, spec));
        auto p = e.on_frame(f, nullptr, false);
        return p.done && !p.failure.empty();
    };
    CHECK(fails(data(1, server_frame(8, std::string("\x03\xe8", 2)))));   // a Close instead
    CHECK(fails(data(1, "", flag::end_stream)));                          // the stream ended
    CHECK(fails(decode_frame(rst_stream_frame(1, error::cancel)).frame)); // reset
    CHECK(fails(decode_frame(goaway_frame(1, error::no_error)).frame));   // connection over
    CHECK(fails(data(1, std::string("\x8a\x7f\xff\xff\xff\xff\xff\xff\xff\xff", 10)))); // bad
}

TEST_CASE("expect_h2_response head_only: the 2xx to a CONNECT leaves its stream open", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.head_only = true;
    Expectation e(step(Step::Kind::expect_h2_response, spec));
    H2Frame headers{type::headers, flag::end_headers, 1, ""};
    auto block = response(1, {{":status", "200"}});
    auto p = e.on_frame(headers, &block, false);
    CHECK(p.done);
    CHECK(p.failure.empty());
    CHECK(e.status() == 200);
}

TEST_CASE("expect_h2_response: a 101 is a final answer in HTTP/2, not an interim one", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.head_only = true;
    Expectation e(step(Step::Kind::expect_h2_response, spec));
    H2Frame headers{type::headers, flag::end_headers, 1, ""};
    auto block = response(1, {{":status", "101"}});
    CHECK(e.on_frame(headers, &block, false).done);
    CHECK(e.status() == 101);
}

TEST_CASE("the loader reads connect, h2 steps and the HTTP/2 predicates", "[steps]") {
    std::string file = R"({"family": "websocket-h2", "title": "t", "cases": [{
      "id": "xc.t.all", "title": "t", "requirement": "XC-WS-ACCEPT-2XX", "refs": ["RFC8441 5"],
      "level": "MUST", "needs": ["h2-over-tls"], "connect": {"alpn": ["h2", "http/1.1"]},
      "h2": [
        {"h2_preface": {}},
        {"send_h2_headers": {"stream": 1, "fields": [[":method", "CONNECT"], [":path", "{ws_path}"]]}},
        {"expect_h2_response": {"stream": 1, "head_only": true}},
        {"send_h2_ws_frame": {"stream": 1, "frame": {"opcode": "ping", "payload": "p"}}},
        {"expect_h2_ws_frame": {"stream": 1, "opcode": "pong", "ws_payload": "p"}}
      ],
      "outcomes": [{"verdict": "pass", "when": {"alpn": "h2", "h2_status": "2xx",
        "h2_reset": ["PROTOCOL_ERROR", "CANCEL"], "h2_header": {"content-length": {"present": false}},
        "h2_settings": {"8": 1, "3": [100, 200]}, "tls_refused": false}},
        {"verdict": "warn", "when": {"h2_reset": true, "h2_goaway": "PROTOCOL_ERROR"}}],
      "otherwise": {"verdict": "fail", "why": "no"}}]})";
    auto cases = load_case_file(file, "websocket-h2.json", SCHEMA_PATH);
    REQUIRE(cases.size() == 1);
    const Case& c = cases[0];
    REQUIRE(c.connect);
    CHECK(c.connect->alpn == std::vector<std::string>{"h2", "http/1.1"});
    REQUIRE(c.h2.size() == 5);
    CHECK(c.h2[1].kind == Step::Kind::send_h2_headers);
    CHECK(c.h2[1].h2.fields == Fields{{":method", "CONNECT"}, {":path", "{ws_path}"}});
    CHECK(c.h2[2].h2.head_only);
    CHECK(c.h2[3].h2.ws.opcode == 9);
    CHECK(c.h2[3].h2.ws.payload == "p");
    CHECK(c.h2[4].h2.ws_opcode == 10);
    CHECK(c.h2[4].h2.ws_payload == "p");
    const Predicate& p = c.outcomes[0].when;
    CHECK(p.tls.alpn == "h2");
    CHECK(p.h2.status == std::vector<std::string>{"2xx"});
    CHECK(p.h2.reset == std::vector<std::uint32_t>{error::protocol_error, error::cancel});
    CHECK(p.h2.headers.count("content-length") == 1);
    CHECK(p.h2.settings.at(8) == std::vector<std::uint32_t>{1});
    CHECK(p.h2.settings.at(3) == std::vector<std::uint32_t>{100, 200});
    CHECK(p.tls.refused == false);
    CHECK(c.outcomes[1].when.h2.reset == std::vector<std::uint32_t>{}); // true: any code
    CHECK(c.outcomes[1].when.h2.goaway == std::vector<std::uint32_t>{error::protocol_error});
    CHECK_FALSE(p.h2.goaway);
}

TEST_CASE("the schema: h2 needs connect, a case needs send or h2", "[steps]") {
    auto with = [](const std::string& members) {
        return R"({"family": "websocket-h2", "title": "t", "cases": [{
          "id": "xc.t.bad", "title": "t", "requirement": "XC-WS-ACCEPT-2XX", "refs": ["RFC8441 5"],
          "level": "MUST", "outcomes": [{"verdict": "pass", "when": {"h2_status": 200}}],
          "otherwise": {"verdict": "fail", "why": "no"})" +
               members + "}]}";
    };
    CHECK_THROWS_AS(load_case_file(with(""), "x.json", SCHEMA_PATH), CatalogueError);
    CHECK_THROWS_AS(load_case_file(with(R"(, "h2": [{"h2_preface": {}}])"), "x.json", SCHEMA_PATH),
                    CatalogueError);
    CHECK_THROWS_AS(
        load_case_file(with(R"(, "connect": {"alpn": [""]}, "h2": [{"h2_preface": {}}])"), "x.json",
                       SCHEMA_PATH),
        CatalogueError);
    CHECK_THROWS_AS(
        load_case_file(with(R"(, "connect": {}, "h2": [{"send_h2_headers": {"stream": 1}}])"),
                       "x.json", SCHEMA_PATH),
        CatalogueError);
    CHECK_NOTHROW(load_case_file(with(R"(, "connect": {}, "h2": [{"h2_preface": {}}])"), "x.json",
                                 SCHEMA_PATH));
}

TEST_CASE("HTTP/2 predicates: status, reset, fields, settings, ALPN", "[outcome]") {
    Observation seen;
    seen.alpn = "h2";
    seen.h2_frames = {settings({{setting::max_concurrent_streams, 100}}),
                      decode_frame(rst_stream_frame(3, error::protocol_error)).frame};
    seen.h2_headers = {response(1, {{":status", "100"}}),
                       response(1, {{":status", "200"}, {"sec-websocket-protocol", "chat"}})};
    Predicate p;
    p.tls.alpn = "h2";
    p.h2.status = {"2xx"};
    p.h2.headers["sec-websocket-protocol"].equals = "chat";
    p.h2.reset = std::vector<std::uint32_t>{error::protocol_error};
    p.h2.settings[setting::enable_connect_protocol] = {0}; // absent: its initial value, 0
    CHECK(holds(p, seen, no_vars));

    Predicate other = p;
    other.h2.settings[setting::enable_connect_protocol] = {1};
    CHECK_FALSE(holds(other, seen, no_vars));
    other = p;
    other.h2.reset = std::vector<std::uint32_t>{error::cancel};
    CHECK_FALSE(holds(other, seen, no_vars));
    other = p;
    other.tls.alpn = "";
    CHECK_FALSE(holds(other, seen, no_vars));
    other = p;
    other.h2.status = {"101"};
    CHECK_FALSE(holds(other, seen, no_vars));
    other = Predicate{};
    other.tls.refused = true;
    CHECK_FALSE(holds(other, seen, no_vars));
    seen.tls_refused = "alert no application protocol";
    CHECK(holds(other, seen, no_vars));
}

TEST_CASE("HTTP/2 predicates: a GOAWAY, with one of the codes or any", "[outcome]") {
    Observation seen;
    seen.h2_frames = {decode_frame(rst_stream_frame(1, error::cancel)).frame};
    Predicate any;
    any.h2.goaway = std::vector<std::uint32_t>{};
    Predicate protocol_error;
    protocol_error.h2.goaway = std::vector<std::uint32_t>{error::protocol_error};
    CHECK_FALSE(holds(any, seen, no_vars)); // a reset is no GOAWAY

    seen.h2_frames.push_back(decode_frame(goaway_frame(1, error::no_error)).frame);
    CHECK(holds(any, seen, no_vars));
    CHECK_FALSE(holds(protocol_error, seen, no_vars));

    seen.h2_frames.push_back(decode_frame(goaway_frame(1, error::protocol_error)).frame);
    CHECK(holds(protocol_error, seen, no_vars));
}

TEST_CASE("XC-SETTING-VALUE: 0 or 1, and never from 1 back to 0", "[rules]") {
    Observation seen;
    seen.h2_frames = {settings({{setting::enable_connect_protocol, 1}}),
                      H2Frame{type::settings, flag::ack, 0, ""}};
    CHECK_FALSE(connect_protocol_setting_rule(seen));
    seen.h2_frames.push_back(settings({{setting::enable_connect_protocol, 0}}));
    auto turned_off = connect_protocol_setting_rule(seen);
    REQUIRE(turned_off);
    CHECK(turned_off->first == Verdict::fail);
    seen.h2_frames = {settings({{setting::enable_connect_protocol, 2}})};
    CHECK(connect_protocol_setting_rule(seen));
    seen.h2_frames = {settings({{setting::enable_connect_protocol, 0}}),
                      settings({{setting::enable_connect_protocol, 1}})};
    CHECK_FALSE(connect_protocol_setting_rule(seen)); // 0 -> 1 is allowed
}

TEST_CASE("XC-2XX-NO-LENGTH: only the 2xx to a CONNECT the runner sent", "[rules]") {
    Observation seen;
    seen.h2_sent = {H2HeaderBlock{1, type::headers, extended_connect, ""},
                    H2HeaderBlock{3, type::headers, {{":method", "GET"}}, ""}};
    seen.h2_headers = {response(1, {{":status", "200"}})};
    CHECK_FALSE(connect_2xx_length_rule(seen));
    seen.h2_headers = {response(3, {{":status", "200"}, {"content-length", "5"}}),
                       response(1, {{":status", "400"}, {"content-length", "5"}})};
    CHECK_FALSE(connect_2xx_length_rule(seen)); // a GET's length, a refusal's length
    seen.h2_headers.push_back(response(1, {{":status", "200"}, {"content-length", "0"}}));
    auto fired = connect_2xx_length_rule(seen);
    REQUIRE(fired);
    CHECK_THAT(fired->second, Catch::Matchers::Contains("content-length: 0"));
}

TEST_CASE("the XC rules are in the rule table under their requirements", "[rules]") {
    Observation seen;
    seen.h2_frames = {settings({{setting::enable_connect_protocol, 1}}),
                      settings({{setting::enable_connect_protocol, 0}})};
    seen.h2_sent = {H2HeaderBlock{1, type::headers, extended_connect, ""}};
    seen.h2_headers = {response(1, {{":status", "200"}, {"content-length", "0"}})};
    std::map<std::string, std::string> fired;
    for (const auto& f : apply_rules(seen))
        fired[f.rule] = f.requirement;
    CHECK(fired["rule.xc-setting-value"] == "XC-SETTING-VALUE");
    CHECK(fired["rule.xc-2xx-no-length"] == "XC-2XX-NO-LENGTH");
}

TEST_CASE("what reached a case's listener: the marker, a handshake, or other bytes", "[listener]") {
    const std::string marker = "UPGRADESPEC-TUNNEL-MARKER";
    CHECK(classify_listener_bytes("xx" + marker, marker) == "raw");
    CHECK(classify_listener_bytes("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\n\r\n", marker) ==
          "handshake");
    CHECK(classify_listener_bytes("\x16\x03\x01", marker) == "other");
    CHECK(classify_listener_bytes("", marker) == "other");
    CHECK_FALSE(listener_bytes_complete("UPGRADESPEC-TUN", marker));
    CHECK(listener_bytes_complete(marker, marker));
    CHECK(listener_bytes_complete("GET / HTTP/1.1\r\n\r\n", marker));
    CHECK(listener_authority("127.0.0.1", false, 4433) == "127.0.0.1:4433");
    CHECK(listener_authority("::1", true, 4433) == "[::1]:4433");
}

TEST_CASE("h2 request fields get their placeholders filled in", "[listener]") {
    Case c;
    c.h2.push_back(step(Step::Kind::send_h2_headers));
    c.h2[0].h2.fields = {{":authority", "{listener_authority}"}, {":path", "{ws_path}"}};
    Case expanded =
        with_h2_fields_expanded(c, {{"listener_authority", "127.0.0.1:9"}, {"ws_path", "/ws"}});
    CHECK(expanded.h2[0].h2.fields == Fields{{":authority", "127.0.0.1:9"}, {":path", "/ws"}});
}

TEST_CASE("the loader reads connect.listener, check_listener and the listener predicate",
          "[listener]") {
    std::string file = R"({"family": "websocket-h2", "title": "t", "cases": [{
      "id": "xc.t.tunnel", "title": "t", "requirement": "XC-NO-TCP-TUNNEL", "refs": ["RFC8441 4"],
      "level": "MUST", "connect": {"alpn": ["h2"], "listener": true},
      "h2": [{"check_listener": {"payload": "MARKER-0123"}}],
      "outcomes": [{"verdict": "fail", "when": {"listener": "raw"}}],
      "otherwise": {"verdict": "pass", "why": "none"}}]})";
    auto cases = load_case_file(file, "websocket-h2.json", SCHEMA_PATH);
    REQUIRE(cases.size() == 1);
    CHECK(cases[0].connect->listener);
    CHECK(cases[0].h2[0].kind == Step::Kind::check_listener);
    CHECK(cases[0].h2[0].h2.payload == "MARKER-0123");
    CHECK(cases[0].outcomes[0].when.h2.listener == "raw");
    Observation seen;
    seen.listener_saw = "raw";
    CHECK(holds(cases[0].outcomes[0].when, seen, no_vars));
    seen.listener_saw = "none";
    CHECK_FALSE(holds(cases[0].outcomes[0].when, seen, no_vars));
}
