// Fuzzes the HTTP/2 frame decoder and HPACK (runner/h2/frame.hpp, runner/h2/hpack.hpp): the
// input is a stream of frames, decoded one after the other. Every frame is described and goes
// through the header block reader (HEADERS / PUSH_PROMISE / CONTINUATION joined, then HPACK);
// every header fragment is also decoded alone by a second HPACK decoder (a fresh one after an
// error), so HPACK is reached without well-formed frame sequences. SETTINGS, GOAWAY and
// RST_STREAM payloads are decoded, and every payload goes through base64url_decode (and
// base64url_encode, which must round-trip).
#include "encoding/base64.hpp"
#include "h2/frame.hpp"
#include "h2/hpack.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

using namespace upgradespec;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    h2::HeaderBlockReader reader;
    auto alone = std::make_unique<h2::HpackDecoder>();
    while (!rest.empty()) {
        h2::FrameDecode d = h2::decode_frame(rest);
        if (d.kind != h2::FrameDecode::Kind::frame) break;
        if (d.consumed == 0 || d.consumed > rest.size()) std::abort(); // no progress, or overrun
        rest.remove_prefix(d.consumed);
        const H2Frame& f = d.frame;
        (void)h2::describe(f);
        (void)reader.on_frame(f);
        if (auto fragment = h2::header_fragment(f)) {
            std::string error;
            if (!alone->decode(*fragment, error)) alone = std::make_unique<h2::HpackDecoder>();
        }
        if (auto settings = h2::decode_settings(f.payload))
            for (const auto& s : *settings)
                (void)h2::setting_problem(s);
        if (auto goaway = h2::decode_goaway(f.payload)) (void)h2::error_name(goaway->error_code);
        if (auto code = h2::decode_rst_stream(f.payload)) (void)h2::error_name(*code);
        (void)base64url_decode(f.payload);
        if (base64url_decode(base64url_encode(f.payload)) != f.payload) std::abort();
    }
    return 0;
}
