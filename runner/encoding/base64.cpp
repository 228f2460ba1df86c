#include "encoding/base64.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

namespace upgradespec {

namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// `text` holds only characters of `alphabet` (no padding): the bytes they encode. nullopt for
// another character, a length that leaves 6 bits, or non-zero unused bits at the end.
std::optional<std::string> decode_unpadded(std::string_view text, std::string_view alphabet,
                                           PadBits pad_bits) {
    if (text.size() % 4 == 1) return std::nullopt; // 6 bits cannot end a byte
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        const auto value = alphabet.find(c);
        if (value == std::string_view::npos) return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    // 2 or 4 bits are left over after 3 or 2 characters of a last group.
    if (pad_bits == PadBits::zero && (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

} // namespace

std::string base64_encode(std::string_view bytes) {
    // Whole groups of 3 bytes a call, so the chunks join into one encoding.
    constexpr std::size_t chunk = 3 * 1024;
    std::array<unsigned char, chunk / 3 * 4 + 1> text{};
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        const std::size_t n = std::min(chunk, bytes.size() - at);
        const int length =
            EVP_EncodeBlock(text.data(), reinterpret_cast<const unsigned char*>(bytes.data() + at),
                            static_cast<int>(n));
        out.append(reinterpret_cast<const char*>(text.data()), static_cast<std::size_t>(length));
    }
    return out;
}

std::string base64url_encode(std::string_view bytes) {
    std::string out = base64_encode(bytes);
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    std::replace(out.begin(), out.end(), '+', '-');
    std::replace(out.begin(), out.end(), '/', '_');
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, PadBits pad_bits) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    // A '=' anywhere else is outside the alphabet; "====" leaves a lone character.
    return decode_unpadded(text.substr(0, text.size() - padding), base64_alphabet, pad_bits);
}

std::optional<std::string> base64url_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    return decode_unpadded(text, base64url_alphabet, PadBits::zero);
}

} // namespace upgradespec
