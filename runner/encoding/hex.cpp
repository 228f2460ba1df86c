#include "encoding/hex.hpp"

#include <stdexcept>

namespace upgradespec {

namespace {

char digit(unsigned value, HexCase letters) {
    return (letters == HexCase::lower ? "0123456789abcdef" : "0123456789ABCDEF")[value & 0xF];
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

int hex_digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string hex_digits(std::uint64_t value, int digits, HexCase letters) {
    std::string out;
    for (int i = digits - 1; i >= 0; --i)
        out += digit(static_cast<unsigned>(value >> (4 * i)), letters);
    return out;
}

std::string hex_encode(std::string_view bytes) {
    std::string out;
    out.reserve(2 * bytes.size());
    for (unsigned char b : bytes)
        out += hex_digits(b, 2);
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
        int high = hex_digit_value(hex[i]);
        if (high < 0) throw std::invalid_argument(bad_hex(hex, i, "not a hex digit"));
        if (i + 1 >= hex.size() || is_space(hex[i + 1]))
            throw std::invalid_argument(bad_hex(hex, i + 1, "a byte needs two hex digits"));
        int low = hex_digit_value(hex[i + 1]);
        if (low < 0) throw std::invalid_argument(bad_hex(hex, i + 1, "not a hex digit"));
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

std::string hex_escape(unsigned char byte, HexCase letters) {
    return "\\x" + hex_digits(byte, 2, letters);
}

} // namespace upgradespec
