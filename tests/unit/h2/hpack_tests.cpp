#include "encoding/hex.hpp"
#include "h2/hpack.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace upgradespec::h2;

namespace {
std::string bytes(std::string_view hex) {
    return hex_decode(hex);
}

Fields decoded(HpackDecoder& decoder, std::string_view hex) {
    std::string error;
    auto fields = decoder.decode(bytes(hex), error);
    INFO(error);
    REQUIRE(fields);
    return *fields;
}

H2Frame frame(int t, int flags, std::uint32_t stream, std::string payload) {
    return H2Frame{t, flags, stream, std::move(payload)};
}

// RFC 7541 C.3.1: a request without Huffman coding.
const char* first_request = "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d";
} // namespace

TEST_CASE("RFC 7541 C.3: three requests share one dynamic table", "[hpack]") {
    HpackDecoder decoder;
    CHECK(decoded(decoder, first_request) == Fields{{":method", "GET"},
                                                    {":scheme", "http"},
                                                    {":path", "/"},
                                                    {":authority", "www.example.com"}});
    // C.3.2 refers to the :authority the first block added (index 62).
    CHECK(decoded(decoder, "8286 84be 5808 6e6f 2d63 6163 6865") ==
          Fields{{":method", "GET"},
                 {":scheme", "http"},
                 {":path", "/"},
                 {":authority", "www.example.com"},
                 {"cache-control", "no-cache"}});
    CHECK(decoded(decoder, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 "
                           "6c75 65") == Fields{{":method", "GET"},
                                                {":scheme", "https"},
                                                {":path", "/index.html"},
                                                {":authority", "www.example.com"},
                                                {"custom-key", "custom-value"}});
}

