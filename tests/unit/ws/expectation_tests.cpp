#include "encoding/hex.hpp"
#include "model/protocol_words.hpp"
#include "ws/deflate.hpp"
#include "ws/expectation.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace upgradespec;
using ws::Answer;
using ws::Expectation;
using ws::InputEnd;
using State = ws::Answer::State;

namespace {

Step step(Step::Kind kind, int opcode = 1, std::optional<std::string> payload = std::nullopt) {
    Step s{};
    s.kind = kind;
    s.opcode = opcode;
    s.payload = std::move(payload);
    return s;
}

Step close_step(bool close_frame_required) {
    Step s = step(Step::Kind::expect_close);
    s.close_frame_required = close_frame_required;
    return s;
}

ReceivedFrame frame(int opcode, std::string payload = "", bool fin = true, bool rsv1 = false) {
    ReceivedFrame f;
    f.opcode = opcode;
    f.payload = std::move(payload);
    f.fin = fin;
    f.rsv1 = rsv1;
    return f;
}

// A Close frame with its status code, big-endian (RFC 6455 5.5.1).
ReceivedFrame close_frame(int code) {
    return frame(8, std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)});
}

// RFC 7692 7.2.3.1: "Hello" compressed, the trailing 00 00 ff ff removed.
const std::string compressed_hello = hex_decode("f248cdc9c90700");
// 100 times "a" compressed the same way: 6 bytes that inflate to 100.
const std::string compressed_hundred_a = hex_decode("4a4ca43d0000");

// Feeds `count` frames that do not decide the step; the last answer.
Answer feed(Expectation& expectation, const ReceivedFrame& f, int count) {
    Answer answer;
    for (int i = 0; i < count; ++i)
        answer = expectation.on_frame(f);
    return answer;
}

} // namespace

TEST_CASE("expect_frame holds at the wanted frame, by opcode and payload", "[ws][expectation]") {
    Expectation any_pong(step(Step::Kind::expect_frame, 10));
    CHECK(any_pong.on_frame(frame(10, "whatever")).state == State::held);

    Expectation echo(step(Step::Kind::expect_frame, 1, "hi"));
    Answer answer = echo.on_frame(frame(1, "hi"));
    CHECK(answer.state == State::held);
    CHECK(answer.failure.empty());
    CHECK_FALSE(answer.note);
    CHECK_FALSE(answer.reply);
    CHECK(answer.passed_over.empty());
}

TEST_CASE("expect_frame keeps a data frame with another payload for the next step, not a control "
          "frame",
          "[ws][expectation]") {
    Expectation pong(step(Step::Kind::expect_frame, 10, "p"));
    CHECK(pong.on_frame(frame(1, "echo")).state == State::reading);
    CHECK(pong.on_frame(frame(9, "ping")).state == State::reading);
    CHECK(pong.on_frame(frame(10, "other pong")).state == State::reading);
    CHECK(pong.on_frame(frame(2, "bin")).state == State::reading);
    Answer answer = pong.on_frame(frame(10, "p"));
    CHECK(answer.state == State::held);
    REQUIRE(answer.passed_over.size() == 2); // the data frames, in order; no Ping, no Pong
    CHECK(answer.passed_over[0].payload == "echo");
    CHECK(answer.passed_over[1].payload == "bin");
}

TEST_CASE("a step that fails still hands on the data frames it passed over", "[ws][expectation]") {
    Expectation echo(step(Step::Kind::expect_frame, 1, "hi"));
    CHECK(echo.on_frame(frame(1, "not hi")).state == State::reading);
    Answer answer = echo.on_end(InputEnd::closed, "the server closed the connection");
    CHECK(answer.state == State::failed);
    REQUIRE(answer.passed_over.size() == 1);
    CHECK(answer.passed_over[0].payload == "not hi");
}

TEST_CASE("a Close frame while waiting for a data frame or message fails the step",
          "[ws][expectation]") {
    const ReceivedFrame close = close_frame(1000);
    Expectation echo(step(Step::Kind::expect_frame, 1, "hi"));
    Answer answer = echo.on_frame(close);
    CHECK(answer.state == State::failed);
    CHECK(answer.failure == "expected a frame with opcode 1 carrying \"hi\", but the server sent " +
                                ws::describe(close));

    Expectation message(step(Step::Kind::expect_message, 2, "bytes"));
    CHECK(message.on_frame(close).failure ==
          "expected a binary message \"bytes\", but the server sent " + ws::describe(close));

    Expectation waiting_for_close(step(Step::Kind::expect_frame, 8));
    CHECK(waiting_for_close.on_frame(close).state == State::held);
}

