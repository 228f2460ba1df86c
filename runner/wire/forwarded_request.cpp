#include "wire/forwarded_request.hpp"

#include "model/ascii.hpp"

#include <algorithm>

namespace upgradespec {

namespace {

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

bool is_request_line(std::string_view line) {
    const auto first = line.find(' ');
    const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    if (first == 0 || second == std::string_view::npos) return false;
    const bool capitals = std::all_of(line.begin(), line.begin() + first,
                                      [](char c) { return c >= 'A' && c <= 'Z'; });
    return capitals && line.substr(second + 1).starts_with("HTTP/");
}

ForwardedHead find_request_head(std::string_view pending, bool ended) {
    const auto line_end = pending.find("\r\n");
    if (line_end != std::string_view::npos && !is_request_line(pending.substr(0, line_end)))
        return {ForwardedHead::Kind::raw};
    const auto head_end = pending.find("\r\n\r\n");
    if (head_end != std::string_view::npos) return {ForwardedHead::Kind::head, head_end + 4};
    if (ended && !pending.empty() && line_end == std::string_view::npos)
        return {ForwardedHead::Kind::raw};
    return {};
}

std::string field_value(const SentRequest& request, std::string_view name) {
    for (const auto& [n, value] : request.fields)
        if (iequals(n, name)) return value;
    return "";
}

std::size_t declared_length(const SentRequest& request) {
    const std::string value = field_value(request, "Content-Length");
    return all_digits(value) && value.size() <= 9 ? std::stoul(value) : 0;
}

} // namespace upgradespec
