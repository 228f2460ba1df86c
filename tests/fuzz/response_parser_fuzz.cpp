// Fuzzes parse_response (runner/wire/response_parser.hpp): response heads and body framing.
// The first byte chooses the call: bit 0 eof, bit 1 head_request, bit 2 small limits (a 200-byte
// head, a 64-byte body) so the limit paths are reached by small inputs. The rest is the bytes
// received. Like the engine, it goes on with the bytes after each complete response (1xx heads,
// then pipelined responses) until a 101 or the end.
#include "wire/response_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace upgradespec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool eof = data[0] & 1, head_request = data[0] & 2, small = data[0] & 4;
    const std::size_t max_head = small ? 200 : 64 * 1024, max_body = small ? 64 : 1 << 20;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    for (int response = 0; response < 16; ++response) {
        ResponseParse r = parse_response(rest, eof, head_request, max_head, max_body);
        // The contract of response_parser.hpp.
        if (r.consumed > rest.size() || r.body.size() > max_body) std::abort();
        if (r.kind == ResponseParse::Kind::need_more && r.consumed != 0) std::abort();
        if (r.kind != ResponseParse::Kind::head) return 0;
        (void)r.head.combined("Upgrade");
        (void)r.head.values("Connection");
        if (r.head.status == 101 || r.consumed == 0) return 0;
        rest.remove_prefix(r.consumed);
    }
    return 0;
}
