// Fuzzes what the runner's backend reads from a proxy in intermediary mode (--backend): request
// heads found in the stream (runner/wire/forwarded_request.hpp), parsed back (request_head.hpp),
// their bodies skipped by Content-Length, until the bytes end or are not a request. The first
// byte's bit 0 says whether the connection has ended (a partial line is then raw bytes).
#include "wire/forwarded_request.hpp"
#include "wire/request_head.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace upgradespec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool ended = data[0] & 1;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    for (int request = 0; request < 64; ++request) {
        const ForwardedHead found = find_request_head(rest, ended);
        // The contract: a head has a length within the bytes, ending at an empty line.
        if (found.kind != ForwardedHead::Kind::head) return 0;
        if (found.length < 4 || found.length > rest.size()) std::abort();
        if (rest.substr(found.length - 4, 4) != "\r\n\r\n") std::abort();
        const SentRequest parsed = parse_sent_request(rest.substr(0, found.length));
        if (!is_request_line(rest.substr(0, rest.find("\r\n")))) std::abort();
        (void)field_value(parsed, "Upgradespec-Case");
        rest.remove_prefix(found.length);
        rest.remove_prefix(std::min(declared_length(parsed), rest.size()));
    }
    return 0;
}
