#pragma once
// The WebSocket opening handshake's arithmetic (RFC 6455 1.3, 4.1, 4.2.2), with OpenSSL.
#include <cstddef>
#include <string>
#include <string_view>

namespace upgradespec::ws {

// base64(SHA-1(trim_ows(key) + GUID)): the key string as sent, never decoded (RFC 6455 4.2.2).
std::string compute_accept(std::string_view key);

// A fresh Sec-WebSocket-Key: base64 of 16 random bytes.
std::string random_key();

// `n` bytes from OpenSSL's RAND_bytes; throws std::runtime_error if it fails.
std::string random_bytes(std::size_t n);

} // namespace upgradespec::ws