TEST_CASE("a step fails at its 1000th frame that does not decide it", "[ws][expectation]") {
    Expectation echo(step(Step::Kind::expect_frame, 1, "hi"));
    CHECK(feed(echo, frame(9), 999).state == State::reading);
    Answer answer = echo.on_frame(frame(1, "other"));
    CHECK(answer.state == State::failed);
    CHECK(answer.failure ==
          "expected a frame with opcode 1 carrying \"hi\", but the server sent 1000 other frames");
    CHECK(answer.passed_over.size() == 1); // the 1000th, a data frame

    Expectation message(step(Step::Kind::expect_message));
    CHECK(feed(message, frame(10), 1000).failure ==
          "expected a text message, but the server sent 1000 other frames");

    Expectation close(close_step(false));
    CHECK(feed(close, frame(1, "chatter"), 1000).failure == "the server kept sending frames");
}

TEST_CASE("expect_message reassembles fragments with control frames between them",
          "[ws][expectation]") {
    Expectation message(step(Step::Kind::expect_message, 1, "frag-ment"));
    CHECK(message.on_frame(frame(1, "frag-", false)).state == State::reading);
    CHECK(message.on_frame(frame(9, "ping")).state == State::reading);
    CHECK(message.on_frame(frame(10, "pong")).state == State::reading);
    Answer answer = message.on_frame(frame(0, "ment"));
    CHECK(answer.state == State::held);
    CHECK(answer.passed_over.empty()); // expect_message keeps nothing for later
}

TEST_CASE("expect_message fails on frames that break RFC 6455 5.4 or a message past the bound",
          "[ws][expectation]") {
    Expectation orphan(step(Step::Kind::expect_message));
    Answer answer = orphan.on_frame(frame(0, "orphan"));
    CHECK(answer.state == State::failed);
    CHECK_THAT(answer.failure, Catch::Matchers::StartsWith("expected a text message, but ") &&
                                   Catch::Matchers::Contains("no message to continue"));

    Expectation bounded(step(Step::Kind::expect_message), {.max_message = 8});
    CHECK_THAT(bounded.on_frame(frame(1, "0123456789")).failure,
               Catch::Matchers::Contains("grew past 8 bytes"));
}

TEST_CASE("expect_message inflates a compressed message with the connection's context",
          "[ws][expectation]") {
    ws::Inflater inflater(ws::ServerDeflate{});
    Expectation hello(step(Step::Kind::expect_message, 1, "Hello"), {.inflater = &inflater});
    CHECK(hello.on_frame(frame(1, compressed_hello, true, true)).state == State::held);

    // The context goes on across steps: the same message again, compressed against the window.
    Expectation again(step(Step::Kind::expect_message, 1, "Hello"), {.inflater = &inflater});
    CHECK(again.on_frame(frame(1, hex_decode("f200110000"), true, true)).state == State::held);
}

TEST_CASE("a compressed message that cannot be inflated fails, or floods past the bound",
          "[ws][expectation]") {
    Expectation unagreed(step(Step::Kind::expect_message, 1, "Hello"));
    CHECK(unagreed.on_frame(frame(1, compressed_hello, true, true)).failure ==
          "expected a text message \"Hello\", but a message came compressed (RSV1) without "
          "permessage-deflate agreed");

    ws::Inflater inflater(ws::ServerDeflate{});
    Expectation garbage(step(Step::Kind::expect_message), {.inflater = &inflater});
    CHECK_THAT(garbage.on_frame(frame(1, hex_decode("ffffffff"), true, true)).failure,
               Catch::Matchers::StartsWith("expected a text message, but the server's compressed "
                                           "message does not inflate: "));

    ws::Inflater fresh(ws::ServerDeflate{});
    Expectation bomb(step(Step::Kind::expect_message), {.max_message = 50, .inflater = &fresh});
    Answer answer = bomb.on_frame(frame(1, compressed_hundred_a, true, true));
    CHECK(answer.state == State::flooded);
    CHECK(answer.flood == "a compressed message it inflates to more than 50 bytes");
    // The session ends the case at its cap and ends the input with the cap's reason.
    CHECK(bomb.on_end(InputEnd::closed, "the server flooded the connection").failure ==
          "expected a text message, but the server flooded the connection");
}

