#include "h2/steps.hpp"

#include "h2/frame.hpp"
#include "h2/hpack.hpp"
#include "ws/frame.hpp"

#include <charconv>

namespace upgradespec::h2 {

namespace {

using Kind = Step::Kind;

Progress held() {
    return {true, ""};
}

Progress failed(std::string why) {
    return {true, std::move(why)};
}

Progress reading() {
    return {false, ""};
}

bool is(const H2Frame& f, int frame_type) {
    return f.type == frame_type;
}

std::optional<int> status_of(const H2HeaderBlock& block) {
    for (const auto& [name, value] : block.fields) {
        if (name != ":status") continue;
        int status = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), status);
        if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
        return status;
    }
    return std::nullopt;
}

} // namespace

bool is_sending(const Step& step) {
    return step.kind == Kind::h2_preface || step.kind == Kind::send_h2_frame ||
           step.kind == Kind::send_h2_raw || step.kind == Kind::send_h2_headers ||
           step.kind == Kind::send_h2_ws_frame;
}

std::string step_bytes(const Step& step, HpackEncoder& encoder) {
    if (step.kind != Kind::send_h2_headers) return step_bytes(step);
    int flags = flag::end_headers | (step.h2.end_stream ? flag::end_stream : 0);
    return encode_frame(type::headers, flags, step.h2.stream, encoder.encode(step.h2.fields));
}

std::string step_bytes(const Step& step) {
    switch (step.kind) {
    case Kind::h2_preface:
        return std::string(client_preface) + settings_frame({{setting::enable_push, 0}});
    case Kind::send_h2_frame:
        return encode_frame(step.h2.type, step.h2.flags, step.h2.stream, step.h2.payload);
    case Kind::send_h2_raw:
        return step.h2.payload;
    case Kind::send_h2_ws_frame: // a client's frame, masked (RFC 8441 5 keeps RFC 6455 framing)
        return encode_frame(type::data, 0, step.h2.stream, ws::encode_frame(step.h2.ws));
    case Kind::send_h2_headers: // needs the connection's HPACK context: the overload above
    case Kind::send_frame:
    case Kind::expect_frame:
    case Kind::expect_message:
    case Kind::expect_close:
    case Kind::expect_open:
    case Kind::expect_h2_settings_first:
    case Kind::expect_h2_settings_ack:
    case Kind::expect_h2_response:
    case Kind::expect_h2_goaway:
    case Kind::expect_h2_reset:
    case Kind::expect_h2_ws_frame:
    case Kind::check_listener:
    case Kind::start_tls:
    case Kind::expect_response_in_tls:
    case Kind::send_raw:
    case Kind::expect_tls_close:
        break;
    }
    return "";
}

bool Expectation::looks_back() const {
    const auto wait = h2_wait(step_.kind);
    return wait == H2Wait::settings_first || wait == H2Wait::settings_ack;
}

Progress Expectation::on_frame(const H2Frame& frame, const H2HeaderBlock* block, bool first) {
    const auto wait = h2_wait(step_.kind);
    if (!wait) return failed("not an expecting h2 step");
    switch (*wait) {
    case H2Wait::settings_first:
        return settings_first(frame, first);
    case H2Wait::settings_ack:
        return settings_ack(frame);
    case H2Wait::response:
        return response(frame, block);
    case H2Wait::goaway:
        return goaway(frame);
    case H2Wait::reset:
        return reset(frame);
    case H2Wait::ws_frame:
        return ws_frame(frame);
    }
    return failed("not an expecting h2 step");
}

std::string Expectation::on_end(bool closed, const std::string& why) const {
    const auto wait = h2_wait(step_.kind);
    bool ends_connection = wait == H2Wait::goaway || wait == H2Wait::reset;
    if (ends_connection && closed && step_.h2.close_ok) return "";
    return "expected " + awaited(step_) + ", but " + why;
}

// RFC 9113 3.4: the server's preface is a SETTINGS frame, its first frame.
Progress Expectation::settings_first(const H2Frame& f, bool first) const {
    if (!first) return reading();
    if (is(f, type::settings) && f.stream == 0 && !(f.flags & flag::ack)) return held();
    return failed("the server's first HTTP/2 frame was " + describe(f) + ", not its SETTINGS");
}

Progress Expectation::settings_ack(const H2Frame& f) const {
    if (is(f, type::settings) && (f.flags & flag::ack)) return held();
    if (is(f, type::goaway))
        return failed("the server sent " + describe(f) + " instead of acknowledging SETTINGS");
    return reading();
}

