#pragma once
// The socket-free parts of the cases with their own HTTP/2-over-TLS connection (RFC 8441): the
// executor opens the connection and the listener, these decide what to send and what was seen.
#include "engine/request.hpp"
#include "model/case.hpp"

#include <string>
#include <string_view>

namespace upgradespec {

// The case with {placeholders} in the fields of its HTTP/2 requests filled in.
Case with_h2_fields_expanded(Case c, const Placeholders& vars);

// What reached a case's listener (check_listener): "raw" when the marker arrived (a TCP tunnel
// relaying the client's DATA), "handshake" for an HTTP request head (a gateway speaking
// HTTP/1.1 WebSocket), else "other".
std::string classify_listener_bytes(std::string_view got, std::string_view marker);

// True once `got` holds enough to classify: the marker, or a whole request head.
bool listener_bytes_complete(std::string_view got, std::string_view marker);

// host:port for {listener_authority}, brackets around an IPv6 address.
std::string listener_authority(const std::string& address, bool ipv6, unsigned short port);

} // namespace upgradespec
