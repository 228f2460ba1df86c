#include "encoding/quote.hpp"

#include "encoding/hex.hpp"

namespace upgradespec {

namespace {

bool is_printable(unsigned char c) {
    return c >= 0x20 && c < 0x7F;
}

} // namespace

std::string escaped(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (unsigned char c : bytes)
        out += is_printable(c) ? std::string(1, static_cast<char>(c)) : hex_escape(c);
    return out;
}

std::string quote(std::string_view bytes, std::size_t shown) {
    std::string out = "'";
    for (unsigned char c : bytes.substr(0, shown)) {
        if (c == '\'' || c == '\\') out += '\\';
        out += is_printable(c) ? std::string(1, static_cast<char>(c)) : hex_escape(c);
    }
    out += "'";
    if (bytes.size() > shown) out += "...";
    return out;
}

} // namespace upgradespec
