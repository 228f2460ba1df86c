#pragma once
// The server's data messages, assembled from its frames (RFC 6455 5.4): a first frame with an
// opcode, continuation frames up to FIN, and control frames allowed between the fragments.
#include "model/observation.hpp"

#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace upgradespec::ws {

// One message as the server sent it: its first frame's opcode and RSV1, every fragment's payload.
struct ServerMessage {
    int opcode = 0;
    bool compressed = false; // RSV1 on the first frame: permessage-deflate (RFC 7692 6)
    std::string payload;
};

class MessageAssembler {
  public:
    explicit MessageAssembler(std::size_t limit = std::numeric_limits<std::size_t>::max())
        : limit_(limit) {}

    // Takes the next frame: a whole message when this was its last fragment, else nullopt.
    // `broken` says why the frames break 5.4 (a continuation with nothing to continue, a new data
    // frame before the last fragment, which then starts a message of its own) or the message grew
    // past the limit. Control frames are passed over.
    std::optional<ServerMessage> add(const ReceivedFrame& frame, std::string& broken);

  private:
    std::size_t limit_;
    std::optional<ServerMessage> open_;
};

// The whole data messages among `frames`, in order; frames that break 5.4 are passed over and a
// message still open at the end is left out.
std::vector<ServerMessage> whole_messages(const std::vector<ReceivedFrame>& frames);

} // namespace upgradespec::ws
