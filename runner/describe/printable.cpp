#include "describe/printable.hpp"

#include "encoding/hex.hpp"

namespace upgradespec {

namespace {

void append_escaped(std::string& out, unsigned char byte, bool newline_after_lf) {
    switch (byte) {
    case '\r':
        out += "\\r";
        return;
    case '\t':
        out += "\\t";
        return;
    case '\n':
        out += "\\n";
        if (newline_after_lf) out += '\n';
        return;
    default:
        break;
    }
    if (byte >= 0x20 && byte < 0x7f) {
        out += static_cast<char>(byte);
        return;
    }
    out += hex_escape(byte, HexCase::upper);
}

std::string escape_all(std::string_view bytes, bool newline_after_lf) {
    std::string out;
    out.reserve(bytes.size());
    for (char c : bytes)
        append_escaped(out, static_cast<unsigned char>(c), newline_after_lf);
    return out;
}

} // namespace

std::string printable(std::string_view bytes) {
    return escape_all(bytes, true);
}

std::string printable_line(std::string_view bytes) {
    return escape_all(bytes, false);
}

} // namespace upgradespec
