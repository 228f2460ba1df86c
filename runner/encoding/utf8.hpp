#pragma once
// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
#include <cstddef>
#include <string_view>

namespace upgradespec {

// The length (1 to 4) of the well-formed UTF-8 sequence at the start of `text`; 0 when `text`
// is empty or starts with none (a stray continuation byte, a truncated sequence, an overlong
// form, a surrogate, a code point above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text);

// Every byte of `text` belongs to a well-formed sequence.
bool valid_utf8(std::string_view text);

} // namespace upgradespec
