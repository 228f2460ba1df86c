#pragma once
// HTTP/2 framing (RFC 9113 3.4, 4.1, 6): the client preface, frame headers and the payloads of
// SETTINGS, GOAWAY, RST_STREAM, WINDOW_UPDATE and PING; just what the h2c cases send and read.
#include "model/observation.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

inline constexpr std::string_view client_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
inline constexpr std::size_t frame_header_size = 9;
inline constexpr std::size_t default_max_frame_size =
    16384; // SETTINGS_MAX_FRAME_SIZE's initial value
inline constexpr std::uint32_t max_window_size = 0x7fffffff;

struct Setting {
    std::uint16_t id = 0;
    std::uint32_t value = 0;
    bool operator==(const Setting&) const = default;
};

// A 9-byte header and the payload. The stream id's reserved bit is dropped.
std::string encode_frame(int type, int flags, std::uint32_t stream, std::string_view payload);

std::string encode_settings(const std::vector<Setting>& settings); // a SETTINGS payload
// nullopt when the payload's length is not a multiple of 6 (a FRAME_SIZE_ERROR, RFC 9113 6.5).
std::optional<std::vector<Setting>> decode_settings(std::string_view payload);

// Why a setting's value is out of range (RFC 9113 6.5.2; RFC 8441 3), or "" when it is fine.
std::string setting_problem(const Setting& s);

std::string settings_frame(const std::vector<Setting>& settings);
std::string settings_ack_frame();
std::string ping_frame(std::string_view opaque, bool ack); // opaque: padded/cut to 8 bytes
std::string goaway_frame(std::uint32_t last_stream, std::uint32_t error_code,
                         std::string_view debug = "");
std::string rst_stream_frame(std::uint32_t stream, std::uint32_t error_code);
std::string window_update_frame(std::uint32_t stream, std::uint32_t increment);

struct GoAway {
    std::uint32_t last_stream = 0;
    std::uint32_t error_code = 0;
    std::string debug;
};
std::optional<GoAway> decode_goaway(std::string_view payload); // nullopt when shorter than 8
// The error code of a RST_STREAM payload (exactly 4 bytes), else nullopt.
std::optional<std::uint32_t> decode_rst_stream(std::string_view payload);

struct FrameDecode {
    enum class Kind { need_more, frame, error } kind = Kind::need_more;
    H2Frame frame;
    std::size_t consumed = 0;
    std::string error; // e.g. "a frame of 4740180 bytes, over the 16384-byte maximum"
};

// Decodes the frame at the start of `data`. A length over max_payload is an error, found from
// the header alone: bytes that are not HTTP/2 (an HTTP/1.1 status line) fail fast this way.
FrameDecode decode_frame(std::string_view data, std::size_t max_payload = default_max_frame_size);

// The header block fragment of a HEADERS, PUSH_PROMISE or CONTINUATION frame, without padding,
// priority fields or promised stream id; nullopt when those do not fit in the payload.
std::optional<std::string_view> header_fragment(const H2Frame& f);

// "SETTINGS", "GOAWAY", ..., "type 0x0b" for unknown types.
std::string type_name(int frame_type);
// "PROTOCOL_ERROR", ..., "0x0000002a" for unknown codes.
std::string error_name(std::uint32_t code);
// The code of an error name ("STREAM_CLOSED"), nullopt when unknown.
std::optional<std::uint32_t> error_code(std::string_view name);
// The id of a frame type name ("data", "rst_stream", ...; any case), nullopt when unknown.
std::optional<int> frame_type(std::string_view name);

// A frame in words for reports: "SETTINGS stream 0 (MAX_CONCURRENT_STREAMS=100)",
// "GOAWAY PROTOCOL_ERROR, last stream 1", "HEADERS stream 1 END_STREAM END_HEADERS".
std::string describe(const H2Frame& f);

} // namespace upgradespec::h2
