#pragma once
// Inflating the server's permessage-deflate messages (RFC 7692 7.2.2), with the window and the
// context the 101 agreed (server_max_window_bits, server_no_context_takeover).
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace upgradespec::ws {

// What the 101 agreed about the server's compression.
struct ServerDeflate {
    int window_bits = 15;    // server_max_window_bits, 15 when absent (RFC 7692 7.1.2.1)
    bool no_context = false; // server_no_context_takeover (7.1.1.1): each message starts empty
};

// A raw-DEFLATE inflater that keeps its window across messages unless the context is not taken
// over. inflate() returns the message's text, or nullopt with `error` set.
class Inflater {
  public:
    explicit Inflater(ServerDeflate agreed);
    ~Inflater();
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    std::optional<std::string> inflate(const std::string& compressed, std::string& error,
                                       std::size_t limit = 4 << 20);

    // The last inflate() stopped at its limit: the message may be fine, only too big to check.
    bool hit_limit() const { return hit_limit_; }

  private:
    struct Stream;
    ServerDeflate agreed_;
    bool hit_limit_ = false;
    std::unique_ptr<Stream> stream_;
};

} // namespace upgradespec::ws
