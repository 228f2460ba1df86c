// The WebSocket steps of a case after a 101: frames, messages, closes, quiet windows.
#include "engine/session.hpp"

#include "checks/extensions.hpp"
#include "model/protocol_words.hpp"
#include "ws/frame.hpp"
#include "ws/message.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace upgradespec {

// More bytes for a frame decoder: "" when some arrived, else why none ever will.
awaitable<std::string> Session::read_more_for_frames() {
    ReadEnd end = co_await read_more();
    if (read_capped_)
        co_return flood("more than " + ws::human_size(options_.max_response_bytes) +
                        " unread (a frame larger than that)");
    if (end == ReadEnd::timeout)
        co_return "nothing more from the server within " +
            std::to_string(options_.timeout.count()) + " ms";
    if (end == ReadEnd::eof) co_return "the server closed the connection";
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
        ws::FrameDecode decoded = ws::decode_frame(pending_);
        if (decoded.kind == ws::FrameDecode::Kind::frame) {
            pending_.erase(0, decoded.consumed);
            if (!keep(decoded.frame.payload.size())) {
                why = seen_.flooded;
                co_return std::nullopt;
            }
            seen_.frames.push_back(decoded.frame);
            co_return decoded.frame;
        }
        if (decoded.kind == ws::FrameDecode::Kind::error) {
            why = "the server sent an unreadable frame: " + decoded.error;
            co_return std::nullopt;
        }
        why = co_await read_more_for_frames();
        if (!why.empty()) co_return std::nullopt;
    }
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
        co_return co_await expect_frame(step);
    case Step::Kind::expect_message:
        co_return co_await expect_message(step);
    case Step::Kind::expect_close:
        co_return co_await expect_close(step.close_frame_required);
    case Step::Kind::expect_open:
        co_return co_await expect_open(step.quiet_ms);
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

// A compressed message's text, in place, with the context the 101 agreed (RFC 7692 7.2.2);
// "" or why it cannot be had. Every compressed message must come through here, in order.
std::string Session::inflate(std::string& message) {
    if (!inflater_) {
        auto agreed = agreed_server_deflate(seen_);
        if (!agreed) return "a message came compressed (RSV1) without permessage-deflate agreed";
        inflater_.emplace(*agreed);
    }
    std::string error;
    auto text = inflater_->inflate(message, error, options_.max_response_bytes);
    if (!text && inflater_->hit_limit()) return flood("a compressed message " + error);
    if (!text) return "the server's compressed message does not inflate: " + error;
    message = std::move(*text);
    return "";
}

// Data frames passed over stay for the next step: a Pong may overtake the echo it follows.
awaitable<std::string> Session::expect_frame(const Step& step) {
    std::string wanted = "a frame with opcode " + std::to_string(step.opcode) +
                         (step.payload ? " carrying \"" + *step.payload + "\"" : "");
    std::deque<ReceivedFrame> passed_over;
    std::string failure = "expected " + wanted + ", but the server sent 1000 other frames";
    for (int frames = 0; frames < 1000; ++frames) {
        std::string why;
        auto frame = co_await next_frame(why);
        if (!frame) {
            failure = "expected " + wanted + ", but " + why;
            break;
        }
        if (frame->opcode == step.opcode && (!step.payload || frame->payload == *step.payload)) {
            failure.clear();
            break;
        }
        if (frame->opcode == 8) {
            failure = "expected " + wanted + ", but the server sent " + ws::describe(*frame);
            break;
        }
        if (frame->opcode < 8) passed_over.push_back(std::move(*frame));
    }
    passed_over_.insert(passed_over_.begin(), passed_over.begin(), passed_over.end());
    co_return failure;
}

// The next data message, reassembled (ws::MessageAssembler) and inflated when compressed.
awaitable<std::string> Session::expect_message(const Step& step) {
    std::string wanted = std::string(step.opcode == 2 ? "a binary" : "a text") + " message" +
                         (step.payload ? " \"" + *step.payload + "\"" : "");
    ws::MessageAssembler assembler(options_.max_response_bytes);
    int passed_over = 0;
    for (int frames = 0; frames < 1000; ++frames) {
        std::string why;
        auto frame = co_await next_frame(why);
        if (!frame) co_return "expected " + wanted + ", but " + why;
        if (frame->opcode == 8)
            co_return "expected " + wanted + ", but the server sent " + ws::describe(*frame);
        auto message = assembler.add(*frame, why);
        if (!why.empty()) co_return "expected " + wanted + ", but " + why;
        if (!message) continue;
        if (message->compressed) {
            why = inflate(message->payload);
            if (!why.empty()) co_return "expected " + wanted + ", but " + why;
        }
        if (message->opcode == step.opcode && (!step.payload || message->payload == *step.payload))
            co_return "";
        if (passed_over++ == 0) { // one note: a flood of messages must not flood the transcript
            ReceivedFrame whole{.opcode = message->opcode, .payload = std::move(message->payload)};
            note("passed over a message other than the one expected: " + ws::describe(whole));
        }
    }
    co_return "expected " + wanted + ", but the server sent 1000 other frames";
}

// The server must close TCP; a Close frame it sends first is answered, as a client does.
awaitable<std::string> Session::expect_close(bool close_frame_required) {
    bool close_frame_seen = false;
    for (int frames = 0; frames < 1000; ++frames) {
        std::string why;
        auto frame = co_await next_frame(why);
        if (!frame) {
            if (!eof_ || seen_.timed_out) co_return "the connection was still open: " + why;
            if (close_frame_required && !close_frame_seen)
                co_return "the server closed TCP without sending a Close frame";
            co_return "";
        }
        if (close_frame_seen)
            co_return "the server sent " + ws::describe(*frame) + " after its Close frame";
        if (frame->opcode != 8) continue;
        close_frame_seen = true;
        FrameSpec reply{.opcode = 8, .close_code = ws::close_code(*frame)};
        co_await send(ws::encode_frame(reply));
    }
    co_return "the server kept sending frames";
}

awaitable<std::string> Session::expect_open(int quiet_ms) {
    // The case's deadline includes its quiet windows: it cuts one short only after a stall.
    const auto until = std::min(Clock::now() + std::chrono::milliseconds(quiet_ms), case_deadline_);
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
            note("quiet for " + std::to_string(quiet_ms) + " ms, as expected");
            co_return "";
        }
        if (!data.empty() || (!tls_ && !ec))
            co_return "the server sent data where it should have stayed quiet";
        if (tls_ && tls_->state() != tls::Client::State::open) {
            tls_ended();
            co_return "the server closed the connection";
        }
        if (ec) {
            closed_by(ec);
            co_return "the server closed the connection";
        }
    }
    co_return "the server kept sending TLS records";
}

} // namespace upgradespec
