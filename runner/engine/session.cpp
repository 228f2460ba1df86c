// A case's connection: connecting, writing, reading HTTP/1 responses, deadlines, the transcript.
#include "engine/session.hpp"

#include "model/protocol_words.hpp"
#include "wire/request_head.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace upgradespec {

awaitable<bool> Session::connect(const tcp::resolver::results_type& endpoints) {
    beast::error_code ec;
    arm_deadline();
    co_await stream_.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) {
        // Each scripted write goes out at once: Nagle would hold small frames back.
        stream_.socket().set_option(tcp::no_delay(true), ec);
        if (!tls_setup_.at_connect) co_return true;
        bool started = false;
        std::string failure = co_await tls_handshake(started);
        if (failure.empty()) {
            seen_.alpn = tls_->alpn();
            co_return true;
        }
        if (tls_setup_.refusal_is_an_answer && tls_ && !tls_->alerts().empty()) {
            seen_.tls_refused = failure;
            co_return false;
        }
        seen_.connect_error =
            "the TLS handshake with " + endpoint_text(endpoints) + " failed: " + failure;
        note(seen_.connect_error);
        co_return false;
    }
    if (ec == asio::error::connection_reset) {
        // Accepted, then reset before the connect completed here (the reset raced it): the
        // target answered with a reset, it is not unreachable.
        closed_by(ec);
        co_return false;
    }
    if (ec == beast::error::timeout) ++result_.deadline_waits;
    seen_.connect_error =
        "could not connect to " + endpoint_text(endpoints) + ": " +
        (ec == beast::error::timeout ? "no answer within the deadline" : ec.message());
    note(seen_.connect_error);
    co_return false;
}

awaitable<bool> Session::send(const std::string& bytes) {
    record(Direction::sent, bytes);
    if (!tls_) co_return co_await write_wire(bytes);
    tls_->send(bytes);
    std::string records = tls_->take_output();
    co_return co_await write_wire(records);
}

// A case's whole exchange: its requests, their responses, then what the case asks for.
awaitable<void> Session::converse(const Case& c, const std::string& first,
                                  const std::vector<std::string>& follow_ups) {
    std::string pipelined;
    for (std::size_t i = 0; i < c.then.size(); ++i)
        if (c.then[i].pipelined) pipelined += follow_ups[i];
    if (!c.h2.empty()) { // HTTP/2 from the start (ALPN h2): no HTTP/1.1 request
        co_await run_steps(c.h2);
        co_return;
    }
    if (!co_await send_first(first, pipelined, c.send.hold_body_ms)) co_return;
    co_await read_response(seen_);
    if (seen_.head && seen_.head->status == 101) {
        if (!c.after_101.empty()) co_await run_steps(c.after_101);
        co_return;
    }
    for (std::size_t i = 0; i < c.then.size(); ++i) {
        Observation& later = seen_.later.emplace_back();
        later.request = parse_sent_request(follow_ups[i]);
        if (!c.then[i].pipelined && (eof_ || !co_await send(follow_ups[i]))) break;
        co_await read_response(later);
        if (!later.head) break;
    }
    if (c.read_until_close) co_await read_until_close();
    seen_.closed_after = seen_.closed && seen_.head.has_value();
}

awaitable<void> Session::run_steps(const std::vector<Step>& steps) {
    seen_.steps_ran = true;
    for (const auto& step : steps) {
        // The leg first, then one co_await: GCC 12 destroys the result of a conditional around
        // two co_awaits twice.
        Session& leg = step.leg == Leg::backend && backend_leg_ ? *backend_leg_ : *this;
        std::string failure = co_await leg.run_step(step);
        if (failure.empty()) continue;
        if (step.leg == Leg::backend) failure = "at the backend: " + failure;
        seen_.step_failure = step.why.empty() ? failure : step.why + " (" + failure + ")";
        co_return;
    }
}

void Session::adopt(tcp::socket connection, std::string pending) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    stream_.socket() = std::move(connection);
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    pending_ = std::move(pending);
    eof_ = false;
    adopted_ = true;
}

awaitable<std::string> Session::backend_connection() {
    // The 101 that hands the connection over is written before the client can read it, but the
    // backend adopts it only when the write completes: poll briefly, under the case deadline.
    asio::steady_timer timer(stream_.get_executor());
    for (int polls = 0; polls < 1000 && !adopted_ && Clock::now() < case_deadline_; ++polls) {
        beast::error_code ec;
        timer.expires_after(std::chrono::milliseconds(2));
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return adopted_ ? "" : "no connection of the proxy's reached the backend with a 101";
}

void Session::close_connection() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    eof_ = true;
    note("closed the connection");
}