TEST_CASE("messages passed over give one note only", "[ws][expectation]") {
    Expectation message(step(Step::Kind::expect_message, 1, "wanted"));
    Answer first = message.on_frame(frame(1, "first"));
    CHECK(first.state == State::reading);
    REQUIRE(first.note);
    CHECK(*first.note ==
          "passed over a message other than the one expected: " + ws::describe(frame(1, "first")));
    for (int i = 0; i < 5; ++i)
        CHECK_FALSE(message.on_frame(frame(2, "more")).note);
    CHECK(message.on_frame(frame(1, "wanted")).state == State::held);
}

TEST_CASE("expect_close holds at the peer's close, with or without a Close frame",
          "[ws][expectation]") {
    Expectation lenient(close_step(false));
    CHECK(lenient.on_frame(frame(1, "late echo")).state == State::reading);
    CHECK(lenient.on_end(InputEnd::closed, "the server closed the connection").state ==
          State::held);

    Expectation strict(close_step(true));
    Answer answer = strict.on_end(InputEnd::closed, "the server closed the connection");
    CHECK(answer.state == State::failed);
    CHECK(answer.failure == "the server closed TCP without sending a Close frame");

    Expectation strict_answered(close_step(true));
    CHECK(strict_answered.on_frame(close_frame(1000)).state == State::reading);
    CHECK(strict_answered.on_end(InputEnd::closed, "the server closed the connection").state ==
          State::held);
}

TEST_CASE("expect_close answers a Close frame with the peer's code", "[ws][expectation]") {
    Expectation close(close_step(true));
    Answer answer = close.on_frame(close_frame(1001));
    CHECK(answer.state == State::reading);
    REQUIRE(answer.reply);
    CHECK(answer.reply->opcode == 8);
    CHECK(answer.reply->close_code == 1001);

    Expectation bare(close_step(false));
    answer = bare.on_frame(frame(8)); // no code: none in the reply either
    REQUIRE(answer.reply);
    CHECK_FALSE(answer.reply->close_code);
}

TEST_CASE("expect_close fails at a frame after the Close frame", "[ws][expectation]") {
    Expectation close(close_step(false));
    CHECK(close.on_frame(close_frame(1000)).state == State::reading);
    const ReceivedFrame late = frame(1, "late");
    Answer answer = close.on_frame(late);
    CHECK(answer.state == State::failed);
    CHECK(answer.failure == "the server sent " + ws::describe(late) + " after its Close frame");
    CHECK_FALSE(answer.reply);
}

TEST_CASE("the end of the input: closed or still open, as the session words it",
          "[ws][expectation]") {
    const std::string eof = "the server closed the connection";
    const std::string timeout = "nothing more from the server within 2000 ms";

    Expectation frame_step(step(Step::Kind::expect_frame, 10));
    CHECK(frame_step.on_end(InputEnd::closed, eof).failure ==
          "expected a frame with opcode 10, but the server closed the connection");
    Expectation frame_waiting(step(Step::Kind::expect_frame, 10));
    CHECK(frame_waiting.on_end(InputEnd::still_open, timeout).failure ==
          "expected a frame with opcode 10, but nothing more from the server within 2000 ms");

    Expectation message(step(Step::Kind::expect_message, 2));
    CHECK(message.on_end(InputEnd::still_open, timeout).failure ==
          "expected a binary message, but nothing more from the server within 2000 ms");

    Expectation close(close_step(false));
    CHECK(close.on_end(InputEnd::closed, eof).state == State::held);
    Expectation still_open(close_step(false));
    Answer answer = still_open.on_end(InputEnd::still_open, timeout);
    CHECK(answer.state == State::failed);
    CHECK(answer.failure ==
          "the connection was still open: nothing more from the server within 2000 ms");
}

TEST_CASE("the failures name the peer they are given", "[ws][expectation]") {
    const ws::Reading proxy{.peer = "the proxy"};
    Expectation echo(step(Step::Kind::expect_frame, 1, "hi"), proxy);
    CHECK(echo.on_frame(close_frame(1000)).failure ==
          "expected a frame with opcode 1 carrying \"hi\", but the proxy sent " +
              ws::describe(close_frame(1000)));

    Expectation strict(close_step(true), proxy);
    CHECK(strict.on_end(InputEnd::closed, "").failure ==
          "the proxy closed TCP without sending a Close frame");

    Expectation chatty(close_step(false), proxy);
    CHECK(feed(chatty, frame(1), 1000).failure == "the proxy kept sending frames");
}

TEST_CASE("only expect_frame, expect_message and expect_close are expectations",
          "[ws][expectation]") {
    CHECK_THROWS_AS(Expectation(step(Step::Kind::send_frame)), std::invalid_argument);
    CHECK_THROWS_AS(Expectation(step(Step::Kind::expect_h2_ws_frame)), std::invalid_argument);
}
