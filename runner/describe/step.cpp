#include "describe/step.hpp"

#include "describe/printable.hpp"
#include "model/protocol_words.hpp"

namespace upgradespec {

namespace {

using Kind = Step::Kind;

std::string quoted(const std::optional<std::string>& payload) {
    return payload ? " \"" + printable_line(*payload) + "\"" : "";
}

std::string send_frame(const FrameSpec& f) {
    std::string text =
        "send " + std::string(f.mask ? "a masked " : "an UNMASKED ") + ws::opcode_name(f.opcode);
    if (f.close_code) text += " " + std::to_string(*f.close_code);
    if (!f.payload.empty()) text += " \"" + printable_line(f.payload) + "\"";
    if (!f.fin) text += " (FIN=0)";
    if (f.rsv1 || f.rsv2 || f.rsv3) text += " (RSV bits set)";
    return text;
}

// " with PROTOCOL_ERROR or CANCEL": the error codes an expect_h2_goaway or _reset accepts.
std::string accepted_errors(const H2StepSpec& h2) {
    std::string names;
    for (auto e : h2.errors)
        names += (names.empty() ? " with " : " or ") + h2::error_name(e);
    return names;
}

std::string send_h2_headers(const H2StepSpec& h2) {
    std::string fields;
    for (const auto& [name, value] : h2.fields)
        fields += (fields.empty() ? "" : ", ") + name + ": " + value;
    return "send HEADERS on stream " + std::to_string(h2.stream) +
           (h2.end_stream ? " END_STREAM" : "") + " (" + fields + ")";
}

std::string describe_kind(const Step& step);

} // namespace

std::string describe_step(const Step& step) {
    return (step.leg == Leg::backend ? "at the backend: " : "") + describe_kind(step);
}

namespace {

std::string describe_kind(const Step& step) {
    const H2StepSpec& h2 = step.h2;
    switch (step.kind) {
    case Kind::send_frame:
        return send_frame(step.frame);
    case Kind::expect_frame:
        return "expect a " + ws::opcode_name(step.opcode) + quoted(step.payload);
    case Kind::expect_message:
        return "expect a " + ws::opcode_name(step.opcode) + " message" + quoted(step.payload) +
               " (reassembled, inflated if compressed)";
    case Kind::expect_close:
        return step.close_frame_required
                   ? "expect a Close frame, then the server closes TCP"
                   : "expect the server to close TCP (a Close frame first is optional)";
    case Kind::expect_open:
        return "expect the connection to stay open and quiet for " + std::to_string(step.quiet_ms) +
               " ms" + (step.frames_ok ? " (whole WebSocket frames allowed)" : "");
    case Kind::h2_preface:
        return "send the HTTP/2 client preface and SETTINGS (ENABLE_PUSH=0)";
    case Kind::send_h2_frame:
        return "send " + h2::describe(H2Frame{h2.type, h2.flags, h2.stream, h2.payload});
    case Kind::send_h2_raw:
        return "send " + std::to_string(h2.payload.size()) + " raw bytes instead of HTTP/2";
    case Kind::expect_h2_settings_first:
    case Kind::expect_h2_settings_ack:
    case Kind::expect_h2_ws_frame:
        return "expect " + h2::awaited(step);
    case Kind::expect_h2_response:
        return std::string(h2.head_only ? "expect a response head" : "expect a complete response") +
               (h2.stream ? " on stream " + std::to_string(h2.stream) : std::string()) +
               (h2.status ? " with :status " + std::to_string(*h2.status) : std::string());
    case Kind::expect_h2_goaway:
        return "expect a GOAWAY" + accepted_errors(h2) + (h2.close_ok ? ", or a close" : "");
    case Kind::expect_h2_reset:
        return "expect RST_STREAM on stream " + std::to_string(h2.stream) + accepted_errors(h2) +
               ", or a GOAWAY" + (h2.close_ok ? " or a close" : "") +
               ", before the answer to a later PING";
    case Kind::send_h2_headers:
        return send_h2_headers(h2);
    case Kind::send_h2_ws_frame:
        return "send a WebSocket frame with opcode " + std::to_string(h2.ws.opcode) +
               " in DATA on stream " + std::to_string(h2.stream);
    case Kind::check_listener:
        return "see what reached the case's own listener: nothing, or \"" + h2.payload +
               "\" relayed raw (a TCP tunnel), or an HTTP handshake";
    case Kind::start_tls:
        return step.tls_start_only ? "start TLS on the connection (a first TLS record is enough)"
                                   : "complete a TLS handshake on the same connection";
    case Kind::expect_response_in_tls:
        return "expect the response to the request inside TLS";
    case Kind::send_raw:
        return "send \"" + printable_line(step.bytes) + "\"";
    case Kind::expect_tls_close:
        return "expect the server to close the connection (TLS alerts at most)";
    case Kind::close_connection:
        return "close the connection";
    }
    return "";
}

} // namespace

} // namespace upgradespec
