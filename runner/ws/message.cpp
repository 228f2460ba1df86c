#include "ws/message.hpp"

#include "ws/frame.hpp"

namespace upgradespec::ws {

std::optional<ServerMessage> MessageAssembler::add(const ReceivedFrame& frame,
                                                   std::string& broken) {
    if (frame.opcode >= 8) return std::nullopt; // control frames may come between fragments
    if (frame.opcode == 0 && !open_) {
        broken = "the server sent a continuation frame with no message to continue (RFC 6455 5.4)";
        return std::nullopt;
    }
    if (frame.opcode != 0) {
        if (open_)
            broken = "a new data frame (" + describe(frame) +
                     ") came before the message's last fragment";
        open_ = ServerMessage{frame.opcode, frame.rsv1, {}};
    }
    if (open_->payload.size() + frame.payload.size() > limit_) {
        broken = "the message grew past " + std::to_string(limit_) + " bytes";
        open_.reset();
        return std::nullopt;
    }
    open_->payload += frame.payload;
    if (!frame.fin) return std::nullopt;
    std::optional<ServerMessage> whole = std::move(open_);
    open_.reset();
    return whole;
}

std::vector<ServerMessage> whole_messages(const std::vector<ReceivedFrame>& frames) {
    std::vector<ServerMessage> messages;
    MessageAssembler assembler;
    for (const auto& frame : frames) {
        std::string broken; // not this function's to judge
        if (auto message = assembler.add(frame, broken)) messages.push_back(std::move(*message));
    }
    return messages;
}

} // namespace upgradespec::ws
