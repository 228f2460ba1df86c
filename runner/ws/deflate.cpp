#include "ws/deflate.hpp"

#include <zlib.h>

#include <algorithm>

namespace upgradespec::ws {

struct Inflater::Stream {
    z_stream z{};
    bool ready = false;
    // zlib's deflate turns a window of 8 bits into 9 (its documented limit), so a server on zlib
    // that agreed to 8 may reach 512 bytes back: read 8 as 9 rather than fail every such server.
    explicit Stream(int window_bits) {
        ready = inflateInit2(&z, -std::max(window_bits, 9)) == Z_OK;
    }
    ~Stream() {
        if (ready) inflateEnd(&z);
    }
};

Inflater::Inflater(ServerDeflate agreed) : agreed_(agreed) {}
Inflater::~Inflater() = default;

std::optional<std::string> Inflater::inflate(const std::string& compressed, std::string& error,
                                             std::size_t limit) {
    if (!stream_ || agreed_.no_context) stream_ = std::make_unique<Stream>(agreed_.window_bits);
    if (!stream_->ready) {
        error = "zlib could not start an inflater";
        return std::nullopt;
    }
    // RFC 7692 7.2.2: the sender removed the empty block's tail 00 00 FF FF; put it back.
    std::string input = compressed + std::string("\x00\x00\xff\xff", 4);
    z_stream& z = stream_->z;
    z.next_in = reinterpret_cast<Bytef*>(input.data());
    z.avail_in = static_cast<uInt>(input.size());
    std::string out;
    char chunk[16384];
    bool ended = false;
    for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(chunk);
        z.avail_out = sizeof chunk;
        int rc = ::inflate(&z, Z_SYNC_FLUSH);
        out.append(chunk, sizeof chunk - z.avail_out);
        if (rc == Z_STREAM_END) { // a final block (BFINAL): the next message starts a new stream
            ended = true;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            error = z.msg ? std::string(z.msg) : "inflate error " + std::to_string(rc);
            stream_.reset();
            return std::nullopt;
        }
        if (out.size() > limit) {
            hit_limit_ = true;
            error = "it inflates to more than " + std::to_string(limit) + " bytes";
            stream_.reset();
            return std::nullopt;
        }
        if (z.avail_in == 0 && z.avail_out != 0) break; // all read, all written out
        if (rc == Z_BUF_ERROR) break;                   // no progress possible
    }
    if (ended) stream_.reset();
    return out;
}

} // namespace upgradespec::ws
