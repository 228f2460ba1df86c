#include "catalogue/loader.hpp"
#include "encoding/hex.hpp"
#include "h2/frame.hpp"
#include "h2/steps.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace upgradespec::h2;

namespace {

Step step(Step::Kind kind, H2StepSpec spec = {}) {
    Step s{};
    s.kind = kind;
    s.h2 = std::move(spec);
    return s;
}

H2Frame frame(int t, int flags, std::uint32_t stream, std::string payload = "") {
    return H2Frame{t, flags, stream, std::move(payload)};
}

H2HeaderBlock block(std::uint32_t stream, Fields fields, int frame_type = type::headers) {
    return H2HeaderBlock{stream, frame_type, std::move(fields), ""};
}

const H2Frame server_settings = frame(type::settings, 0, 0);
const H2Frame settings_ack = frame(type::settings, flag::ack, 0);
const H2Frame ping_ack = frame(type::ping, flag::ack, 0, "12345678");

H2Frame goaway(std::uint32_t code) {
    auto wire = goaway_frame(1, code);
    return decode_frame(wire).frame;
}

H2Frame reset(std::uint32_t stream, std::uint32_t code) {
    return decode_frame(rst_stream_frame(stream, code)).frame;
}

} // namespace

TEST_CASE("sending steps: the preface, a frame, raw bytes", "[steps]") {
    CHECK(step_bytes(step(Step::Kind::h2_preface)) ==
          std::string(client_preface) + hex_decode("000006 04 00 00000000 0002 00000000"));
    H2StepSpec data;
    data.type = type::data;
    data.flags = flag::end_stream;
    data.stream = 1;
    data.payload = "late";
    CHECK(step_bytes(step(Step::Kind::send_h2_frame, data)) ==
          hex_decode("000004 00 01 00000001") + "late");
    H2StepSpec raw;
    raw.payload = "GET / HTTP/1.1\r\n\r\n";
    CHECK(step_bytes(step(Step::Kind::send_h2_raw, raw)) == raw.payload);
    CHECK(is_sending(step(Step::Kind::send_h2_raw)));
    CHECK_FALSE(is_sending(step(Step::Kind::expect_h2_goaway)));
}

TEST_CASE("expect_h2_settings_first judges the first frame only", "[steps]") {
    auto s = step(Step::Kind::expect_h2_settings_first);
    Expectation good(s);
    CHECK(good.looks_back());
    CHECK(good.on_frame(server_settings, nullptr, true).done);
    CHECK(good.on_frame(server_settings, nullptr, true).failure.empty());
    Expectation bad(s);
    auto p = bad.on_frame(frame(type::window_update, 0, 0, hex_decode("0000ffff")), nullptr, true);
    CHECK(p.done);
    CHECK_THAT(p.failure, Catch::Contains("WINDOW_UPDATE"));
    CHECK(Expectation(s).on_frame(settings_ack, nullptr, true).failure != "");
    CHECK_THAT(Expectation(s).on_end(true, "the server closed the connection"),
               Catch::Contains("SETTINGS"));
}

TEST_CASE("expect_h2_settings_ack waits for the ACK; a GOAWAY fails it", "[steps]") {
    auto s = step(Step::Kind::expect_h2_settings_ack);
    Expectation e(s);
    CHECK_FALSE(e.on_frame(server_settings, nullptr, true).done);
    auto held = e.on_frame(settings_ack, nullptr, false);
    CHECK(held.done);
    CHECK(held.failure.empty());
    auto p = Expectation(s).on_frame(goaway(error::protocol_error), nullptr, false);
    CHECK_THAT(p.failure, Catch::Contains("PROTOCOL_ERROR"));
}

