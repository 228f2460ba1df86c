#pragma once
// Base64 (RFC 4648 4) and base64url (RFC 4648 5): the one encoder (OpenSSL's EVP_EncodeBlock)
// and the one strict decoder of the runner, its reports and refserver.
#include <optional>
#include <string>
#include <string_view>

namespace upgradespec {

// Padded base64: "Zm9vYg==".
std::string base64_encode(std::string_view bytes);

// base64url without padding, as HTTP2-Settings carries it (RFC 7540 3.2.1): base64_encode()'s
// text with '-' and '_' for '+' and '/', the '=' left out.
std::string base64url_encode(std::string_view bytes);

// The unused bits of the last character before the padding: zero in the canonical encoding
// (RFC 4648 3.5 lets a decoder reject others), or anything.
enum class PadBits { zero, any };

// Strict base64: a multiple of 4 characters of the alphabet, '=' only as the last one or two,
// no whitespace, and pad bits zero unless `pad_bits` is any ("AQIDBAUGBwgJCgsMDQ4PEC==" is
// refused by default). nullopt when `text` is not such an encoding.
std::optional<std::string> base64_decode(std::string_view text, PadBits pad_bits = PadBits::zero);

// Strict base64url without padding; trailing '=' (which token68 allows) are ignored. nullopt for
// a character outside the base64url alphabet, a length no encoding has (4k + 1) or non-zero pad
// bits.
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace upgradespec