void Session::finish() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
    result_.duration = elapsed();
}

// The first request, its body held back when the case says so, then any pipelined ones.
awaitable<bool> Session::send_first(const std::string& request, const std::string& pipelined,
                                    int hold_ms) {
    if (hold_ms == 0) co_return co_await send(request + pipelined);
    auto head_end = request.find("\r\n\r\n");
    std::size_t split = head_end == std::string::npos ? request.size() : head_end + 4;
    if (!co_await send(request.substr(0, split))) co_return false;
    seen_.hold_end = co_await hold(std::chrono::milliseconds(hold_ms));
    if (seen_.hold_end == HoldEnd::answered) co_return true; // the body is never sent
    co_return co_await send(request.substr(split) + pipelined);
}

// Waits for the target to answer a held body. Polls rather than arming a read deadline:
// Beast's deadline closes the socket, and the hold is no deadline but the thing under test.
awaitable<HoldEnd> Session::hold(std::chrono::milliseconds length) {
    asio::steady_timer timer(stream_.get_executor());
    const auto until = Clock::now() + length;
    const bool head_request = seen_.request.method == "HEAD";
    for (int polls = 0; polls < 10000 && Clock::now() < until; ++polls) {
        beast::error_code ec;
        if (stream_.socket().available(ec) == 0 && !ec) {
            timer.expires_at(std::min(Clock::now() + std::chrono::milliseconds(10), until));
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            continue;
        }
        if (co_await read_more() != ReadEnd::data) co_return HoldEnd::answered;
        ResponseParse parsed = parse_response(pending_, eof_, head_request);
        if (parsed.kind == ResponseParse::Kind::malformed) co_return HoldEnd::answered;
        // A whole head is the answer, though its body may still come (or end at the close).
        if (parsed.kind == ResponseParse::Kind::head || parsed.head.status != 0)
            co_return parsed.head.status / 100 == 1 && parsed.head.status != 101
                ? HoldEnd::continued
                : HoldEnd::answered;
    }
    co_return HoldEnd::silent;
}

// Reads until one response is complete: 1xx heads in a loop, then a final head or a 101.
awaitable<void> Session::read_response(Observation& into) {
    const bool head_request = into.request.method == "HEAD";
    for (int rounds = 0; rounds < 100000; ++rounds) {
        ResponseParse parsed = parse_response(pending_, eof_, head_request);
        if (parsed.kind == ResponseParse::Kind::need_more) {
            if (eof_) co_return;
            if (co_await read_more() == ReadEnd::timeout) {
                // A close-delimited body whose end never came: judge the head all the same.
                parsed = parse_response(pending_, true, head_request);
                if (parsed.kind == ResponseParse::Kind::head) take_head(parsed, into);
                co_return;
            }
            continue; // data or a fresh EOF: parse again
        }
        if (parsed.kind == ResponseParse::Kind::malformed) {
            into.malformed = parsed.error;
            into.unparsed = pending_.substr(0, 64);
            co_return;
        }
        if (take_head(parsed, into)) co_return;
        if (into.interim.size() > 32) {
            into.malformed = "more than 32 interim (1xx) responses";
            co_return;
        }
    }
}

// Files a parsed head under `into`; true when it was the final one (or a 101).
bool Session::take_head(ResponseParse& parsed, Observation& into) {
    pending_.erase(0, std::min(parsed.consumed, pending_.size()));
    if (parsed.head.status / 100 == 1 && parsed.head.status != 101) {
        into.interim.push_back(std::move(parsed.head));
        return false;
    }
    into.head = std::move(parsed.head);
    into.body = std::move(parsed.body);
    into.body_complete = parsed.body_complete;
    return true;
}

// After the expected responses: anything more the target sends, until it closes.
awaitable<void> Session::read_until_close() {
    for (int extra = 0; extra < 3 && !eof_; ++extra) {
        Observation& more = seen_.later.emplace_back();
        co_await read_response(more);
        if (!more.head && more.malformed.empty()) {
            seen_.later.pop_back();
            co_return;
        }
    }
}

std::chrono::microseconds Session::elapsed() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
}

// Counts a received frame against the case's memory cap; false (and the case flooded) when
// the frames kept would pass it. The per-frame overhead counts too: empty PINGs add up.
bool Session::keep(std::size_t payload) {
    kept_frame_bytes_ += payload + sizeof(H2Frame);
    if (kept_frame_bytes_ <= options_.max_kept_bytes) return true;
    flood("more than " + ws::human_size(options_.max_kept_bytes) + " of frames after the switch");
    return false;
}

