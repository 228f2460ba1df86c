#pragma once
// HPACK decoding (RFC 7541) with libnghttp2's inflater, and the assembly of header blocks from
// HEADERS / PUSH_PROMISE / CONTINUATION frames (RFC 9113 4.3, 6.10).
#include "h2/frame.hpp"
#include "model/observation.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct nghttp2_hd_inflater;
struct nghttp2_hd_deflater;

namespace upgradespec::h2 {

// One HPACK decoding context: header blocks must be fed whole and in the order received,
// because each may change the dynamic table the next one refers to.
class HpackDecoder {
  public:
    HpackDecoder(); // throws std::runtime_error when libnghttp2 cannot allocate the context

    // The fields of one complete header block, in order; nullopt with `error` set when the
    // block is not valid HPACK (a COMPRESSION_ERROR: the context is unusable afterwards).
    std::optional<Fields> decode(std::string_view block, std::string& error);

    // The last error was a block whose decoded fields exceed max_decoded_block_bytes.
    bool over_limit() const { return over_limit_; }

  private:
    struct Free {
        void operator()(nghttp2_hd_inflater* inflater) const;
    };
    std::unique_ptr<nghttp2_hd_inflater, Free> inflater_;
    bool over_limit_ = false;
};

// One HPACK encoding context (libnghttp2's deflater): blocks must be sent in the order encoded.
// Field names and values go out exactly as given (an uppercase name or a connection-specific
// field is sent as written: malformed requests are what some cases send).
class HpackEncoder {
  public:
    HpackEncoder(); // throws std::runtime_error when libnghttp2 cannot allocate the context

    // The header block for these fields; throws std::runtime_error when they cannot be encoded.
    std::string encode(const Fields& fields);

  private:
    struct Free {
        void operator()(nghttp2_hd_deflater* deflater) const;
    };
    std::unique_ptr<nghttp2_hd_deflater, Free> deflater_;
};

// Joins each HEADERS or PUSH_PROMISE frame with its CONTINUATION frames and decodes the block.
class HeaderBlockReader {
  public:
    // Feeds one received frame (any type). Returns a block when this frame completes one; the
    // block's `error` is set when the frames break the rules or the block is not valid HPACK.
    std::optional<H2HeaderBlock> on_frame(const H2Frame& f);

    // Set once a bound below was hit (what was too big): the peer floods, reading should stop.
    const std::string& flooded() const { return flooded_; }

  private:
    std::optional<H2HeaderBlock> finish();
    std::optional<H2HeaderBlock> broken(std::uint32_t stream, int frame_type, std::string why);

    HpackDecoder hpack_;
    std::optional<H2HeaderBlock> open_; // a block waiting for its CONTINUATION frames
    std::string fragments_;
    bool context_lost_ = false; // after an error, later blocks cannot be decoded
    std::size_t decoded_total_ = 0;
    std::string flooded_;
};

// Bounds a hostile peer (RFC 9113 10.5.1): the bytes of one header block, the fields and the
// decoded bytes of one field list, and the decoded bytes of every list on one connection.
inline constexpr std::size_t max_header_block = 256 * 1024;
inline constexpr std::size_t max_decoded_fields = 1000;
inline constexpr std::size_t max_decoded_block_bytes = 64 * 1024;
inline constexpr std::size_t max_decoded_connection_bytes = 256 * 1024;

} // namespace upgradespec::h2
