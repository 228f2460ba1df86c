#include "wire/request_head.hpp"

#include "wire/fields.hpp"

namespace upgradespec {

namespace {
// The next line without its CR LF (or bare LF); advances `rest` past it.
std::string_view next_line(std::string_view& rest) {
    auto end = rest.find('\n');
    auto line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

// Splits at the first space: returns what is before it, leaves the rest in `line`.
std::string_view take_word(std::string_view& line) {
    auto sp = line.find(' ');
    auto word = line.substr(0, sp);
    line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
    return word;
}

void add_field_line(std::string_view line, Fields& fields) {
    bool fold = line.front() == ' ' || line.front() == '\t';
    if (fold) {
        if (fields.empty()) return; // nothing to continue
        auto more = trim_ows(line);
        auto& value = fields.back().second;
        if (!more.empty()) value += (value.empty() ? "" : " ") + std::string(more);
        return;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    fields.emplace_back(std::string(trim_ows(line.substr(0, colon))),
                        std::string(trim_ows(line.substr(colon + 1))));
}
} // namespace

SentRequest parse_sent_request(std::string_view bytes) {
    SentRequest out;
    out.bytes = std::string(bytes);
    auto rest = bytes;
    auto request_line = next_line(rest);
    out.method = std::string(take_word(request_line));
    out.target = std::string(take_word(request_line));
    out.version = std::string(request_line);
    while (!rest.empty()) {
        auto line = next_line(rest);
        if (line.empty()) break; // end of the head
        add_field_line(line, out.fields);
    }
    return out;
}

} // namespace upgradespec
