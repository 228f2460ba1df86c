#include "h2/frame.hpp"

#include <array>
#include <cctype>

namespace upgradespec::h2 {

namespace {

unsigned char byte_at(std::string_view data, std::size_t i) {
    return static_cast<unsigned char>(data[i]);
}

void append_big_endian(std::string& out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
        out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

} // namespace

std::string encode_frame(int frame_type, int flags, std::uint32_t stream,
                         std::string_view payload) {
    std::string out;
    append_big_endian(out, payload.size(), 3);
    out += static_cast<char>(frame_type & 0xFF);
    out += static_cast<char>(flags & 0xFF);
    append_big_endian(out, stream & 0x7fffffff, 4);
    out.append(payload);
    return out;
}

std::string encode_settings(const std::vector<Setting>& settings) {
    std::string out;
    for (const auto& s : settings) {
        append_big_endian(out, s.id, 2);
        append_big_endian(out, s.value, 4);
    }
    return out;
}

std::string setting_problem(const Setting& s) {
    auto value = std::to_string(s.value);
    switch (s.id) {
    case setting::enable_push:
    case setting::enable_connect_protocol:
        if (s.value > 1) return setting_name(s.id) + "=" + value + " (only 0 or 1)";
        return "";
    case setting::initial_window_size:
        if (s.value > max_window_size) return "INITIAL_WINDOW_SIZE=" + value + " (over 2^31-1)";
        return "";
    case setting::max_frame_size:
        if (s.value < 16384 || s.value > 16777215)
            return "MAX_FRAME_SIZE=" + value + " (outside 2^14..2^24-1)";
        return "";
    default:
        return "";
    }
}

std::string settings_frame(const std::vector<Setting>& settings) {
    return encode_frame(type::settings, 0, 0, encode_settings(settings));
}

std::string settings_ack_frame() {
    return encode_frame(type::settings, flag::ack, 0, "");
}

std::string ping_frame(std::string_view opaque, bool ack) {
    std::string payload(opaque.substr(0, 8));
    payload.resize(8, '\0');
    return encode_frame(type::ping, ack ? flag::ack : 0, 0, payload);
}

std::string goaway_frame(std::uint32_t last_stream, std::uint32_t error_code,
                         std::string_view debug) {
    std::string payload;
    append_big_endian(payload, last_stream & 0x7fffffff, 4);
    append_big_endian(payload, error_code, 4);
    payload.append(debug);
    return encode_frame(type::goaway, 0, 0, payload);
}

std::string rst_stream_frame(std::uint32_t stream, std::uint32_t error_code) {
    std::string payload;
    append_big_endian(payload, error_code, 4);
    return encode_frame(type::rst_stream, 0, stream, payload);
}

std::string window_update_frame(std::uint32_t stream, std::uint32_t increment) {
    std::string payload;
    append_big_endian(payload, increment & max_window_size, 4);
    return encode_frame(type::window_update, 0, stream, payload);
}

FrameDecode decode_frame(std::string_view data, std::size_t max_payload) {
    FrameDecode out;
    if (data.size() < frame_header_size) return out;
    std::size_t length = read_big_endian(data, 0, 3);
    if (length > max_payload) {
        out.kind = FrameDecode::Kind::error;
        out.error = "a frame of " + std::to_string(length) + " bytes, over the " +
                    std::to_string(max_payload) + "-byte maximum (not HTTP/2?)";
        return out;
    }
    if (data.size() < frame_header_size + length) return out;
    out.kind = FrameDecode::Kind::frame;
    out.frame.type = byte_at(data, 3);
    out.frame.flags = byte_at(data, 4);
    out.frame.stream = read_big_endian(data, 5, 4) & 0x7fffffff;
    out.frame.payload = std::string(data.substr(frame_header_size, length));
    out.consumed = frame_header_size + length;
    return out;
}

std::optional<std::string_view> header_fragment(const H2Frame& f) {
    std::string_view p = f.payload;
    if (f.type == type::continuation) return p;
    if (f.type != type::headers && f.type != type::push_promise) return std::nullopt;
    std::size_t pad = 0;
    if (f.flags & flag::padded) {
        if (p.empty()) return std::nullopt;
        pad = byte_at(p, 0);
        p.remove_prefix(1);
    }
    std::size_t skip = 0;
    if (f.type == type::headers && (f.flags & flag::priority)) skip = 5;
    if (f.type == type::push_promise) skip = 4; // the promised stream id
    if (p.size() < skip + pad) return std::nullopt;
    return p.substr(skip, p.size() - skip - pad);
}

} // namespace upgradespec::h2
