#include "model/protocol_words.hpp"

#include "encoding/hex.hpp"
#include "encoding/quote.hpp"
#include "model/ascii.hpp"

#include <array>
#include <cctype>

namespace upgradespec {

namespace {

unsigned char byte_at(std::string_view data, std::size_t i) {
    return static_cast<unsigned char>(data[i]);
}

} // namespace

std::uint32_t read_big_endian(std::string_view data, std::size_t pos, int bytes) {
    std::uint32_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | byte_at(data, pos + i);
    return value;
}

} // namespace upgradespec

namespace upgradespec::ws {

namespace {

constexpr int opcode_close = 0x8;
constexpr std::size_t shown_bytes = 64; // of a payload quoted in describe()

// The payload's first bytes, and its size when they are not all of it.
std::string quoted_payload(std::string_view bytes) {
    std::string out = quote(bytes, shown_bytes);
    if (bytes.size() > shown_bytes) out += " (" + human_size(bytes.size()) + ")";
    return out;
}

std::string describe_flags(const ReceivedFrame& f) {
    std::string out;
    bool control = f.opcode >= 0x8;
    if (!control && f.fin) out += " FIN";
    if (control && !f.fin) out += " no FIN";
    if (f.rsv1) out += " RSV1";
    if (f.rsv2) out += " RSV2";
    if (f.rsv3) out += " RSV3";
    if (f.masked) out += " masked";
    if (!f.minimal_length) out += " non-minimal-length";
    return out;
}

std::string describe_close_body(const ReceivedFrame& f) {
    auto code = close_code(f);
    if (!code) return f.payload.empty() ? "" : " " + human_size(f.payload.size());
    std::string out = " " + std::to_string(*code);
    if (f.payload.size() > 2) out += " " + quoted_payload(std::string_view(f.payload).substr(2));
    return out;
}
} // namespace

std::string human_size(std::uint64_t n) {
    constexpr std::uint64_t kib = 1024, mib = 1024 * 1024;
    if (n >= mib && n % mib == 0) return std::to_string(n / mib) + " MiB";
    if (n >= kib && n % kib == 0) return std::to_string(n / kib) + " KiB";
    return std::to_string(n) + (n == 1 ? " byte" : " bytes");
}

std::string opcode_name(int opcode) {
    switch (opcode) {
    case 0x0:
        return "continuation";
    case 0x1:
        return "text";
    case 0x2:
        return "binary";
    case 0x8:
        return "close";
    case 0x9:
        return "ping";
    case 0xA:
        return "pong";
    }
    return "opcode 0x" + hex_digits(static_cast<unsigned>(opcode), 1, HexCase::upper);
}

std::string describe(const ReceivedFrame& f) {
    std::string out = opcode_name(f.opcode) + describe_flags(f);
    if (f.truncated) return out + " (only its header arrived)";
    switch (f.opcode) {
    case 0x0:
    case 0x1:
        return out + " " + quoted_payload(f.payload);
    case opcode_close:
        return out + describe_close_body(f);
    }
    return out + " " + human_size(f.payload.size());
}

std::optional<int> close_code(const ReceivedFrame& f) {
    if (f.opcode != opcode_close || f.payload.size() < 2) return std::nullopt;
    return static_cast<int>(read_big_endian(f.payload, 0, 2));
}

} // namespace upgradespec::ws

namespace upgradespec::h2 {

namespace {

constexpr std::size_t shown_bytes = 32; // of a payload quoted in describe()

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
        out += (out.empty() ? " (" : ", ") + setting_name(s.id) + "=" + std::to_string(s.value);
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

std::optional<std::vector<Setting>> decode_settings(std::string_view payload) {
    if (payload.size() % 6 != 0) return std::nullopt;
    std::vector<Setting> settings;
    for (std::size_t i = 0; i < payload.size(); i += 6)
        settings.push_back({static_cast<std::uint16_t>(read_big_endian(payload, i, 2)),
                            read_big_endian(payload, i + 2, 4)});
    return settings;
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

std::string type_name(int frame_type) {
    return name_of(type_names, static_cast<std::uint32_t>(frame_type), 2);
}

std::string error_name(std::uint32_t code) {
    return name_of(error_names, code, 8);
}

std::string setting_name(std::uint16_t id) {
    return name_of(setting_names, id, 4);
}

std::optional<std::uint32_t> error_code(std::string_view name) {
    for (const auto& n : error_names)
        if (iequals(n.name, name)) return n.code;
    return std::nullopt;
}

std::optional<int> frame_type(std::string_view name) {
    for (const auto& n : type_names)
        if (iequals(n.name, name)) return static_cast<int>(n.code);
    return std::nullopt;
}

std::string describe(const H2Frame& f) {
    return type_name(f.type) + " stream " + std::to_string(f.stream) + flag_words(f) +
           payload_words(f);
}

std::string awaited(const Step& step) {
    const auto wait = h2_wait(step.kind);
    if (!wait) return "an HTTP/2 frame";
    switch (*wait) {
    case H2Wait::settings_first:
        return "the server's SETTINGS as its first frame";
    case H2Wait::settings_ack:
        return "a SETTINGS ACK";
    case H2Wait::response:
        return "a response" +
               (step.h2.stream ? " on stream " + std::to_string(step.h2.stream) : std::string());
    case H2Wait::goaway:
        return "a GOAWAY";
    case H2Wait::reset:
        return "RST_STREAM on stream " + std::to_string(step.h2.stream) + " (or a GOAWAY)";
    case H2Wait::ws_frame:
        return "a WebSocket frame with opcode " + std::to_string(step.h2.ws_opcode) +
               (step.h2.ws_payload ? " carrying \"" + *step.h2.ws_payload + "\"" : std::string()) +
               " in DATA on stream " + std::to_string(step.h2.stream);
    }
    return "an HTTP/2 frame";
}

} // namespace upgradespec::h2
