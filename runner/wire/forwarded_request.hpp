#pragma once
// What the runner's backend reads from a proxy (intermediary mode): where a forwarded request's
// head ends, and whether the bytes are a request at all. Pure: a hostile proxy's bytes are fuzzed
// here (tests/fuzz/backend_request_fuzz.cpp).
#include "model/observation.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace upgradespec {

// METHOD SP target SP HTTP/x.y, the method in capitals: what a proxy forwards. Anything else on
// a connection from the proxy is bytes it relayed without reading them as HTTP.
bool is_request_line(std::string_view line);

struct ForwardedHead {
    enum class Kind { need_more, head, raw } kind = Kind::need_more;
    std::size_t length = 0; // head: the head's bytes, up to its empty line
};

// Reads the start of `pending`: a whole request head, more bytes needed, or bytes that are not a
// request (raw: a relayed tunnel). `ended`: no more bytes will come, so a partial line is raw.
ForwardedHead find_request_head(std::string_view pending, bool ended);

// The first value of a field, "" when absent (case-insensitive name).
std::string field_value(const SentRequest& request, std::string_view name);

// The body's declared length: Content-Length as plain digits (at most 9), else 0.
std::size_t declared_length(const SentRequest& request);

} // namespace upgradespec