// Ends the case at a memory cap: the reason says what flooded and how much had arrived, the
// transcript marks the cut, and the judge reports it as not judged (error), never a verdict.
std::string Session::flood(const std::string& what) {
    if (seen_.flooded.empty()) {
        seen_.flooded = peer() + " flooded the connection: " + what + " (" +
                        ws::human_size(received_) + " received); the case stopped reading";
        mark("cut here: " + seen_.flooded);
    }
    eof_ = true;
    return seen_.flooded;
}

// Beyond its caps (bytes each way, events) the transcript keeps nothing more but one note:
// a flooding target, or a runner answering a flood of PINGs, must not balloon the reports.
void Session::record(Direction d, std::string bytes) {
    if (d == Direction::received || d == Direction::sent) {
        const bool received = d == Direction::received;
        std::size_t& kept = received ? kept_received_ : kept_sent_;
        if (kept >= transcript_cap)
            return cut_transcript(received ? "received bytes" : "sent bytes");
        bytes.resize(std::min(bytes.size(), transcript_cap - kept));
        kept += bytes.size();
    }
    if (result_.transcript.size() >= max_transcript_events) return cut_transcript("events");
    result_.transcript.push_back({d, elapsed(), std::move(bytes), leg_});
}

void Session::cut_transcript(const std::string& what) {
    if (!cut_noted_.insert(what).second) return;
    mark("later " + what + " not kept: the transcript keeps " + std::to_string(transcript_cap) +
         " bytes each way and " + std::to_string(max_transcript_events) + " events");
}

// A cut in the transcript is noted past every cap: the reader must see where it was cut.
void Session::mark(std::string text) {
    result_.transcript.push_back({Direction::note, elapsed(), std::move(text), leg_});
}

// Each operation gets the per-operation deadline, cut short by the whole case's deadline.
Clock::time_point Session::operation_deadline() const {
    return std::min(Clock::now() + options_.timeout, case_deadline_);
}

std::string Session::endpoint_text(const tcp::resolver::results_type& endpoints) {
    if (endpoints.empty()) return "(no address)";
    auto e = endpoints.begin()->endpoint();
    return e.address().to_string() + ":" + std::to_string(e.port());
}

// The connection ended (or its deadline passed): no more reading either way.
void Session::closed_by(const beast::error_code& ec) {
    eof_ = true;
    if (ec == beast::error::timeout) {
        seen_.timed_out = true;
        ++result_.deadline_waits;
        note("no data within the deadline");
        return;
    }
    seen_.closed = true;
    if (ec == asio::error::eof)
        record(Direction::eof, "");
    else if (ec == asio::error::connection_reset || ec == asio::error::broken_pipe)
        record(Direction::reset, ec.message());
    else
        note("connection ended: " + ec.message());
}

awaitable<ReadEnd> Session::read_more() {
    if (eof_) co_return ReadEnd::eof;
    if (pending_.size() >= options_.max_response_bytes) {
        note("stopped reading: more than " + std::to_string(options_.max_response_bytes) +
             " bytes unread");
        eof_ = true;
        read_capped_ = true;
        co_return ReadEnd::eof;
    }
    // TLS may have ended with the data of the previous read (a close_notify after it).
    if (tls_ && tls_->state() != tls::Client::State::open) co_return tls_ended();
    std::array<char, 16384> chunk;
    beast::error_code ec;
    arm_deadline();
    std::size_t n = co_await stream_.async_read_some(asio::buffer(chunk),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    std::string data(chunk.data(), n);
    received_ += n;
    if (tls_ && n > 0) data = co_await decrypt(data); // may be empty: a ticket, say
    if (!data.empty()) {
        pending_.append(data);
        record(Direction::received, data);
    }
    if (tls_ && data.empty() && tls_->state() != tls::Client::State::open) co_return tls_ended();
    if (!ec) co_return ReadEnd::data;
    closed_by(ec);
    co_return ec == beast::error::timeout ? ReadEnd::timeout : ReadEnd::eof;
}

// Raw bytes onto the connection, under the deadline.
awaitable<bool> Session::write_wire(const std::string& bytes) {
    beast::error_code ec;
    if (Clock::now() >= case_deadline_) { // nothing is written under a deadline already past
        note("the case's deadline passed before this write");
        closed_by(beast::error::timeout);
        co_return false;
    }
    arm_deadline();
    co_await asio::async_write(stream_, asio::buffer(bytes),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) co_return true;
    closed_by(ec);
    co_return false;
}

} // namespace upgradespec
