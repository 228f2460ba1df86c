// The HTTP/2 steps of a case after an h2c 101 (or over ALPN h2).
#include "engine/session.hpp"

#include "h2/frame.hpp"
#include "h2/steps.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace upgradespec {

// An h2 step after an h2c 101: send its bytes, or read frames until h2::Expectation decides.
awaitable<std::string> Session::run_h2_step(const Step& step) {
    if (h2::is_sending(step)) {
        if (!h2_encoder_) h2_encoder_.emplace();
        if (step.kind == Step::Kind::send_h2_headers)
            seen_.h2_sent.push_back({step.h2.stream, h2::type::headers, step.h2.fields, ""});
        co_return co_await send(h2::step_bytes(step, *h2_encoder_)) ? ""
                                                                    : "the bytes could not be sent";
    }
    h2::Expectation expectation(step);
    if (expectation.looks_back())
        for (std::size_t i = 0; i < seen_.h2_frames.size(); ++i)
            if (auto p = expectation.on_frame(seen_.h2_frames[i], nullptr, i == 0); p.done)
                co_return p.failure;
    for (int frames = 0; frames < 10000; ++frames) {
        std::string why;
        bool first = seen_.h2_frames.empty();
        std::size_t blocks = seen_.h2_headers.size();
        auto frame = co_await next_h2_frame(why);
        if (!frame) co_return expectation.on_end(eof_ && !seen_.timed_out, why);
        bool completed_block = seen_.h2_headers.size() > blocks;
        auto progress = expectation.on_frame(
            *frame, completed_block ? &seen_.h2_headers.back() : nullptr, first);
        if (expectation.status()) seen_.h2_status = expectation.status();
        if (progress.done) co_return progress.failure;
    }
    co_return "the server kept sending frames";
}

// The next whole HTTP/2 frame from the server, or an empty optional with `why` set.
awaitable<std::optional<H2Frame>> Session::next_h2_frame(std::string& why) {
    for (;;) {
        h2::FrameDecode decoded = h2::decode_frame(pending_);
        if (decoded.kind == h2::FrameDecode::Kind::frame) {
            pending_.erase(0, decoded.consumed);
            co_await keep_h2_frame(decoded.frame);
            if (!seen_.flooded.empty()) {
                why = seen_.flooded;
                co_return std::nullopt;
            }
            co_return decoded.frame;
        }
        if (decoded.kind == h2::FrameDecode::Kind::error) {
            seen_.h2_unreadable = decoded.error;
            why = "the server sent bytes that are not an HTTP/2 frame: " + decoded.error;
            co_return std::nullopt;
        }
        why = co_await read_more_for_frames();
        if (!why.empty()) co_return std::nullopt;
    }
}

// Records a frame and its header block (HPACK needs every block, in order), and
// acknowledges the server's SETTINGS and PINGs, as a client must (RFC 9113 6.5.3, 6.7).
awaitable<void> Session::keep_h2_frame(const H2Frame& f) {
    if (!keep(f.payload.size())) co_return;
    seen_.h2_frames.push_back(f);
    if (!h2_blocks_) h2_blocks_.emplace();
    if (auto block = h2_blocks_->on_frame(f)) seen_.h2_headers.push_back(std::move(*block));
    if (!h2_blocks_->flooded().empty()) {
        flood(h2_blocks_->flooded());
        co_return;
    }
    bool needs_ack = f.stream == 0 && !(f.flags & h2::flag::ack);
    if (needs_ack && f.type == h2::type::settings) co_await send(h2::settings_ack_frame());
    if (needs_ack && f.type == h2::type::ping && f.payload.size() == 8)
        co_await send(h2::ping_frame(f.payload, true));
}

} // namespace upgradespec
