#include "reports/escape.hpp"

namespace upgradespec {

namespace {

bool is_continuation(unsigned char b) {
    return (b & 0xc0) == 0x80;
}

// Length of the well-formed UTF-8 sequence at the start of `text` for a code point of
// U+00A0 or above (RFC 3629 table), or 0 when there is none.
std::size_t wide_char_length(std::string_view text) {
    auto at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = at(0);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xbf; // allowed range of the second byte
    if (lead == 0xc2) {
        length = 2, low = 0xa0; // U+0080..U+009F are C1 controls
    } else if (lead >= 0xc3 && lead <= 0xdf) {
        length = 2;
    } else if (lead == 0xe0) {
        length = 3, low = 0xa0;
    } else if ((lead >= 0xe1 && lead <= 0xec) || lead == 0xee || lead == 0xef) {
        length = 3;
    } else if (lead == 0xed) {
        length = 3, high = 0x9f; // no surrogates
    } else if (lead == 0xf0) {
        length = 4, low = 0x90;
    } else if (lead >= 0xf1 && lead <= 0xf3) {
        length = 4;
    } else if (lead == 0xf4) {
        length = 4, high = 0x8f;
    }
    if (length == 0 || text.size() < length) return 0;
    if (at(1) < low || at(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (!is_continuation(at(i))) return 0;
    return length;
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
