#include "reports/escape.hpp"

#include "encoding/utf8.hpp"

namespace upgradespec {

namespace {

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
        out += printable_line(text.substr(i, 1));
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
