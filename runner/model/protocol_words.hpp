#pragma once
// The protocols' vocabulary, as plain data and words: RFC 6455 opcodes and RFC 9113 frame
// types, flags, settings and error codes with their names; the payloads of the received frames
// an Observation holds, read; those frames in one line of words; what an HTTP/2 step waits for.
// The codecs word their failures with it, describe/ words the reports with it: one wording.
#include "model/case.hpp"
#include "model/observation.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

// A big-endian number of `bytes` bytes (1 to 4) at `pos` of `data`: frame headers, payloads.
std::uint32_t read_big_endian(std::string_view data, std::size_t pos, int bytes);

} // namespace upgradespec

namespace upgradespec::ws {

// "text", "ping", ... or "opcode 0xB" for the undefined ones.
std::string opcode_name(int opcode);

// A frame in words for reports: "text FIN 'hello'", "ping 8 bytes", "close 1000 'bye'".
std::string describe(const ReceivedFrame& f);

// The status code of a Close frame; nullopt for other frames or a body shorter than 2 bytes.
std::optional<int> close_code(const ReceivedFrame& f);

// "1 byte", "12 bytes", "64 KiB", "1 MiB".
std::string human_size(std::uint64_t n);

} // namespace upgradespec::ws

namespace upgradespec::h2 {

// Frame types (RFC 9113 6).
namespace type {
constexpr int data = 0x0, headers = 0x1, priority = 0x2, rst_stream = 0x3, settings = 0x4,
              push_promise = 0x5, ping = 0x6, goaway = 0x7, window_update = 0x8, continuation = 0x9;
}

// Frame flags (RFC 9113 6); ACK shares its bit with END_STREAM.
namespace flag {
constexpr int end_stream = 0x1, ack = 0x1, end_headers = 0x4, padded = 0x8, priority = 0x20;
}

// Setting identifiers (RFC 9113 6.5.2; RFC 8441 3 for ENABLE_CONNECT_PROTOCOL).
namespace setting {
constexpr std::uint16_t header_table_size = 0x1, enable_push = 0x2, max_concurrent_streams = 0x3,
                        initial_window_size = 0x4, max_frame_size = 0x5, max_header_list_size = 0x6,
                        enable_connect_protocol = 0x8;
}

// Error codes (RFC 9113 7).
namespace error {
constexpr std::uint32_t no_error = 0x0, protocol_error = 0x1, internal_error = 0x2,
                        flow_control_error = 0x3, settings_timeout = 0x4, stream_closed = 0x5,
                        frame_size_error = 0x6, refused_stream = 0x7, cancel = 0x8,
                        compression_error = 0x9, connect_error = 0xa, enhance_your_calm = 0xb,
                        inadequate_security = 0xc, http_1_1_required = 0xd;
}

inline constexpr std::uint32_t max_window_size = 0x7fffffff;

struct Setting {
    std::uint16_t id = 0;
    std::uint32_t value = 0;
    bool operator==(const Setting&) const = default;
};

// nullopt when the payload's length is not a multiple of 6 (a FRAME_SIZE_ERROR, RFC 9113 6.5).
std::optional<std::vector<Setting>> decode_settings(std::string_view payload);

struct GoAway {
    std::uint32_t last_stream = 0;
    std::uint32_t error_code = 0;
    std::string debug;
};
std::optional<GoAway> decode_goaway(std::string_view payload); // nullopt when shorter than 8
// The error code of a RST_STREAM payload (exactly 4 bytes), else nullopt.
std::optional<std::uint32_t> decode_rst_stream(std::string_view payload);

// "SETTINGS", "GOAWAY", ..., "type 0x0b" for unknown types.
std::string type_name(int frame_type);
// "PROTOCOL_ERROR", ..., "0x0000002a" for unknown codes.
std::string error_name(std::uint32_t code);
// "MAX_FRAME_SIZE", ..., "0x0009" for unknown settings.
std::string setting_name(std::uint16_t id);
// The code of an error name ("STREAM_CLOSED"), nullopt when unknown.
std::optional<std::uint32_t> error_code(std::string_view name);
// The id of a frame type name ("data", "rst_stream", ...; any case), nullopt when unknown.
std::optional<int> frame_type(std::string_view name);

// A frame in words for reports: "SETTINGS stream 0 (MAX_CONCURRENT_STREAMS=100)",
// "GOAWAY PROTOCOL_ERROR, last stream 1", "HEADERS stream 1 END_STREAM END_HEADERS".
std::string describe(const H2Frame& f);

// What an expecting h2 step (expect_h2_*) waits for: "a SETTINGS ACK", "a response on stream
// 1"; "an HTTP/2 frame" for the other kinds.
std::string awaited(const Step& step);

} // namespace upgradespec::h2
