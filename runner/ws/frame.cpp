#include "ws/frame.hpp"

#include "ws/handshake.hpp"

#include <algorithm>
#include <cstdint>

namespace upgradespec::ws {

namespace {
constexpr int opcode_close = 0x8;

unsigned char byte_at(std::string_view data, std::size_t i) {
    return static_cast<unsigned char>(data[i]);
}

void append_big_endian(std::string& out, std::uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
        out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::uint64_t read_big_endian(std::string_view data, std::size_t pos, int bytes) {
    std::uint64_t value = 0;
    for (int i = 0; i < bytes; ++i)
        value = (value << 8) | byte_at(data, pos + i);
    return value;
}

void apply_mask(std::string& payload, const std::array<unsigned char, 4>& key) {
    for (std::size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<char>(static_cast<unsigned char>(payload[i]) ^ key[i % 4]);
}

FrameDecode decode_error(std::string why) {
    FrameDecode out;
    out.kind = FrameDecode::Kind::error;
    out.error = std::move(why);
    return out;
}

// A frame's first two bytes: FIN, RSV1-3, the opcode and MASK.
ReceivedFrame header_bits(std::string_view data) {
    ReceivedFrame f;
    unsigned char b0 = byte_at(data, 0), b1 = byte_at(data, 1);
    f.fin = b0 & 0x80;
    f.rsv1 = b0 & 0x40;
    f.rsv2 = b0 & 0x20;
    f.rsv3 = b0 & 0x10;
    f.opcode = b0 & 0x0F;
    f.masked = b1 & 0x80;
    return f;
}

} // namespace

std::string encode_frame(const FrameSpec& spec, std::array<unsigned char, 4> mask_key) {
    std::string payload;
    if (spec.opcode == opcode_close && spec.close_code)
        append_big_endian(payload, static_cast<std::uint64_t>(*spec.close_code) & 0xFFFF, 2);
    payload += spec.payload;

    std::string out;
    unsigned b0 = (spec.fin ? 0x80u : 0u) | (spec.rsv1 ? 0x40u : 0u) | (spec.rsv2 ? 0x20u : 0u) |
                  (spec.rsv3 ? 0x10u : 0u) | (static_cast<unsigned>(spec.opcode) & 0x0Fu);
    out += static_cast<char>(b0);
    unsigned mask_bit = spec.mask ? 0x80u : 0u;
    std::uint64_t n = payload.size();
    if (n < 126) {
        out += static_cast<char>(mask_bit | n);
    } else if (n <= 0xFFFF) {
        out += static_cast<char>(mask_bit | 126u);
        append_big_endian(out, n, 2);
    } else {
        out += static_cast<char>(mask_bit | 127u);
        append_big_endian(out, n, 8);
    }
    if (spec.mask) {
        out.append(mask_key.begin(), mask_key.end());
        apply_mask(payload, mask_key);
    }
    return out + payload;
}

std::string encode_frame(const FrameSpec& spec) {
    std::array<unsigned char, 4> key{};
    auto bytes = random_bytes(key.size());
    std::copy(bytes.begin(), bytes.end(), key.begin());
    return encode_frame(spec, key);
}

FrameDecode decode_frame(std::string_view data, std::size_t max_payload) {
    if (data.size() < 2) return {};
    ReceivedFrame f = header_bits(data);
    std::uint64_t length = byte_at(data, 1) & 0x7F;
    std::size_t pos = 2;
    if (length == 126) {
        if (data.size() < 4) return {};
        length = read_big_endian(data, 2, 2);
        pos = 4;
        f.minimal_length = length >= 126;
    } else if (length == 127) {
        if (data.size() < 10) return {};
        length = read_big_endian(data, 2, 8);
        pos = 10;
        if (length >> 63) return decode_error("payload length 2^63 or more");
        f.minimal_length = length > 0xFFFF;
    }
    if (length > max_payload)
        return decode_error("payload of " + human_size(length) + " exceeds the " +
                            human_size(max_payload) + " limit");

    std::array<unsigned char, 4> key{};
    if (f.masked) {
        if (data.size() < pos + 4) return {};
        for (std::size_t i = 0; i < 4; ++i)
            key[i] = byte_at(data, pos + i);
        pos += 4;
    }
    if (data.size() - pos < length) return {};

    f.payload = std::string(data.substr(pos, length));
    if (f.masked) apply_mask(f.payload, key);
    FrameDecode out;
    out.kind = FrameDecode::Kind::frame;
    out.frame = std::move(f);
    out.consumed = pos + length;
    return out;
}

std::optional<ReceivedFrame> decode_truncated(std::string_view data) {
    if (data.size() < 2) return std::nullopt;
    ReceivedFrame f = header_bits(data);
    f.truncated = true;
    return f;
}

} // namespace upgradespec::ws
