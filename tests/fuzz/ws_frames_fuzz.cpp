// Fuzzes the WebSocket frame decoder (runner/ws/frame.hpp: decode_frame, describe, close_code,
// valid_utf8), the message assembler (runner/ws/message.hpp) and the permessage-deflate inflater
// (runner/ws/deflate.hpp). The first byte sets the inflater's window (bits 0-2: 8 + n bits),
// server_no_context_takeover (bit 3) and a small payload limit (bit 4: 125 bytes). The rest is a
// stream of server frames, decoded one after the other; every whole message goes through the
// inflater when it is compressed (RSV1).
#include "encoding/utf8.hpp"
#include "ws/deflate.hpp"
#include "ws/frame.hpp"
#include "ws/message.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

using namespace upgradespec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    ws::ServerDeflate agreed{8 + (data[0] & 7), (data[0] & 8) != 0};
    const std::size_t max_payload = (data[0] & 16) ? 125 : 1 << 20;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

    ws::MessageAssembler assembler(1 << 16);
    ws::Inflater inflater(agreed);
    std::vector<ReceivedFrame> frames;
    while (!rest.empty()) {
        ws::FrameDecode d = ws::decode_frame(rest, max_payload);
        if (d.kind != ws::FrameDecode::Kind::frame) break;
        if (d.consumed == 0 || d.consumed > rest.size()) std::abort(); // no progress, or overrun
        rest.remove_prefix(d.consumed);
        (void)ws::describe(d.frame);
        (void)ws::close_code(d.frame);
        (void)valid_utf8(d.frame.payload);
        std::string broken;
        if (auto message = assembler.add(d.frame, broken); message && message->compressed) {
            std::string error;
            (void)inflater.inflate(message->payload, error, 1 << 20);
        }
        frames.push_back(std::move(d.frame));
    }
    (void)ws::whole_messages(frames);
    return 0;
}