TEST_CASE("expect_h2_response: HEADERS with :status, then END_STREAM", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.status = 200;
    auto s = step(Step::Kind::expect_h2_response, spec);
    Expectation e(s);
    auto headers = frame(type::headers, flag::end_headers, 1, "x");
    auto ok = block(1, {{":status", "200"}, {"content-length", "3"}});
    CHECK_FALSE(e.on_frame(headers, &ok, false).done);
    CHECK(e.status() == 200);
    CHECK_FALSE(e.on_frame(frame(type::data, 0, 1, "a"), nullptr, false).done);
    auto end = e.on_frame(frame(type::data, flag::end_stream, 1, "bc"), nullptr, false);
    CHECK(end.done);
    CHECK(end.failure.empty());

    // END_STREAM on the HEADERS frame ends it at once; a 1xx is skipped.
    Expectation quick(step(Step::Kind::expect_h2_response));
    auto interim = block(1, {{":status", "103"}});
    CHECK_FALSE(quick.on_frame(headers, &interim, false).done);
    auto whole = frame(type::headers, flag::end_headers | flag::end_stream, 1, "x");
    auto final_block = block(1, {{":status", "404"}});
    CHECK(quick.on_frame(whole, &final_block, false).failure.empty());
    CHECK(quick.status() == 404);
}

TEST_CASE("expect_h2_response failures", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.status = 200;
    auto s = step(Step::Kind::expect_h2_response, spec);
    auto headers3 = frame(type::headers, flag::end_headers | flag::end_stream, 3, "x");
    auto on3 = block(3, {{":status", "200"}});
    CHECK_THAT(Expectation(s).on_frame(headers3, &on3, false).failure,
               Catch::Contains("stream 3, not on stream 1"));
    auto headers1 = frame(type::headers, flag::end_headers | flag::end_stream, 1, "x");
    auto not_found = block(1, {{":status", "404"}});
    CHECK_THAT(Expectation(s).on_frame(headers1, &not_found, false).failure,
               Catch::Contains("404, not 200"));
    auto no_status = block(1, {{"content-length", "0"}});
    CHECK_THAT(Expectation(s).on_frame(headers1, &no_status, false).failure,
               Catch::Contains(":status"));
    H2HeaderBlock broken{1, type::headers, {}, "not valid HPACK"};
    CHECK_THAT(Expectation(s).on_frame(headers1, &broken, false).failure,
               Catch::Contains("not valid HPACK"));
    CHECK_THAT(Expectation(s).on_frame(goaway(error::protocol_error), nullptr, false).failure,
               Catch::Contains("GOAWAY"));
    CHECK_THAT(Expectation(s).on_frame(reset(1, error::refused_stream), nullptr, false).failure,
               Catch::Contains("REFUSED_STREAM"));
    // Without a stream, any stream's response holds; pushed blocks are not the response.
    Expectation any(step(Step::Kind::expect_h2_response));
    auto promise = block(1, {{":method", "GET"}}, type::push_promise);
    CHECK_FALSE(
        any.on_frame(frame(type::push_promise, flag::end_headers, 1), &promise, false).done);
    CHECK(any.on_frame(headers3, &on3, false).failure.empty());
}

TEST_CASE("expect_h2_goaway: the error codes, and a close", "[steps]") {
    H2StepSpec spec;
    spec.errors = {error::protocol_error, error::frame_size_error};
    auto s = step(Step::Kind::expect_h2_goaway, spec);
    CHECK(Expectation(s).on_frame(goaway(error::frame_size_error), nullptr, false).failure == "");
    CHECK_THAT(Expectation(s).on_frame(goaway(error::no_error), nullptr, false).failure,
               Catch::Contains("expected PROTOCOL_ERROR or FRAME_SIZE_ERROR"));
    CHECK_FALSE(Expectation(s).on_frame(server_settings, nullptr, true).done);
    CHECK(Expectation(s).on_end(true, "the server closed the connection") == "");
    CHECK_THAT(Expectation(s).on_end(false, "nothing more from the server within 1000 ms"),
               Catch::Contains("within 1000 ms"));
    spec.close_ok = false;
    CHECK_FALSE(Expectation(step(Step::Kind::expect_h2_goaway, spec))
                    .on_end(true, "the server closed the connection")
                    .empty());
}

TEST_CASE("expect_h2_reset: RST_STREAM, a GOAWAY, or a PING ACK that shows acceptance", "[steps]") {
    H2StepSpec spec;
    spec.stream = 1;
    spec.errors = {error::stream_closed};
    auto s = step(Step::Kind::expect_h2_reset, spec);
    CHECK(Expectation(s).on_frame(reset(1, error::stream_closed), nullptr, false).failure == "");
    CHECK_THAT(Expectation(s).on_frame(reset(1, error::cancel), nullptr, false).failure,
               Catch::Contains("CANCEL"));
    CHECK_FALSE(Expectation(s).on_frame(reset(3, error::cancel), nullptr, false).done);
    CHECK(Expectation(s).on_frame(goaway(error::stream_closed), nullptr, false).failure == "");
    CHECK_THAT(Expectation(s).on_frame(ping_ack, nullptr, false).failure,
               Catch::Contains("accepted the frame"));
    CHECK(Expectation(s).on_end(true, "closed") == "");
}

