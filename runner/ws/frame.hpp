#pragma once
// RFC 6455 5.2 framing: encode what a case sends, decode what the server sends.
#include "model/case.hpp"
#include "model/observation.hpp"
#include "model/protocol_words.hpp" // opcode_name, describe(ReceivedFrame), close_code

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace upgradespec::ws {

// Encodes a frame exactly as specified (RSV bits, opcode, fin, masked with mask_key when
// spec.mask, payload length in its shortest form; for opcode 8, close_code is prepended
// big-endian (its low 16 bits) to the payload). Opcode bits above 0xF are dropped.
std::string encode_frame(const FrameSpec& spec, std::array<unsigned char, 4> mask_key);
std::string encode_frame(const FrameSpec& spec); // random mask key (OpenSSL RAND_bytes)

struct FrameDecode {
    enum class Kind { need_more, frame, error } kind = Kind::need_more;
    ReceivedFrame frame;
    std::size_t consumed = 0;
    std::string error; // e.g. "payload length 2^63 or more"
};

// Decodes the frame at the start of `data`: records `masked` and unmasks the payload, and
// sets minimal_length = false when the 16- or 64-bit form carried a length that fits a
// shorter one. A payload over max_payload, or a 64-bit length with the top bit set, is an
// error (checked from the header alone, before the payload arrives).
FrameDecode decode_frame(std::string_view data, std::size_t max_payload = 1 << 20);

// The start of a frame whose payload never arrived whole: its first two bytes' bits and opcode,
// no payload, `truncated` set, so only the header is judged. nullopt with fewer than two bytes.
std::optional<ReceivedFrame> decode_truncated(std::string_view data);

} // namespace upgradespec::ws