TEST_CASE("RFC 7541 C.4.1: Huffman-coded strings", "[hpack]") {
    HpackDecoder decoder;
    CHECK(decoded(decoder, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff") ==
          Fields{{":method", "GET"},
                 {":scheme", "http"},
                 {":path", "/"},
                 {":authority", "www.example.com"}});
}

TEST_CASE("names are reported as sent, uppercase included", "[hpack]") {
    HpackDecoder decoder;
    // Literal without indexing, new name "Connection", value "close".
    CHECK(decoded(decoder, "00 0a 436f6e6e656374696f6e 05 636c6f7365") ==
          Fields{{"Connection", "close"}});
}

TEST_CASE("invalid HPACK is an error", "[hpack]") {
    HpackDecoder decoder;
    std::string error;
    CHECK_FALSE(decoder.decode(bytes("ff ff ff ff ff"), error)); // an index far past the tables
    CHECK_FALSE(error.empty());
    error.clear();
    HpackDecoder fresh;
    CHECK_FALSE(fresh.decode(bytes("00 0a 436f"), error)); // cut inside the name
    CHECK_FALSE(error.empty());
}

TEST_CASE("header blocks: HEADERS joined with CONTINUATION frames", "[hpack]") {
    HeaderBlockReader reader;
    std::string block = bytes(first_request);
    CHECK_FALSE(reader.on_frame(frame(type::settings, 0, 0, "")));
    CHECK_FALSE(reader.on_frame(frame(type::headers, 0, 1, block.substr(0, 3))));
    CHECK_FALSE(reader.on_frame(frame(type::continuation, 0, 1, block.substr(3, 4))));
    auto done = reader.on_frame(frame(type::continuation, flag::end_headers, 1, block.substr(7)));
    REQUIRE(done);
    CHECK(done->error.empty());
    CHECK(done->stream == 1);
    CHECK(done->frame_type == type::headers);
    CHECK(done->fields.size() == 4);
    CHECK(done->fields[3] == std::pair<std::string, std::string>{":authority", "www.example.com"});
}

TEST_CASE("header blocks: PUSH_PROMISE and padded HEADERS", "[hpack]") {
    HeaderBlockReader reader;
    auto promise = reader.on_frame(
        frame(type::push_promise, flag::end_headers, 1, bytes("00000002") + bytes(first_request)));
    REQUIRE(promise);
    CHECK(promise->frame_type == type::push_promise);
    CHECK(promise->fields.size() == 4);
    auto padded = reader.on_frame(frame(type::headers, flag::end_headers | flag::padded, 3,
                                        bytes("01 88") + std::string(1, '\0')));
    REQUIRE(padded);
    CHECK(padded->fields == Fields{{":status", "200"}});
}

TEST_CASE("header blocks: broken sequences are errors, and later blocks are not decoded",
          "[hpack]") {
    HeaderBlockReader reader;
    auto stray = reader.on_frame(frame(type::continuation, flag::end_headers, 1, "x"));
    REQUIRE(stray);
    CHECK_THAT(stray->error, Catch::Contains("continues no header block"));
    auto later = reader.on_frame(frame(type::headers, flag::end_headers, 1, bytes("88")));
    REQUIRE(later);
    CHECK_THAT(later->error, Catch::Contains("not decoded"));

    HeaderBlockReader interrupted;
    CHECK_FALSE(interrupted.on_frame(frame(type::headers, 0, 1, bytes("82"))));
    auto cut = interrupted.on_frame(frame(type::data, 0, 1, "body"));
    REQUIRE(cut);
    CHECK_THAT(cut->error, Catch::Contains("CONTINUATION was due"));
}

namespace {
// A literal field with incremental indexing ("x-big": 4000 bytes, so that with its 32 bytes of
// overhead it fits the default 4096-byte table), dynamic entry 62 afterwards.
std::string big_entry() {
    return bytes("40 05") + "x-big" + bytes("7f a1 1e") + std::string(4000, 'a');
}
} // namespace

TEST_CASE("HPACK amplification: one-byte references past 64 KiB decoded are a flood", "[hpack]") {
    HeaderBlockReader reader;
    // 20 one-byte references to the 4 KB entry decode to 80 KB.
    auto block = reader.on_frame(
        frame(type::headers, flag::end_headers, 1, big_entry() + std::string(20, '\xbe')));
    REQUIRE(block);
    CHECK(block->fields.empty());
    CHECK_THAT(block->error, Catch::Contains("decoded header list is over 64 KiB"));
    CHECK_THAT(reader.flooded(), Catch::Contains("over 64 KiB"));

    HeaderBlockReader small;
    auto fine = small.on_frame(
        frame(type::headers, flag::end_headers, 1, big_entry() + std::string(10, '\xbe')));
    REQUIRE(fine);
    CHECK(fine->fields.size() == 11);
    CHECK(small.flooded().empty());
}

TEST_CASE("the decoded header lists of one connection are bounded", "[hpack]") {
    HeaderBlockReader reader;
    auto first = reader.on_frame(
        frame(type::headers, flag::end_headers, 1, big_entry() + std::string(14, '\xbe')));
    REQUIRE(first);
    CHECK(first->error.empty());
    std::optional<H2HeaderBlock> last;
    int blocks = 1;
    for (; blocks < 10 && reader.flooded().empty(); ++blocks)
        last = reader.on_frame(frame(type::headers, flag::end_headers, 1, std::string(15, '\xbe')));
    CHECK(blocks == 5); // 60 KiB each: the fifth passes 256 KiB
    REQUIRE(last);
    CHECK_THAT(last->error, Catch::Contains("of the connection are over 256 KiB"));
}

TEST_CASE("a header block that never ends is a flood at 256 KiB", "[hpack]") {
    HeaderBlockReader reader;
    CHECK_FALSE(reader.on_frame(frame(type::headers, 0, 1, big_entry())));
    std::optional<H2HeaderBlock> cut;
    for (int frames = 0; frames < 100 && !cut; ++frames)
        cut = reader.on_frame(frame(type::continuation, 0, 1, std::string(16000, '\xbe')));
    REQUIRE(cut);
    CHECK_THAT(cut->error, Catch::Contains("header block over 256 KiB"));
    CHECK(reader.flooded() == cut->error);
}
