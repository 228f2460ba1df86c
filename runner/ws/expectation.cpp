#include "ws/expectation.hpp"

#include "model/protocol_words.hpp"
#include "ws/deflate.hpp"

#include <stdexcept>
#include <utility>

namespace upgradespec::ws {

namespace {

// A step reads no further: what keeps coming without deciding it is a flood of other frames.
constexpr int max_frames = 1000;
constexpr int close_opcode = 8;

bool is_control(const ReceivedFrame& f) {
    return f.opcode >= close_opcode;
}

Answer reading() {
    return {};
}

Answer held() {
    return {.state = Answer::State::held};
}

Answer failed(std::string why) {
    return {.state = Answer::State::failed, .failure = std::move(why)};
}

Answer flooded(std::string what) {
    return {.state = Answer::State::flooded, .flood = std::move(what)};
}

} // namespace

Expectation::Expectation(Step step, Reading reading)
    : step_(std::move(step)), reading_(std::move(reading)), wait_(wait_for(step_.kind)),
      assembler_(reading_.max_message) {}

Expectation::Wait Expectation::wait_for(Step::Kind kind) {
    if (kind == Step::Kind::expect_frame) return Wait::frame;
    if (kind == Step::Kind::expect_message) return Wait::message;
    if (kind == Step::Kind::expect_close) return Wait::close;
    throw std::invalid_argument("not an expecting WebSocket step");
}

Answer Expectation::on_frame(ReceivedFrame frame) {
    Answer answer = decide(std::move(frame));
    if (answer.state == Answer::State::reading && ++frames_read_ == max_frames)
        answer = too_many_frames(std::move(answer));
    return done(std::move(answer));
}

Answer Expectation::on_end(InputEnd end, const std::string& why) {
    return done(ended(end, why));
}

Answer Expectation::decide(ReceivedFrame frame) {
    switch (wait_) {
    case Wait::frame:
        return expect_frame(std::move(frame));
    case Wait::message:
        return expect_message(frame);
    case Wait::close:
        return expect_close(frame);
    }
    return failed("not an expecting WebSocket step");
}

// Data frames passed over stay for the next step: a Pong may overtake the echo it follows.
Answer Expectation::expect_frame(ReceivedFrame frame) {
    if (frame.opcode == step_.opcode && payload_matches(frame.payload)) return held();
    if (frame.opcode == close_opcode)
        return failed(expected_but(reading_.peer + " sent " + describe(frame)));
    if (!is_control(frame)) passed_over_.push_back(std::move(frame));
    return reading();
}

// The next data message, reassembled across its fragments and inflated when compressed.
Answer Expectation::expect_message(const ReceivedFrame& frame) {
    if (frame.opcode == close_opcode)
        return failed(expected_but(reading_.peer + " sent " + describe(frame)));
    std::string broken;
    auto message = assembler_.add(frame, broken);
    if (!broken.empty()) return failed(expected_but(broken));
    if (!message) return reading();
    if (message->compressed) {
        Answer inflated = inflate(message->payload);
        if (inflated.state != Answer::State::reading) return inflated;
    }
    if (message->opcode == step_.opcode && payload_matches(message->payload)) return held();
    return other_message(std::move(*message));
}

// A compressed message's text, in place, with the connection's context (RFC 7692 7.2.2):
// every compressed message must come through here, in order, or the context goes wrong.
Answer Expectation::inflate(std::string& payload) const {
    Inflater* inflater = reading_.inflater;
    if (!inflater)
        return failed(
            expected_but("a message came compressed (RSV1) without permessage-deflate agreed"));
    std::string error;
    auto text = inflater->inflate(payload, error, reading_.max_message);
    if (!text && inflater->hit_limit()) return flooded("a compressed message " + error);
    if (!text)
        return failed(
            expected_but(reading_.peer + "'s compressed message does not inflate: " + error));
    payload = std::move(*text);
    return reading();
}

// One note only: a flood of messages must not flood the transcript.
Answer Expectation::other_message(ServerMessage message) {
    Answer answer = reading();
    if (messages_passed_over_++ > 0) return answer;
    ReceivedFrame whole{.opcode = message.opcode, .payload = std::move(message.payload)};
    answer.note = "passed over a message other than the one expected: " + describe(whole);
    return answer;
}

// The peer must close TCP; a Close frame it sends first is answered, as a client does.
Answer Expectation::expect_close(const ReceivedFrame& frame) {
    if (close_frame_seen_)
        return failed(reading_.peer + " sent " + describe(frame) + " after its Close frame");
    if (frame.opcode != close_opcode) return reading();
    close_frame_seen_ = true;
    Answer answer = reading();
    answer.reply = FrameSpec{.opcode = close_opcode, .close_code = close_code(frame)};
    return answer;
}

Answer Expectation::ended(InputEnd end, const std::string& why) const {
    if (wait_ != Wait::close) return failed(expected_but(why));
    if (end == InputEnd::still_open) return failed("the connection was still open: " + why);
    if (step_.close_frame_required && !close_frame_seen_)
        return failed(reading_.peer + " closed TCP without sending a Close frame");
    return held();
}

// The last frame's note and reply still count: the session records and sends them first.
Answer Expectation::too_many_frames(Answer answer) const {
    answer.state = Answer::State::failed;
    answer.failure =
        wait_ == Wait::close
            ? reading_.peer + " kept sending frames"
            : expected_but(reading_.peer + " sent " + std::to_string(max_frames) + " other frames");
    return answer;
}

// A step that is over hands its passed-over frames to the next one, whether it held or not.
Answer Expectation::done(Answer answer) {
    if (answer.state == Answer::State::held || answer.state == Answer::State::failed)
        answer.passed_over = std::exchange(passed_over_, {});
    return answer;
}

bool Expectation::payload_matches(const std::string& payload) const {
    return !step_.payload || payload == *step_.payload;
}

std::string Expectation::wanted() const {
    if (wait_ == Wait::message)
        return std::string(step_.opcode == 2 ? "a binary" : "a text") + " message" +
               (step_.payload ? " \"" + *step_.payload + "\"" : "");
    return "a frame with opcode " + std::to_string(step_.opcode) +
           (step_.payload ? " carrying \"" + *step_.payload + "\"" : "");
}

std::string Expectation::expected_but(const std::string& what) const {
    return "expected " + wanted() + ", but " + what;
}

} // namespace upgradespec::ws
