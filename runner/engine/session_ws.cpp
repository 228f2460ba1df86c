// The WebSocket steps of a case after a 101: frames, messages, closes, quiet windows.
#include "engine/session.hpp"

#include "checks/extensions.hpp"
#include "model/protocol_words.hpp"
#include "ws/expectation.hpp"
#include "ws/frame.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <iterator>

namespace upgradespec {

// More bytes for a frame decoder: "" when some arrived, else why none ever will.
awaitable<std::string> Session::read_more_for_frames() {
    ReadEnd end = co_await read_more();
    if (read_capped_)
        co_return flood("more than " + ws::human_size(options_.max_response_bytes) +
                        " unread (a frame larger than that)");
    if (end == ReadEnd::timeout)
        co_return "nothing more from " + peer() + " within " +
            std::to_string(options_.timeout.count()) + " ms";
    if (end == ReadEnd::eof) co_return peer() + " closed the connection";
    co_return "";
}

// The next whole frame from the server, or an empty optional with `why` set.
awaitable<std::optional<ReceivedFrame>> Session::next_frame(std::string& why) {
    if (!passed_over_.empty()) {
        ReceivedFrame frame = std::move(passed_over_.front());
        passed_over_.pop_front();
        co_return frame;
    }
    for (;;) {
        if (auto frame = pending_frame(why)) co_return frame;
        if (!why.empty()) co_return std::nullopt;
        why = co_await read_more_for_frames();
        if (!why.empty()) co_return std::nullopt;
    }
}

// The whole frame at the front of pending_, taken out and kept among the frames seen; nullopt
// when more bytes are needed, or with `why` set when the bytes are unreadable or flood the case.
std::optional<ReceivedFrame> Session::pending_frame(std::string& why) {
    ws::FrameDecode decoded = ws::decode_frame(pending_);
    if (decoded.kind == ws::FrameDecode::Kind::error) {
        why = peer() + " sent an unreadable frame: " + decoded.error;
        return std::nullopt;
    }
    if (decoded.kind != ws::FrameDecode::Kind::frame) return std::nullopt;
    pending_.erase(0, decoded.consumed);
    if (!keep(decoded.frame.payload.size())) {
        why = seen_.flooded;
        return std::nullopt;
    }
    seen_.frames.push_back(decoded.frame);
    return std::move(decoded.frame);
}

awaitable<std::string> Session::run_step(const Step& step) {
    if (leg_ == Leg::backend)
        if (std::string none = co_await backend_connection(); !none.empty()) co_return none;
    switch (step.kind) {
    case Step::Kind::h2_preface:
    case Step::Kind::send_h2_frame:
    case Step::Kind::send_h2_raw:
    case Step::Kind::expect_h2_settings_first:
    case Step::Kind::expect_h2_settings_ack:
    case Step::Kind::expect_h2_response:
    case Step::Kind::expect_h2_goaway:
    case Step::Kind::expect_h2_reset:
    case Step::Kind::send_h2_headers:
    case Step::Kind::send_h2_ws_frame:
    case Step::Kind::expect_h2_ws_frame:
        co_return co_await run_h2_step(step);
    case Step::Kind::send_frame:
        co_return co_await send(ws::encode_frame(step.frame)) ? "" : "the frame could not be sent";
    case Step::Kind::expect_frame:
    case Step::Kind::expect_message:
    case Step::Kind::expect_close:
        co_return co_await run_ws_expectation(step);
    case Step::Kind::expect_open:
        co_return co_await expect_open(step.quiet_ms, step.frames_ok);
    case Step::Kind::check_listener:
        co_return co_await check_listener(step.h2.payload);
    case Step::Kind::start_tls:
        co_return co_await start_tls(step.tls_start_only);
    case Step::Kind::expect_response_in_tls:
        co_return co_await expect_response_in_tls();
    case Step::Kind::send_raw:
        co_return co_await send(step.bytes) ? "" : "the bytes could not be sent";
    case Step::Kind::expect_tls_close:
        co_return co_await expect_tls_close();
    case Step::Kind::close_connection:
        close_connection();
        co_return "";
    }
    co_return "unknown step";
}

// The connection's permessage-deflate context (RFC 7692 7.2.2), kept across messages and steps;
// null when the 101 agreed none.
ws::Inflater* Session::server_inflater() {
    if (!inflater_)
        if (auto agreed = agreed_server_deflate(seen_)) inflater_.emplace(*agreed);
    return inflater_ ? &*inflater_ : nullptr;
}

// An expect_frame, expect_message or expect_close step: frames go to ws::Expectation until it
// decides; the session records, sends and keeps what the answers say.
awaitable<std::string> Session::run_ws_expectation(const Step& step) {
    ws::Expectation expectation(step, {.peer = peer(),
                                       .max_message = options_.max_response_bytes,
                                       .inflater = server_inflater()});
    ws::Answer answer;
    while (answer.state == ws::Answer::State::reading) {
        answer = co_await next_answer(expectation);
        if (answer.note) note(*answer.note);
        if (answer.reply) co_await send(ws::encode_frame(*answer.reply));
    }
    passed_over_.insert(passed_over_.begin(), std::make_move_iterator(answer.passed_over.begin()),
                        std::make_move_iterator(answer.passed_over.end()));
    co_return answer.failure;
}

// The expectation's answer to the next frame, or to the end of the input when none comes.
awaitable<ws::Answer> Session::next_answer(ws::Expectation& expectation) {
    std::string why;
    auto frame = co_await next_frame(why);
    if (!frame) co_return expectation.on_end(input_end(), why);
    ws::Answer answer = expectation.on_frame(std::move(*frame));
    if (answer.state != ws::Answer::State::flooded) co_return answer;
    std::string flooded = flood(answer.flood); // stops reading: the input ends here
    co_return expectation.on_end(input_end(), flooded);
}

// Reading that ended at EOF, a reset or a flood ended the connection; a read's deadline, or a
// frame that could not be read, left it open.
ws::InputEnd Session::input_end() const {
    return eof_ && !seen_.timed_out ? ws::InputEnd::closed : ws::InputEnd::still_open;
}

// Whole WebSocket frames at the front of pending_ join the frames seen (the frame rules judge
// them) and wait for the next steps; returns why the bytes can never be frames, or "".
std::string Session::take_frames() {
    std::string why;
    while (auto frame = pending_frame(why)) {
        note("a frame arrived before the client spoke: " + ws::describe(*frame));
        passed_over_.push_back(std::move(*frame));
    }
    return why;
}

// Bytes left in pending_ that never made a whole frame: their header alone may already break
// RFC 6455 5.2 (an HTTP status line read as one sets RSV1), so the frame rules judge it.
void Session::keep_unfinished_frame() {
    if (auto started = ws::decode_truncated(pending_)) seen_.frames.push_back(*started);
}

// With frames_ok, whole WebSocket frames may arrive meanwhile (a greeting: RFC 6455 4.2.2 lets
// the server send as soon as its 101 is out); anything else fails the step.
awaitable<std::string> Session::expect_open(int quiet_ms, bool frames_ok) {
    // The case's deadline includes its quiet windows: it cuts one short only after a stall.
    const auto until = std::min(Clock::now() + std::chrono::milliseconds(quiet_ms), case_deadline_);
    if (!frames_ok && !pending_.empty())
        co_return peer() + " sent data where it should have stayed quiet";
    if (frames_ok) {
        std::string why = take_frames();
        if (!why.empty()) co_return why;
    }
    // One read without TLS; with TLS, records that carry no data (tickets) do not count.
    for (int reads = 0; reads < 64; ++reads) {
        beast::error_code ec;
        std::array<char, 1024> chunk;
        stream_.expires_at(until);
        std::size_t n = co_await stream_.async_read_some(
            asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        std::string data(chunk.data(), n);
        if (tls_ && n > 0) data = co_await decrypt(data);
        if (!data.empty()) record(Direction::received, data);
        if (ec == beast::error::timeout) {
            if (!pending_.empty()) {
                keep_unfinished_frame();
                co_return peer() + " sent " + std::to_string(pending_.size()) +
                    " bytes that do not make a whole WebSocket frame";
            }
            note("quiet for " + std::to_string(quiet_ms) + " ms, as expected");
            co_return "";
        }
        if (frames_ok && !data.empty()) {
            pending_ += data;
            if (std::string why = take_frames(); !why.empty()) co_return why;
            if (!ec) continue;
        } else if (!data.empty() || (!tls_ && !ec)) {
            co_return peer() + " sent data where it should have stayed quiet";
        }
        if (tls_ && tls_->state() != tls::Client::State::open) {
            tls_ended();
            co_return peer() + " closed the connection";
        }
        if (ec) {
            keep_unfinished_frame();
            closed_by(ec);
            co_return peer() + " closed the connection";
        }
    }
    co_return peer() + " kept sending";
}

} // namespace upgradespec
