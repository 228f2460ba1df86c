#pragma once
// The expecting WebSocket steps after a 101 (expect_frame, expect_message, expect_close), as
// plain logic: the session reads the peer's frames and feeds them here one at a time, then does
// what the answer says. No socket, no clock: every decision and every failure text is here.
#include "model/case.hpp"
#include "model/observation.hpp"
#include "ws/message.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace upgradespec::ws {

class Inflater;

// What a step decided after a frame or the end of input, and what the session does on the side
// (in this order: record the note, send the reply, then read on or end the step).
struct Answer {
    enum class State {
        reading, // feed the next frame
        held,    // the step holds
        failed,  // the step fails with `failure`
        // A message inflates past the bound: the session ends the case at its memory cap
        // (`flood` says what grew), then ends the input with the cap's reason (on_end).
        flooded,
    };
    State state = State::reading;
    std::string failure;
    std::string flood;
    std::optional<std::string> note; // a line for the transcript
    std::optional<FrameSpec> reply;  // a frame to send the peer now: its Close answered
    // Once the step is done: the data frames it passed over, for the next step to read first.
    std::vector<ReceivedFrame> passed_over;
};

// Why no more frames come before the step decided (the session's `why` says it in words).
enum class InputEnd {
    closed,     // the connection is over: the peer closed it, or the session stopped reading
    still_open, // a read's deadline passed, or a frame could not be read
};

// Whom the session reads from, and what bounds and context a step reads with.
struct Reading {
    std::string peer = "the server";   // as the failures name it ("the proxy" on a backend)
    std::size_t max_message = 1 << 20; // a message, assembled or inflated, may not pass this
    // The connection's permessage-deflate context, if the 101 agreed one; it outlives the step.
    Inflater* inflater = nullptr;
};

// One expect_frame, expect_message or expect_close step (any other kind throws
// std::invalid_argument). The session feeds it frames until an answer is `held` or `failed`.
class Expectation {
  public:
    explicit Expectation(Step step, Reading reading = {});

    // The peer's next frame, passed-over frames from earlier steps first.
    Answer on_frame(ReceivedFrame frame);
    // No frame will come (after `flooded` too): `why` in the session's words, e.g. "the server
    // closed the connection". The answer is `held` or `failed`.
    Answer on_end(InputEnd end, const std::string& why);

  private:
    enum class Wait { frame, message, close };
    static Wait wait_for(Step::Kind kind);

    Answer decide(ReceivedFrame frame);
    Answer expect_frame(ReceivedFrame frame);
    Answer expect_message(const ReceivedFrame& frame);
    Answer inflate(std::string& payload) const;
    Answer other_message(ServerMessage message);
    Answer expect_close(const ReceivedFrame& frame);
    Answer ended(InputEnd end, const std::string& why) const;
    Answer too_many_frames(Answer answer) const;
    Answer done(Answer answer);

    bool payload_matches(const std::string& payload) const;
    std::string wanted() const;
    std::string expected_but(const std::string& what) const;

    Step step_;
    Reading reading_;
    Wait wait_;
    MessageAssembler assembler_;
    int frames_read_ = 0;
    int messages_passed_over_ = 0;
    bool close_frame_seen_ = false;
    std::vector<ReceivedFrame> passed_over_;
};

} // namespace upgradespec::ws
