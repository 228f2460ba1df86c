#pragma once
// Bytes in one clean line of printable ASCII, for messages and the words of frames.
#include <cstddef>
#include <string>
#include <string_view>

namespace upgradespec {

// Printable ASCII (0x20 to 0x7E) as it is, every other byte as \xNN (lowercase):
// "HTTP/1.1 200 OK", "\x15\x03\x03".
std::string escaped(std::string_view bytes);

// The first `shown` bytes between single quotes, as escaped() shows them but with ' and \ as
// \' and \\; "..." follows when bytes were left out: 'a\'b\x01', 'zzz'...
std::string quote(std::string_view bytes, std::size_t shown);

} // namespace upgradespec
