#pragma once
// The WebSocket opening handshake's arithmetic (RFC 6455 1.3, 4.1, 4.2.2), with OpenSSL.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace upgradespec::ws {

// base64(SHA-1(trim_ows(key) + GUID)): the key string as sent, never decoded (RFC 6455 4.2.2).
std::string compute_accept(std::string_view key);

// A fresh Sec-WebSocket-Key: base64 of 16 random bytes.
std::string random_key();

// `n` bytes from OpenSSL's RAND_bytes; throws std::runtime_error if it fails.
std::string random_bytes(std::size_t n);

std::string base64_encode(std::string_view bytes);

// Strict RFC 4648 base64: padded to a multiple of 4, no whitespace, and canonical (the unused
// bits before padding are zero, so "AQIDBAUGBwgJCgsMDQ4PEC==" is refused). nullopt if invalid.
std::optional<std::string> base64_decode(std::string_view text);

// "81 85 ab" -> bytes. Whitespace may separate bytes, not the two digits of one byte.
// Throws std::invalid_argument naming the bad character and its position.
std::string hex_decode(std::string_view hex);

} // namespace upgradespec::ws
