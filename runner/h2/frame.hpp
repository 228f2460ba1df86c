#pragma once
// HTTP/2 framing (RFC 9113 3.4, 4.1, 6): the client preface, frame headers and the payloads of
// SETTINGS, GOAWAY, RST_STREAM, WINDOW_UPDATE and PING; just what the h2c cases send and read.
#include "model/observation.hpp"
#include "model/protocol_words.hpp" // frame types, flags, settings, error codes and their names

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec::h2 {

inline constexpr std::string_view client_preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
inline constexpr std::size_t frame_header_size = 9;
inline constexpr std::size_t default_max_frame_size =
    16384; // SETTINGS_MAX_FRAME_SIZE's initial value

// A 9-byte header and the payload. The stream id's reserved bit is dropped.
std::string encode_frame(int type, int flags, std::uint32_t stream, std::string_view payload);

std::string encode_settings(const std::vector<Setting>& settings); // a SETTINGS payload
// Why a setting's value is out of range (RFC 9113 6.5.2; RFC 8441 3), or "" when it is fine.
std::string setting_problem(const Setting& s);

std::string settings_frame(const std::vector<Setting>& settings);
std::string settings_ack_frame();
std::string ping_frame(std::string_view opaque, bool ack); // opaque: padded/cut to 8 bytes
std::string goaway_frame(std::uint32_t last_stream, std::uint32_t error_code,
                         std::string_view debug = "");
std::string rst_stream_frame(std::uint32_t stream, std::uint32_t error_code);
std::string window_update_frame(std::uint32_t stream, std::uint32_t increment);

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

} // namespace upgradespec::h2
