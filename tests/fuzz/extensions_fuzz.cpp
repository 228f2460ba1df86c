// Fuzzes the Sec-WebSocket-Extensions parser and the permessage-deflate checks
// (runner/checks/extensions.hpp). The input is lines ('\n'); the first byte's low two bits say
// how many of the lines after it are the request's offers, the rest are the 101's answers. Both
// lists are parsed; when both parse, every problem function runs on them, and the rules run on
// an Observation of a 101 carrying the same lines.
#include "checks/extensions.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace upgradespec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t offer_lines = data[0] & 3;
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::vector<std::string> offer_text, answer_text;
    for (std::size_t n = 0;; ++n) {
        auto end = text.find('\n');
        (n < offer_lines ? offer_text : answer_text).emplace_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }

    auto offers = parse_extension_list(offer_text);
    auto answers = parse_extension_list(answer_text);
    if (offers && answers) {
        for (const auto& e : *offers)
            (void)valid_deflate_offer(e);
        (void)unoffered_problem(*offers, *answers);
        (void)deflate_response_problem(*answers);
        (void)client_window_problem(*offers, *answers);
        (void)server_window_problem(*offers, *answers);
        (void)server_no_context_problem(*offers, *answers);
        (void)rsv1_conflict_problem(*answers);
    }

    Observation seen;
    seen.head.emplace();
    seen.head->status = 101;
    for (const auto& line : offer_text)
        seen.request.fields.emplace_back("Sec-WebSocket-Extensions", line);
    for (const auto& line : answer_text)
        seen.head->fields.emplace_back("Sec-WebSocket-Extensions", line);
    (void)extensions_offered_rule(seen);
    (void)deflate_response_rule(seen);
    (void)client_window_rule(seen);
    (void)server_window_rule(seen);
    (void)server_no_context_rule(seen);
    (void)rsv1_conflict_rule(seen);
    (void)agreed_server_deflate(seen);
    return 0;
}
