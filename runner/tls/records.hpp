#pragma once
// What the bytes a server sent say about TLS, without a TLS library: for messages and for the
// RFC 2817 refusal (a failed handshake ends in alerts and a close, never in cleartext).
#include <string>
#include <string_view>

namespace upgradespec::tls {

// "HTTP/1.1 200 OK" or "\x15\x03\x03": the start of the first line (48 bytes at most), escaped.
std::string printable_start(std::string_view bytes);

// Why `bytes` are not only TLS alert records ("" when they are, or when there are none).
std::string not_tls_alerts(std::string_view bytes);

} // namespace upgradespec::tls
