#include "reports/redact.hpp"

#include "model/ascii.hpp"

#include <array>
#include <string_view>

namespace upgradespec {

namespace {

constexpr std::array<std::string_view, 3> secret_fields{"Authorization", "Proxy-Authorization",
                                                        "Cookie"};

bool is_secret(std::string_view line) {
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return false;
    std::string_view name = trim_ows(line.substr(0, colon));
    for (auto secret : secret_fields)
        if (iequals(name, secret)) return true;
    return false;
}

} // namespace

std::string redact_request(const std::string& bytes) {
    // Only the head holds fields; the body (and any bytes after it) is left alone.
    std::size_t head_end = bytes.find("\r\n\r\n");
    std::size_t limit = head_end == std::string::npos ? bytes.size() : head_end;
    std::string out;
    std::size_t start = 0;
    while (start < limit) {
        std::size_t end = bytes.find("\r\n", start);
        if (end == std::string::npos || end > limit) end = limit;
        std::string_view line(bytes.data() + start, end - start);
        if (is_secret(line))
            out.append(line.substr(0, line.find(':') + 1)).append(" <redacted>");
        else
            out.append(line);
        start = end;
        if (start < limit) {
            out.append("\r\n");
            start += 2;
        }
    }
    out.append(bytes, limit, std::string::npos);
    return out;
}

void redact_secrets(RunResult& run) {
    for (auto& c : run.cases)
        for (auto& event : c.transcript)
            // The backend receives the requests the proxy forwards: their secrets, if it kept them.
            if (event.direction ==
                (event.leg == Leg::client ? Direction::sent : Direction::received))
                event.bytes = redact_request(event.bytes);
}

} // namespace upgradespec
