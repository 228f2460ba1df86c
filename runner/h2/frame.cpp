#include "h2/frame.hpp"

#include "encoding/hex.hpp"
#include "encoding/quote.hpp"

#include <array>
#include <cctype>

namespace upgradespec::h2 {

namespace {

constexpr std::size_t shown_bytes = 32; // of a payload quoted in describe()

unsigned char byte_at(std::string_view data, std::size_t i) {
    return static_cast<unsigned char>(data[i]);
}

void append_big_endian(std::string& out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
        out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::uint32_t read_big_endian(std::string_view data, std::size_t pos, int bytes) {
    std::uint32_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | byte_at(data, pos + i);
    return value;
}

struct Named {
    std::uint32_t code;
    std::string_view name;
};

constexpr std::array<Named, 10> type_names{{{type::data, "DATA"},
                                            {type::headers, "HEADERS"},
                                            {type::priority, "PRIORITY"},
                                            {type::rst_stream, "RST_STREAM"},
                                            {type::settings, "SETTINGS"},
                                            {type::push_promise, "PUSH_PROMISE"},
                                            {type::ping, "PING"},
                                            {type::goaway, "GOAWAY"},
                                            {type::window_update, "WINDOW_UPDATE"},
                                            {type::continuation, "CONTINUATION"}}};

constexpr std::array<Named, 14> error_names{{{error::no_error, "NO_ERROR"},
                                             {error::protocol_error, "PROTOCOL_ERROR"},
                                             {error::internal_error, "INTERNAL_ERROR"},
                                             {error::flow_control_error, "FLOW_CONTROL_ERROR"},
                                             {error::settings_timeout, "SETTINGS_TIMEOUT"},
                                             {error::stream_closed, "STREAM_CLOSED"},
                                             {error::frame_size_error, "FRAME_SIZE_ERROR"},
                                             {error::refused_stream, "REFUSED_STREAM"},
                                             {error::cancel, "CANCEL"},
                                             {error::compression_error, "COMPRESSION_ERROR"},
                                             {error::connect_error, "CONNECT_ERROR"},
                                             {error::enhance_your_calm, "ENHANCE_YOUR_CALM"},
                                             {error::inadequate_security, "INADEQUATE_SECURITY"},
                                             {error::http_1_1_required, "HTTP_1_1_REQUIRED"}}};

constexpr std::array<Named, 7> setting_names{
    {{setting::header_table_size, "HEADER_TABLE_SIZE"},
     {setting::enable_push, "ENABLE_PUSH"},
     {setting::max_concurrent_streams, "MAX_CONCURRENT_STREAMS"},
     {setting::initial_window_size, "INITIAL_WINDOW_SIZE"},
     {setting::max_frame_size, "MAX_FRAME_SIZE"},
     {setting::max_header_list_size, "MAX_HEADER_LIST_SIZE"},
     {setting::enable_connect_protocol, "ENABLE_CONNECT_PROTOCOL"}}};

template <std::size_t N>
std::string name_of(const std::array<Named, N>& names, std::uint32_t code, int digits) {
    for (const auto& n : names)
        if (n.code == code) return std::string(n.name);
    return "0x" + hex_digits(code, digits);
}

bool same_nocase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(byte_at(a, i)) != std::tolower(byte_at(b, i))) return false;
    return true;
}

std::string flag_words(const H2Frame& f) {
    std::string words;
    auto add = [&](int bit, const char* name) {
        if (f.flags & bit) words += std::string(" ") + name;
    };
    switch (f.type) {
    case type::settings:
    case type::ping:
        add(flag::ack, "ACK");
        break;
    case type::data:
        add(flag::end_stream, "END_STREAM");
        add(flag::padded, "PADDED");
        break;
    case type::headers:
        add(flag::end_stream, "END_STREAM");
        add(flag::end_headers, "END_HEADERS");
        add(flag::padded, "PADDED");
        add(flag::priority, "PRIORITY");
        break;
    case type::push_promise:
    case type::continuation:
        add(flag::end_headers, "END_HEADERS");
        add(flag::padded, "PADDED");
        break;
    }
    return words;
}

std::string settings_words(const H2Frame& f) {
    auto settings = decode_settings(f.payload);
    if (!settings) return " (a payload of " + std::to_string(f.payload.size()) + " bytes)";
    if (settings->empty()) return "";
    std::string out;
    for (const auto& s : *settings)
        out += (out.empty() ? " (" : ", ") + name_of(setting_names, s.id, 4) + "=" +
               std::to_string(s.value);
    return out + ")";
}

std::string payload_words(const H2Frame& f) {
    switch (f.type) {
    case type::settings:
        return settings_words(f);
    case type::goaway:
        if (auto g = decode_goaway(f.payload))
            return " " + error_name(g->error_code) + ", last stream " +
                   std::to_string(g->last_stream) +
                   (g->debug.empty() ? "" : " " + quote(g->debug, shown_bytes));
        return " (a payload of " + std::to_string(f.payload.size()) + " bytes)";
    case type::rst_stream:
        if (auto code = decode_rst_stream(f.payload)) return " " + error_name(*code);
        return " (a payload of " + std::to_string(f.payload.size()) + " bytes)";
    case type::window_update:
        if (f.payload.size() == 4)
            return " +" + std::to_string(read_big_endian(f.payload, 0, 4) & max_window_size);
        return " (a payload of " + std::to_string(f.payload.size()) + " bytes)";
    case type::data:
        return " " + quote(f.payload, shown_bytes);
    default:
        return f.payload.empty() ? "" : " " + std::to_string(f.payload.size()) + " bytes";
    }
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

std::optional<std::vector<Setting>> decode_settings(std::string_view payload) {
    if (payload.size() % 6 != 0) return std::nullopt;
    std::vector<Setting> settings;
    for (std::size_t i = 0; i < payload.size(); i += 6)
        settings.push_back({static_cast<std::uint16_t>(read_big_endian(payload, i, 2)),
                            read_big_endian(payload, i + 2, 4)});
    return settings;
}

std::string setting_problem(const Setting& s) {
    auto value = std::to_string(s.value);
    switch (s.id) {
    case setting::enable_push:
    case setting::enable_connect_protocol:
        if (s.value > 1) return name_of(setting_names, s.id, 4) + "=" + value + " (only 0 or 1)";
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

std::optional<GoAway> decode_goaway(std::string_view payload) {
    if (payload.size() < 8) return std::nullopt;
    return GoAway{read_big_endian(payload, 0, 4) & 0x7fffffff, read_big_endian(payload, 4, 4),
                  std::string(payload.substr(8))};
}

std::optional<std::uint32_t> decode_rst_stream(std::string_view payload) {
    if (payload.size() != 4) return std::nullopt;
    return read_big_endian(payload, 0, 4);
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

std::string type_name(int frame_type) {
    return name_of(type_names, static_cast<std::uint32_t>(frame_type), 2);
}

std::string error_name(std::uint32_t code) {
    return name_of(error_names, code, 8);
}

std::optional<std::uint32_t> error_code(std::string_view name) {
    for (const auto& n : error_names)
        if (same_nocase(n.name, name)) return n.code;
    return std::nullopt;
}

std::optional<int> frame_type(std::string_view name) {
    for (const auto& n : type_names)
        if (same_nocase(n.name, name)) return static_cast<int>(n.code);
    return std::nullopt;
}

std::string describe(const H2Frame& f) {
    return type_name(f.type) + " stream " + std::to_string(f.stream) + flag_words(f) +
           payload_words(f);
}

} // namespace upgradespec::h2