TEST_CASE("the loader reads every h2 step kind", "[steps]") {
    std::string file = R"({"family": "h2c", "title": "t", "cases": [{
      "id": "h2c.t.steps", "title": "t", "requirement": "H2C-OPTIONAL", "refs": ["RFC7540 3.2"],
      "level": "MAY", "send": {"raw": "GET / HTTP/1.1\r\n\r\n"},
      "outcomes": [{"verdict": "pass", "when": {"status": 101}}],
      "otherwise": {"verdict": "skip", "why": "no"},
      "after_101": [
        {"h2_preface": {}},
        {"send_h2_frame": {"type": "data", "flags": 1, "stream": 1, "payload": "late"}},
        {"send_h2_frame": {"type": 6, "payload_hex": "00 01 02 03 04 05 06 07"}},
        {"send_h2_raw": {"payload_hex": "47 45 54"}},
        {"expect_h2_settings_first": {}},
        {"expect_h2_settings_ack": {}},
        {"expect_h2_response": {"stream": 1, "status": 200}},
        {"expect_h2_goaway": {"error": ["PROTOCOL_ERROR", "FRAME_SIZE_ERROR"], "close_ok": false}},
        {"expect_h2_reset": {"stream": 1, "error": "STREAM_CLOSED"}, "why": "stream 1 is closed"}
      ]}]})";
    auto cases = load_case_file(file, "h2c.json", SCHEMA_PATH);
    REQUIRE(cases.size() == 1);
    const auto& steps = cases[0].after_101;
    REQUIRE(steps.size() == 9);
    CHECK(steps[0].kind == Step::Kind::h2_preface);
    CHECK(steps[1].kind == Step::Kind::send_h2_frame);
    CHECK(steps[1].h2.type == type::data);
    CHECK(steps[1].h2.flags == 1);
    CHECK(steps[1].h2.stream == 1);
    CHECK(steps[1].h2.payload == "late");
    CHECK(steps[2].h2.type == type::ping);
    CHECK(steps[2].h2.payload.size() == 8);
    CHECK(steps[3].h2.payload == "GET");
    CHECK(steps[4].kind == Step::Kind::expect_h2_settings_first);
    CHECK(steps[5].kind == Step::Kind::expect_h2_settings_ack);
    CHECK(steps[6].h2.status == 200);
    CHECK(steps[7].h2.errors ==
          std::vector<std::uint32_t>{error::protocol_error, error::frame_size_error});
    CHECK_FALSE(steps[7].h2.close_ok);
    CHECK(steps[8].h2.errors == std::vector<std::uint32_t>{error::stream_closed});
    CHECK(steps[8].why == "stream 1 is closed");
}

TEST_CASE("the schema refuses malformed h2 steps", "[steps]") {
    auto with_step = [](const std::string& s) {
        return R"({"family": "h2c", "title": "t", "cases": [{
          "id": "h2c.t.bad", "title": "t", "requirement": "H2C-OPTIONAL", "refs": ["RFC7540 3.2"],
          "level": "MAY", "send": {"raw": "GET / HTTP/1.1\r\n\r\n"},
          "outcomes": [{"verdict": "pass", "when": {"status": 101}}],
          "otherwise": {"verdict": "skip", "why": "no"}, "after_101": [)" +
               s + "]}]}";
    };
    for (std::string bad :
         {R"({"h2_preface": {"x": 1}})", R"({"send_h2_frame": {"stream": 1}})",
          R"({"send_h2_frame": {"type": "altsvc"}})", R"({"expect_h2_goaway": {"error": "NOPE"}})",
          R"({"expect_h2_reset": {"error": "CANCEL"}})", R"({"send_h2_raw": {}})",
          R"({"h2_preface": {}, "expect_h2_settings_ack": {}})"}) {
        INFO(bad);
        CHECK_THROWS_AS(load_case_file(with_step(bad), "h2c.json", SCHEMA_PATH), CatalogueError);
    }
}
