#include "reports/escape.hpp"

#include "encoding/hex.hpp"
#include "encoding/utf8.hpp"

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

// Length of the well-formed UTF-8 sequence at the start of `text` for a code point of
// U+00A0 or above, or 0 when there is none (U+0080 to U+009F are C1 controls).
std::size_t wide_char_length(std::string_view text) {
    const std::size_t length = utf8_sequence_length(text);
    if (length < 2) return 0;
    const bool c1_control =
        static_cast<unsigned char>(text[0]) == 0xc2 && static_cast<unsigned char>(text[1]) < 0xa0;
    return c1_control ? 0 : length;
}

} // namespace

std::string printable(std::string_view bytes) {
    return escape_all(bytes, true);
}

std::string printable_line(std::string_view bytes) {
    return escape_all(bytes, false);
}

std::string readable(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t length = wide_char_length(text.substr(i));
        if (length > 0) {
            out.append(text.substr(i, length));
            i += length;
            continue;
        }
        append_escaped(out, static_cast<unsigned char>(text[i]), false);
        ++i;
    }
    return out;
}

std::string markup_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace upgradespec
