// Writes the seed inputs of the ws_frames and h2_frames fuzz targets, encoded with the runner's
// own encoders (runner/ws/frame.hpp, runner/h2/frame.hpp, runner/h2/hpack.hpp) and zlib for the
// compressed messages. Usage: frame_seeds CORPUS_DIR (writes CORPUS_DIR/ws_frames/* and
// CORPUS_DIR/h2_frames/*). tests/fuzz/make_seeds.py runs it; the seeds are committed.
#include "encoding/base64.hpp"
#include "h2/frame.hpp"
#include "h2/hpack.hpp"
#include "ws/frame.hpp"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace upgradespec;
namespace fs = std::filesystem;

namespace {

fs::path out_dir;

void write(const std::string& target, const std::string& name, const std::string& bytes) {
    fs::create_directories(out_dir / target);
    std::ofstream(out_dir / target / name, std::ios::binary) << bytes;
}

// A server frame: unmasked unless asked.
std::string ws_frame(int opcode, const std::string& payload, bool fin = true, bool rsv1 = false) {
    FrameSpec spec;
    spec.opcode = opcode;
    spec.payload = payload;
    spec.fin = fin;
    spec.mask = false;
    spec.rsv1 = rsv1;
    return ws::encode_frame(spec);
}

// The ws_frames target's first byte: the window (8 + low 3 bits), no_context (bit 3), the
// 125-byte payload limit (bit 4).
std::string options(int window_bits, bool no_context = false, bool small = false) {
    return std::string(
        1, static_cast<char>((window_bits - 8) | (no_context ? 8 : 0) | (small ? 16 : 0)));
}

// permessage-deflate (RFC 7692 7.2.1): raw DEFLATE, each message flushed and its 00 00 FF FF
// tail removed. One deflater for all the messages: context takeover, unless no_context.
std::vector<std::string> compressed(const std::vector<std::string>& messages, int window_bits,
                                    bool no_context) {
    std::vector<std::string> out;
    z_stream z{};
    deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -window_bits, 8, Z_DEFAULT_STRATEGY);
    for (const auto& m : messages) {
        if (no_context) deflateReset(&z);
        std::string input = m, result(m.size() + 64, '\0');
        z.next_in = reinterpret_cast<Bytef*>(input.data());
        z.avail_in = static_cast<uInt>(input.size());
        z.next_out = reinterpret_cast<Bytef*>(result.data());
        z.avail_out = static_cast<uInt>(result.size());
        deflate(&z, Z_SYNC_FLUSH);
        result.resize(result.size() - z.avail_out - 4);
        out.push_back(result);
    }
    deflateEnd(&z);
    return out;
}

