#include "tls/records.hpp"

#include "encoding/quote.hpp"

#include <algorithm>

namespace upgradespec::tls {

std::string printable_start(std::string_view bytes) {
    return escaped(bytes.substr(0, std::min<std::size_t>(bytes.find('\r'), 48)));
}

std::string not_tls_alerts(std::string_view bytes) {
    constexpr char alert = 0x15;
    for (std::size_t at = 0; at < bytes.size();) {
        if (bytes[at] != alert)
            return bytes.substr(at, 5) == "HTTP/"
                       ? "a cleartext HTTP response: " + printable_start(bytes.substr(at))
                       : "bytes that are not a TLS alert: " + printable_start(bytes.substr(at));
        if (bytes.size() - at < 5) break; // a record header still arriving
        at += 5 + ((static_cast<unsigned char>(bytes[at + 3]) << 8) |
                   static_cast<unsigned char>(bytes[at + 4]));
    }
    return "";
}

} // namespace upgradespec::tls