Progress Expectation::response(const H2Frame& f, const H2HeaderBlock* block) {
    std::uint32_t stream = response_stream_.value_or(step_.h2.stream ? step_.h2.stream : 1);
    if (is(f, type::goaway))
        return failed("the server sent " + describe(f) + " before the response ended");
    if (is(f, type::rst_stream) && f.stream == stream)
        return failed("the server reset the response's stream: " + describe(f));
    if (is(f, type::headers)) ends_stream_[f.stream] = (f.flags & flag::end_stream) != 0;
    if (block && block->frame_type == type::headers) {
        bool trailers = response_stream_ && block->stream == *response_stream_;
        if (!trailers) return response_headers(f, *block);
        return ends_stream_[block->stream] ? held() : reading();
    }
    bool last_data = is(f, type::data) && f.stream == stream && (f.flags & flag::end_stream);
    return response_stream_ && last_data ? held() : reading();
}

Progress Expectation::response_headers(const H2Frame& f, const H2HeaderBlock& block) {
    if (!block.error.empty())
        return failed("the header block on stream " + std::to_string(block.stream) +
                      " could not be decoded: " + block.error);
    if (step_.h2.stream && block.stream != step_.h2.stream)
        return failed("the response came on stream " + std::to_string(block.stream) +
                      ", not on stream " + std::to_string(step_.h2.stream) + " (" + describe(f) +
                      ")");
    auto status = status_of(block);
    if (!status)
        return failed("a header block on stream " + std::to_string(block.stream) +
                      " without a valid :status");
    // An interim response (RFC 9113 8.1); a 101 is none: HTTP/2 has no 101 (RFC 9113 8.6).
    if (*status / 100 == 1 && *status != 101) return reading();
    status_ = status;
    if (step_.h2.status && *status != *step_.h2.status)
        return failed("the response's :status is " + std::to_string(*status) + ", not " +
                      std::to_string(*step_.h2.status));
    response_stream_ = block.stream;
    if (step_.h2.head_only) return held();
    return ends_stream_[block.stream] ? held() : reading();
}

// RFC 8441 5: after the 2xx the stream's DATA frames carry WebSocket frames.
Progress Expectation::ws_frame(const H2Frame& f) {
    const std::uint32_t stream = step_.h2.stream;
    if (is(f, type::goaway)) return failed("the server sent " + describe(f));
    if (is(f, type::rst_stream) && f.stream == stream)
        return failed("the server reset the WebSocket's stream: " + describe(f));
    if (!is(f, type::data) || f.stream != stream) return reading();
    ws_bytes_ += f.payload;
    for (int frames = 0; frames < 1000; ++frames) {
        ws::FrameDecode decoded = ws::decode_frame(ws_bytes_);
        if (decoded.kind == ws::FrameDecode::Kind::error)
            return failed("the DATA on stream " + std::to_string(stream) +
                          " is not a WebSocket frame: " + decoded.error);
        if (decoded.kind != ws::FrameDecode::Kind::frame) break;
        ws_bytes_.erase(0, decoded.consumed);
        const ReceivedFrame& got = decoded.frame;
        bool payload_ok = !step_.h2.ws_payload || got.payload == *step_.h2.ws_payload;
        if (got.opcode == step_.h2.ws_opcode && payload_ok) return held();
        if (got.opcode == 8)
            return failed("expected " + awaited(step_) + ", but the server sent " +
                          ws::describe(got));
    }
    if (f.flags & flag::end_stream)
        return failed("the server ended stream " + std::to_string(stream) + " before " +
                      awaited(step_));
    return reading();
}

Progress Expectation::goaway(const H2Frame& f) const {
    if (!is(f, type::goaway)) return reading();
    auto g = decode_goaway(f.payload);
    if (!g) return failed("a GOAWAY shorter than 8 bytes");
    if (allowed(g->error_code)) return held();
    return failed("the server sent " + describe(f) + ", expected " + allowed_names());
}

// A PING ACK means the server handled everything sent before that PING: had it refused the
// frame under test, its RST_STREAM or GOAWAY would have come first (RFC 9113 6.7 answers in
// order), so the case sends a PING after that frame to learn this without a deadline.
Progress Expectation::reset(const H2Frame& f) const {
    if (is(f, type::goaway)) return held(); // a connection error covers the stream error
    if (is(f, type::ping) && (f.flags & flag::ack))
        return failed("the server answered a later PING without resetting stream " +
                      std::to_string(step_.h2.stream) + ": it accepted the frame");
    if (!is(f, type::rst_stream) || f.stream != step_.h2.stream) return reading();
    auto code = decode_rst_stream(f.payload);
    if (!code) return failed("a RST_STREAM whose payload is not 4 bytes");
    if (allowed(*code)) return held();
    return failed("the server sent " + describe(f) + ", expected " + allowed_names());
}

bool Expectation::allowed(std::uint32_t code) const {
    if (step_.h2.errors.empty()) return true;
    for (auto e : step_.h2.errors)
        if (e == code) return true;
    return false;
}

std::string Expectation::allowed_names() const {
    std::string names;
    for (auto e : step_.h2.errors)
        names += (names.empty() ? "" : " or ") + error_name(e);
    return names;
}

} // namespace upgradespec::h2