void ws_seeds() {
    write("ws_frames", "text", options(15) + ws_frame(1, "Hello"));
    write("ws_frames", "fragmented-with-ping",
          options(15) + ws_frame(1, "Hel", false) + ws_frame(9, "ping") + ws_frame(0, "lo"));
    write("ws_frames", "binary-16bit-length", options(15) + ws_frame(2, std::string(200, 'b')));
    write(
        "ws_frames", "close-1000", options(15) + [] {
            FrameSpec spec{8, "bye", true, false};
            spec.close_code = 1000;
            return ws::encode_frame(spec);
        }());
    write("ws_frames", "close-empty-then-text", options(15) + ws_frame(8, "") + ws_frame(1, "x"));
    write("ws_frames", "masked-text",
          options(15) + ws::encode_frame(FrameSpec{1, "masked", true, true}, {1, 2, 3, 4}));
    write("ws_frames", "ping-pong", options(15) + ws_frame(9, "abc") + ws_frame(10, "abc"));
    write("ws_frames", "invalid-utf8", options(15) + ws_frame(1, "\xed\xa0\x80\xc0\xaf"));
    write("ws_frames", "rsv-and-reserved-opcode",
          options(15) + ws::encode_frame(FrameSpec{0xB, "?", true, false, false, true, true}));
    write("ws_frames", "continuation-without-start", options(15) + ws_frame(0, "orphan"));
    write("ws_frames", "new-message-before-last-fragment",
          options(15) + ws_frame(1, "a", false) + ws_frame(2, "b"));
    // Lengths in a longer form than needed, and a 64-bit length with its top bit set.
    write("ws_frames", "non-minimal-16bit", options(15) + std::string("\x81\x7e\x00\x02hi", 6));
    write("ws_frames", "non-minimal-64bit",
          options(15) + std::string("\x81\x7f\x00\x00\x00\x00\x00\x00\x00\x02hi", 12));
    write("ws_frames", "length-2-63",
          options(15) + std::string("\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 10));
    write("ws_frames", "over-small-limit",
          options(15, false, true) + ws_frame(2, std::string(126, 'z')));

    auto takeover = compressed({"Hello, Hello, Hello", "Hello, Hello, Hello again"}, 15, false);
    write("ws_frames", "deflate-context-takeover",
          options(15) + ws_frame(1, takeover[0], true, true) +
              ws_frame(1, takeover[1], true, true));
    auto alone = compressed({"first message", "first message"}, 10, true);
    write("ws_frames", "deflate-no-context-window-10",
          options(10, true) + ws_frame(1, alone[0], true, true) +
              ws_frame(1, alone[1], true, true));
    auto small = compressed({std::string(300, 'a') + "window of 8"}, 9, false);
    write("ws_frames", "deflate-window-8", options(8) + ws_frame(2, small[0], true, true));
    auto split = compressed({"a fragmented compressed message"}, 15, false)[0];
    write("ws_frames", "deflate-fragmented",
          options(15) + ws_frame(1, split.substr(0, 5), false, true) + ws_frame(9, "") +
              ws_frame(0, split.substr(5)));
    write("ws_frames", "deflate-garbage", options(15) + ws_frame(1, "\xff\xfe\xfd", true, true));
}

std::string block(h2::HpackEncoder& encoder, const Fields& fields) {
    return encoder.encode(fields);
}

void h2_seeds() {
    using namespace h2;
    write("h2_frames", "settings-then-ack",
          settings_frame({{setting::max_concurrent_streams, 100},
                          {setting::initial_window_size, 65535},
                          {setting::enable_connect_protocol, 1}}) +
              settings_ack_frame());
    write("h2_frames", "settings-out-of-range",
          settings_frame({{setting::enable_push, 2},
                          {setting::initial_window_size, 0x80000000u},
                          {setting::max_frame_size, 100},
                          {0x99, 7}}));
    write("h2_frames", "settings-bad-length", encode_frame(type::settings, 0, 0, "12345"));

    HpackEncoder encoder;
    std::string response = block(encoder, {{":status", "200"},
                                           {"content-type", "text/plain"},
                                           {"server", "refserver"},
                                           {"x-custom", "a value to remember"}});
    write("h2_frames", "headers-then-data",
          settings_frame({}) + encode_frame(type::headers, flag::end_headers, 1, response) +
              encode_frame(type::data, flag::end_stream, 1, "hello"));
    std::string again =
        block(encoder,
              {{":status", "200"}, {"x-custom", "a value to remember"}, {"server", "refserver"}});
    write("h2_frames", "two-blocks-dynamic-table",
          encode_frame(type::headers, flag::end_headers | flag::end_stream, 1, response) +
              encode_frame(type::headers, flag::end_headers | flag::end_stream, 3, again));
    HpackEncoder fresh;
    std::string big = block(
        fresh,
        {{":status", "404"}, {"content-length", "0"}, {"date", "Mon, 01 Jan 2024 00:00:00 GMT"}});
    write("h2_frames", "headers-continuation",
          encode_frame(type::headers, flag::end_stream, 1, big.substr(0, 4)) +
              encode_frame(type::continuation, 0, 1, big.substr(4, 6)) +
              encode_frame(type::continuation, flag::end_headers, 1, big.substr(10)));
    write("h2_frames", "headers-padded-priority",
          encode_frame(type::headers, flag::end_headers | flag::padded | flag::priority, 1,
                       std::string("\x03", 1) + std::string("\x80\x00\x00\x00\x10", 5) + big +
                           std::string(3, '\0')));
    write("h2_frames", "padding-too-long",
          encode_frame(type::headers, flag::end_headers | flag::padded, 1, "\xff" + big));
    HpackEncoder other; // a block of its own: the seed's decoder starts with an empty table
    write("h2_frames", "push-promise",
          encode_frame(type::push_promise, flag::end_headers, 1,
                       std::string("\x00\x00\x00\x02", 4) +
                           block(other, {{":method", "GET"}, {":path", "/pushed"}})));
    write("h2_frames", "continuation-alone",
          encode_frame(type::continuation, flag::end_headers, 1, big));
    write("h2_frames", "headers-interrupted",
          encode_frame(type::headers, 0, 1, big.substr(0, 3)) + ping_frame("12345678", false));
    write("h2_frames", "hpack-invalid",
          encode_frame(type::headers, flag::end_headers, 1, "\xff\xff\xff\xff\xff\x0f"));
    write("h2_frames", "goaway-with-debug",
          goaway_frame(1, error::protocol_error, "the client preface was wrong"));
    write("h2_frames", "rst-window-ping",
          rst_stream_frame(1, error::cancel) + window_update_frame(0, 1 << 20) +
              window_update_frame(1, 0) + ping_frame("pingpong", true));
    write("h2_frames", "unknown-type", encode_frame(0xb, 0xff, 0x7fffffff, "extension"));
    write(
        "h2_frames", "base64url-payload",
        encode_frame(type::data, 0, 1, base64url_encode(encode_settings({{4, 65535}, {3, 100}}))));
    write("h2_frames", "http11-instead", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    write("h2_frames", "truncated", settings_frame({{3, 100}}).substr(0, 12));
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: frame_seeds CORPUS_DIR\n");
        return 2;
    }
    out_dir = argv[1];
    ws_seeds();
    h2_seeds();
    return 0;
}
