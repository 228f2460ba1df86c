#pragma once
// Hexadecimal: digits, bytes as hex and back, and the \xNN escape of a byte that cannot be
// shown as it is (quote.hpp builds on it).
#include <cstdint>
#include <string>
#include <string_view>

namespace upgradespec {

enum class HexCase { lower, upper };

// The value of a hex digit (either case), -1 for any other character.
int hex_digit_value(char c);

// The low `digits` hex digits of `value`: hex_digits(0x2a, 4) == "002a".
std::string hex_digits(std::uint64_t value, int digits, HexCase letters = HexCase::lower);

// Two lowercase digits a byte: "\x01\xab" -> "01ab".
std::string hex_encode(std::string_view bytes);

// "81 85 ab" -> bytes. Whitespace may separate bytes, not the two digits of one byte.
// Throws std::invalid_argument naming the bad character and its position.
std::string hex_decode(std::string_view hex);

// One byte as the escape "\x0a" ("\x0A" with HexCase::upper).
std::string hex_escape(unsigned char byte, HexCase letters = HexCase::lower);

} // namespace upgradespec
