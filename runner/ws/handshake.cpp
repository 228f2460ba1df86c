#include "ws/handshake.hpp"

#include "wire/fields.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <climits>
#include <stdexcept>

namespace upgradespec::ws {

namespace {
constexpr std::string_view websocket_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string sha1(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha1(), nullptr) != 1)
        throw std::runtime_error("OpenSSL could not compute SHA-1");
    return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string bad_hex(std::string_view hex, std::size_t pos, std::string_view why) {
    std::string shown = pos < hex.size() ? "'" + std::string(1, hex[pos]) + "'" : "the end";
    return "invalid hex: " + shown + " at position " + std::to_string(pos) + " (" +
           std::string(why) + ")";
}
} // namespace

std::string compute_accept(std::string_view key) {
    std::string input(trim_ows(key));
    input += websocket_guid;
    return base64_encode(sha1(input));
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > INT_MAX ||
        RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

std::string random_key() {
    return base64_encode(random_bytes(16));
}

std::string base64_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::size_t take = std::min<std::size_t>(3, bytes.size() - i);
        unsigned long group = 0;
        for (std::size_t k = 0; k < 3; ++k)
            group = (group << 8) | (k < take ? static_cast<unsigned char>(bytes[i + k]) : 0u);
        for (std::size_t k = 0; k < 4; ++k)
            out += k <= take ? base64_alphabet[(group >> (18 - 6 * k)) & 0x3F] : '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=')
        ++padding;
    std::string out;
    unsigned long bits = 0;
    std::size_t data_chars = text.size() - padding;
    for (std::size_t i = 0; i < data_chars; ++i) {
        auto value = base64_alphabet.find(text[i]);
        if (value == std::string_view::npos) return std::nullopt; // also a '=' too early
        bits = (bits << 6) | value;
        if (i % 4 == 3) {
            for (int shift = 16; shift >= 0; shift -= 8)
                out += static_cast<char>((bits >> shift) & 0xFF);
            bits = 0;
        }
    }
    if (padding == 0) return out;
    // The last group: 2 chars = 1 byte + 4 unused bits, 3 chars = 2 bytes + 2 unused bits.
    std::size_t unused = padding == 2 ? 4 : 2;
    if (bits & ((1u << unused) - 1)) return std::nullopt; // not canonical
    bits >>= unused;
    for (int shift = padding == 2 ? 0 : 8; shift >= 0; shift -= 8)
        out += static_cast<char>((bits >> shift) & 0xFF);
    return out;
}

std::string hex_decode(std::string_view hex) {
    std::string out;
    std::size_t i = 0;
    while (i < hex.size()) {
        if (is_space(hex[i])) {
            ++i;
            continue;
        }
        int high = hex_value(hex[i]);
        if (high < 0) throw std::invalid_argument(bad_hex(hex, i, "not a hex digit"));
        if (i + 1 >= hex.size() || is_space(hex[i + 1]))
            throw std::invalid_argument(bad_hex(hex, i + 1, "a byte needs two hex digits"));
        int low = hex_value(hex[i + 1]);
        if (low < 0) throw std::invalid_argument(bad_hex(hex, i + 1, "not a hex digit"));
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

} // namespace upgradespec::ws
