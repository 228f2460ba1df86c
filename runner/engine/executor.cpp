// The one translation unit with Asio: connections, deadlines, scheduling.
#include <utility> // before Asio: GCC 12 + Boost 1.74 coroutine support

#include "engine/executor.hpp"
#include "engine/interrupts.hpp"

#include "checks/extensions.hpp"
#include "checks/judge.hpp"
#include "checks/outcome.hpp"
#include "encoding/quote.hpp"
#include "engine/h2_case.hpp"
#include "engine/request.hpp"
#include "engine/schedule.hpp"
#include "h2/frame.hpp"
#include "h2/hpack.hpp"
#include "h2/steps.hpp"
#include "tls/client.hpp"
#include "wire/fields.hpp"
#include "wire/request_head.hpp"
#include "wire/response_parser.hpp"
#include "ws/frame.hpp"
#include "ws/message.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

namespace upgradespec {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

enum class ReadEnd { data, eof, timeout };

// What a Session needs to speak TLS: the run's context and the name to send and verify.
struct TlsSetup {
    const tls::Context* context = nullptr;
    std::optional<std::vector<std::string>> alpn; // replaces the context's offer (`connect.alpn`)
    std::string server_name;
    bool at_connect = false; // wss://, https://: the handshake follows the TCP connect
    // A case's own TLS connection (`connect`): a handshake the server ends with an alert is
    // its answer (e.g. to an ALPN offer it refuses), not an infrastructure error.
    bool refusal_is_an_answer = false;
};

// "HTTP/1.1 200 OK" or "\x15\x03\x03": the start of what the server sent, for messages.
std::string printable_start(std::string_view bytes) {
    return escaped(bytes.substr(0, std::min<std::size_t>(bytes.find('\r'), 48)));
}

// Why `bytes` are not only TLS alert records ("" when they are, or when there are none).
std::string not_tls_alerts(std::string_view bytes) {
    for (std::size_t at = 0; at < bytes.size();) {
        if (bytes[at] != 0x15)
            return bytes.substr(at, 5) == "HTTP/"
                       ? "a cleartext HTTP response: " + printable_start(bytes.substr(at))
                       : "bytes that are not a TLS alert: " + printable_start(bytes.substr(at));
        if (bytes.size() - at < 5) break; // a record header still arriving
        at += 5 + ((static_cast<unsigned char>(bytes[at + 3]) << 8) |
                   static_cast<unsigned char>(bytes[at + 4]));
    }
    return "";
}

// One case's connection: every operation under a deadline, every byte in the transcript.
// Once TLS is on, send() and read_more() go through it: everything above sees plaintext.
class Session {
  public:
    // The whole case is bounded by five --timeouts plus what it waits on purpose (`deliberate`).
    Session(asio::io_context& io, const RunOptions& options, CaseResult& result, Observation& seen,
            const TlsSetup& tls, std::chrono::milliseconds deliberate = {})
        : stream_(io), options_(options), result_(result), seen_(seen), tls_setup_(tls),
          started_(Clock::now()), case_deadline_(started_ + options.timeout * 5 + deliberate) {}

    awaitable<bool> connect(const tcp::resolver::results_type& endpoints) {
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

    awaitable<bool> send(const std::string& bytes) {
        record(Direction::sent, bytes);
        if (!tls_) co_return co_await write_wire(bytes);
        tls_->send(bytes);
        std::string records = tls_->take_output();
        co_return co_await write_wire(records);
    }

    // A case's whole exchange: its requests, their responses, then what the case asks for.
    awaitable<void> converse(const Case& c, const std::string& first,
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

    awaitable<void> run_steps(const std::vector<Step>& steps) {
        seen_.steps_ran = true;
        for (const auto& step : steps) {
            std::string failure = co_await run_step(step);
            if (failure.empty()) continue;
            seen_.step_failure = step.why.empty() ? failure : step.why + " (" + failure + ")";
            co_return;
        }
    }

    // The case's own listener (connect.listener), which check_listener inspects.
    void set_listener(tcp::acceptor* listener) { listener_ = listener; }

    void finish() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.socket().close(ignored);
        result_.duration = elapsed();
    }

  private:
    // The first request, its body held back when the case says so, then any pipelined ones.
    awaitable<bool> send_first(const std::string& request, const std::string& pipelined,
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
    awaitable<HoldEnd> hold(std::chrono::milliseconds length) {
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
    awaitable<void> read_response(Observation& into) {
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
    bool take_head(ResponseParse& parsed, Observation& into) {
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
    awaitable<void> read_until_close() {
        for (int extra = 0; extra < 3 && !eof_; ++extra) {
            Observation& more = seen_.later.emplace_back();
            co_await read_response(more);
            if (!more.head && more.malformed.empty()) {
                seen_.later.pop_back();
                co_return;
            }
        }
    }

    std::chrono::microseconds elapsed() const {
        return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
    }

    // Counts a received frame against the case's memory cap; false (and the case flooded) when
    // the frames kept would pass it. The per-frame overhead counts too: empty PINGs add up.
    bool keep(std::size_t payload) {
        kept_frame_bytes_ += payload + sizeof(H2Frame);
        if (kept_frame_bytes_ <= options_.max_kept_bytes) return true;
        flood("more than " + size_text(options_.max_kept_bytes) + " of frames after the switch");
        return false;
    }

    // Ends the case at a memory cap: the reason says what flooded and how much had arrived, the
    // transcript marks the cut, and the judge reports it as not judged (error), never a verdict.
    std::string flood(const std::string& what) {
        if (seen_.flooded.empty()) {
            seen_.flooded = "the server flooded the connection: " + what + " (" +
                            size_text(received_) + " received); the case stopped reading";
            note("cut here: " + seen_.flooded);
        }
        eof_ = true;
        return seen_.flooded;
    }

    static std::string size_text(std::size_t bytes) {
        return bytes >= (1u << 20) ? std::to_string(bytes >> 20) + " MiB"
                                   : std::to_string(bytes) + " bytes";
    }

    // Beyond its caps (bytes each way, events) the transcript keeps nothing more but one note:
    // a flooding target, or a runner answering a flood of PINGs, must not balloon the reports.
    void record(Direction d, std::string bytes) {
        if (d != Direction::note) {
            std::size_t& kept = d == Direction::received ? kept_received_ : kept_sent_;
            if (kept >= transcript_cap) return cut_transcript(d);
            bytes.resize(std::min(bytes.size(), transcript_cap - kept));
            kept += bytes.size();
        }
        if (result_.transcript.size() >= max_transcript_events) return cut_transcript(d);
        result_.transcript.push_back({d, elapsed(), std::move(bytes)});
    }

    void cut_transcript(Direction d) {
        const char* what = d == Direction::received ? "received bytes"
                           : d == Direction::sent   ? "sent bytes"
                                                    : "notes";
        if (!cut_noted_.insert(d).second) return;
        result_.transcript.push_back({Direction::note, elapsed(),
                                      std::string("later ") + what +
                                          " not kept: the transcript keeps " +
                                          std::to_string(transcript_cap) + " bytes each way and " +
                                          std::to_string(max_transcript_events) + " events"});
    }

    void note(const std::string& text) { record(Direction::note, text); }

    // Each operation gets the per-operation deadline, cut short by the whole case's deadline.
    Clock::time_point operation_deadline() const {
        return std::min(Clock::now() + options_.timeout, case_deadline_);
    }
    void arm_deadline() { stream_.expires_at(operation_deadline()); }

    static std::string endpoint_text(const tcp::resolver::results_type& endpoints) {
        if (endpoints.empty()) return "(no address)";
        auto e = endpoints.begin()->endpoint();
        return e.address().to_string() + ":" + std::to_string(e.port());
    }

    // The connection ended (or its deadline passed): no more reading either way.
    void closed_by(const beast::error_code& ec) {
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

    awaitable<ReadEnd> read_more() {
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
        std::size_t n = co_await stream_.async_read_some(
            asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        std::string data(chunk.data(), n);
        received_ += n;
        if (tls_ && n > 0) data = co_await decrypt(data); // may be empty: a ticket, say
        if (!data.empty()) {
            pending_.append(data);
            record(Direction::received, data);
        }
        if (tls_ && data.empty() && tls_->state() != tls::Client::State::open)
            co_return tls_ended();
        if (!ec) co_return ReadEnd::data;
        closed_by(ec);
        co_return ec == beast::error::timeout ? ReadEnd::timeout : ReadEnd::eof;
    }

    // Raw bytes onto the connection, under the deadline.
    awaitable<bool> write_wire(const std::string& bytes) {
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

    // TLS records in, plaintext out; what TLS answers by itself (alerts, key updates) is sent.
    awaitable<std::string> decrypt(const std::string& records) {
        tls_->receive(records);
        std::string reply = tls_->take_output();
        if (!reply.empty()) co_await write_wire(reply);
        co_return tls_->take_plaintext();
    }

    // TLS ended: a close_notify, or a failure. No more reading either way.
    ReadEnd tls_ended() {
        if (!eof_) {
            note(tls_->state() == tls::Client::State::closed
                     ? "the server closed TLS (close_notify)"
                     : "TLS failed: " + tls_->error());
            eof_ = true;
            seen_.closed = true;
        }
        return ReadEnd::eof;
    }

    // The TLS handshake on this connection: at connect (wss://, https://) or after an RFC 2817
    // 101. "" once TLS is on, else why not. `started` says whether the server's first bytes were
    // a TLS record (0x16 handshake or 0x15 alert); bytes already received count as its first.
    awaitable<std::string> tls_handshake(bool& started) {
        started = false;
        try {
            tls_ = std::make_unique<tls::Client>(*tls_setup_.context, tls_setup_.server_name,
                                                 tls_setup_.alpn);
        } catch (const tls::Error& e) {
            co_return e.what(); // the system's CA store did not load
        }
        tls_->start();
        note("TLS ClientHello for " + tls_setup_.server_name);
        std::string wire = std::exchange(pending_, {});
        bool recorded = true; // pending_ was recorded when it arrived
        for (int rounds = 0; rounds < 64; ++rounds) {
            if (!wire.empty() && !started) {
                if (wire[0] != 0x16 && wire[0] != 0x15) {
                    if (!recorded) record(Direction::received, wire);
                    co_return "the server answered in cleartext instead of TLS: " +
                        printable_start(wire);
                }
                started = true;
                note(wire[0] == 0x16 ? "the server answered with a TLS handshake record"
                                     : "the server answered with a TLS alert");
            }
            tls_->receive(wire);
            std::string out = tls_->take_output();
            if (!out.empty() && !co_await write_wire(out))
                co_return "the connection ended during the TLS handshake";
            if (tls_->state() == tls::Client::State::open) {
                note("TLS handshake done: " + tls_->summary());
                pending_ = tls_->take_plaintext();
                if (!pending_.empty()) record(Direction::received, pending_);
                co_return "";
            }
            if (tls_->state() != tls::Client::State::handshaking) {
                note("TLS handshake failed: " + tls_->error());
                co_return tls_->error();
            }
            beast::error_code ec;
            std::array<char, 16384> chunk;
            arm_deadline();
            std::size_t n = co_await stream_.async_read_some(
                asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
            wire.assign(chunk.data(), n);
            recorded = false;
            if (n == 0 && ec) {
                closed_by(ec);
                co_return ec == beast::error::timeout
                    ? "no TLS answer within the deadline"
                    : "the server closed the connection during the TLS handshake";
            }
        }
        co_return "the TLS handshake did not end";
    }

    // More bytes for a frame decoder: "" when some arrived, else why none ever will.
    awaitable<std::string> read_more_for_frames() {
        ReadEnd end = co_await read_more();
        if (read_capped_)
            co_return flood("more than " + size_text(options_.max_response_bytes) +
                            " unread (a frame larger than that)");
        if (end == ReadEnd::timeout)
            co_return "nothing more from the server within " +
                std::to_string(options_.timeout.count()) + " ms";
        if (end == ReadEnd::eof) co_return "the server closed the connection";
        co_return "";
    }

    // The next whole frame from the server, or an empty optional with `why` set.
    awaitable<std::optional<ReceivedFrame>> next_frame(std::string& why) {
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

    awaitable<std::string> run_step(const Step& step) {
        if (is_h2_step(step.kind)) co_return co_await run_h2_step(step);
        switch (step.kind) {
        case Step::Kind::send_frame:
            co_return co_await send(ws::encode_frame(step.frame)) ? ""
                                                                  : "the frame could not be sent";
        case Step::Kind::expect_frame:
            co_return co_await expect_frame(step);
        case Step::Kind::expect_message:
            co_return co_await expect_message(step);
        case Step::Kind::expect_close:
            co_return co_await expect_close(step.close_frame_required);
        case Step::Kind::expect_open:
            co_return co_await expect_open(step.quiet_ms);
        default: // the HTTP/2 kinds, run above
            break;
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
        }
        co_return "unknown step";
    }

    // RFC 8441 4: did the target open a TCP connection to the :authority of an extended CONNECT?
    // A tunnel is opened before its 2xx, so by the time the case read the answer the connection
    // waits in the listener's backlog: one non-blocking accept finds it without any waiting.
    awaitable<std::string> check_listener(const std::string& marker) {
        if (!listener_) co_return "the case has no listener";
        beast::error_code ec;
        listener_->non_blocking(true, ec);
        tcp::socket peer(stream_.get_executor());
        listener_->accept(peer, ec);
        if (ec) {
            seen_.listener_saw = "none";
            note("nothing connected to the case's listener");
            co_return "";
        }
        note("the target connected to the case's listener");
        beast::tcp_stream tunnel(std::move(peer));
        std::string got;
        for (int reads = 0; reads < 64 && got.size() < 65536; ++reads) {
            if (listener_bytes_complete(got, marker)) break;
            std::array<char, 4096> chunk;
            tunnel.expires_at(operation_deadline());
            std::size_t n = co_await tunnel.async_read_some(
                asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
            got.append(chunk.data(), n);
            if (ec) break;
        }
        note("the listener received: " + printable_start(got));
        seen_.listener_saw = classify_listener_bytes(got, marker);
        co_return "";
    }

    // RFC 2817 3.3: TLS on the same connection right after the 101. The server's first bytes
    // must be a TLS record; once they are, a failed handshake (our parameters refused, a
    // certificate not trusted) leaves nothing to judge, unless TLS starting is all we ask.
    awaitable<std::string> start_tls(bool start_only) {
        if (tls_) co_return "TLS is already on";
        bool started = false;
        std::string failure = co_await tls_handshake(started);
        if (failure.empty() || !started) co_return failure;
        if (start_only) co_return "";
        seen_.connect_error = "the TLS handshake after the 101 failed: " + failure;
        co_return failure;
    }

    // RFC 2817 3.3: the response to the original request comes inside TLS, unasked. It is
    // filed beside the follow-up responses, so the response rules judge it too.
    awaitable<std::string> expect_response_in_tls() {
        if (!tls_ || tls_->state() != tls::Client::State::open) co_return "TLS is not on";
        Observation& inside = seen_.later.emplace_back();
        inside.request = seen_.request;
        co_await read_response(inside);
        if (inside.head) co_return "";
        if (!inside.malformed.empty())
            co_return "inside TLS the server sent no HTTP response: " + inside.malformed;
        if (seen_.timed_out)
            co_return "no response inside TLS within the deadline: the server seems to wait "
                      "for the request to be sent again";
        co_return "the server closed the connection without answering inside TLS";
    }

    // RFC 2817 3.3: a failed TLS handshake ends in disconnection; alerts may come first, a
    // cleartext answer may not.
    awaitable<std::string> expect_tls_close() {
        std::string got = std::exchange(pending_, {});
        for (int reads = 0; reads < 64; ++reads) {
            if (auto problem = not_tls_alerts(got); !problem.empty())
                co_return "the server answered with " + problem;
            ReadEnd end = co_await read_more();
            got += std::exchange(pending_, {});
            if (end == ReadEnd::timeout)
                co_return "the connection was still open " +
                    std::to_string(options_.timeout.count()) + " ms later";
            if (end == ReadEnd::eof) {
                auto problem = not_tls_alerts(got);
                co_return problem.empty() ? "" : "the server answered with " + problem;
            }
        }
        co_return "the server kept sending";
    }

    // An h2 step after an h2c 101: send its bytes, or read frames until h2::Expectation decides.
    awaitable<std::string> run_h2_step(const Step& step) {
        if (h2::is_sending(step)) {
            if (!h2_encoder_) h2_encoder_.emplace();
            if (step.kind == Step::Kind::send_h2_headers)
                seen_.h2_sent.push_back({step.h2.stream, h2::type::headers, step.h2.fields, ""});
            co_return co_await send(h2::step_bytes(step, *h2_encoder_))
                ? ""
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
    awaitable<std::optional<H2Frame>> next_h2_frame(std::string& why) {
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
    awaitable<void> keep_h2_frame(const H2Frame& f) {
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

    // A compressed message's text, in place, with the context the 101 agreed (RFC 7692 7.2.2);
    // "" or why it cannot be had. Every compressed message must come through here, in order.
    std::string inflate(std::string& message) {
        if (!inflater_) {
            auto agreed = agreed_server_deflate(seen_);
            if (!agreed)
                return "a message came compressed (RSV1) without permessage-deflate agreed";
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
    awaitable<std::string> expect_frame(const Step& step) {
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
            if (frame->opcode == step.opcode &&
                (!step.payload || frame->payload == *step.payload)) {
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
    awaitable<std::string> expect_message(const Step& step) {
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
            if (message->opcode == step.opcode &&
                (!step.payload || message->payload == *step.payload))
                co_return "";
            if (passed_over++ == 0) { // one note: a flood of messages must not flood the transcript
                ReceivedFrame whole{.opcode = message->opcode,
                                    .payload = std::move(message->payload)};
                note("passed over a message other than the one expected: " + ws::describe(whole));
            }
        }
        co_return "expected " + wanted + ", but the server sent 1000 other frames";
    }

    // The server must close TCP; a Close frame it sends first is answered, as a client does.
    awaitable<std::string> expect_close(bool close_frame_required) {
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

    awaitable<std::string> expect_open(int quiet_ms) {
        // The case's deadline includes its quiet windows: it cuts one short only after a stall.
        const auto until =
            std::min(Clock::now() + std::chrono::milliseconds(quiet_ms), case_deadline_);
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

    beast::tcp_stream stream_;
    const RunOptions& options_;
    CaseResult& result_;
    Observation& seen_;
    const TlsSetup& tls_setup_;
    std::unique_ptr<tls::Client> tls_; // set once TLS is on: every byte then goes through it
    Clock::time_point started_;
    Clock::time_point
        case_deadline_; // bounds a target that trickles bytes to stay under each read's deadline
    static constexpr std::size_t transcript_cap = 64 * 1024;
    static constexpr std::size_t max_transcript_events = 500;
    std::size_t kept_received_ = 0, kept_sent_ = 0; // bytes kept in the transcript
    std::set<Direction> cut_noted_;                 // the cuts already noted
    std::size_t received_ = 0;                      // every byte received, for the flood message
    std::size_t kept_frame_bytes_ = 0;              // frames kept in the observation (keep())
    bool read_capped_ = false; // read_more stopped at max_response_bytes unread
    // One HPACK context per connection, made when the first HTTP/2 frame arrives.
    std::optional<h2::HeaderBlockReader> h2_blocks_;
    std::optional<h2::HpackEncoder> h2_encoder_; // made when the first request is sent
    tcp::acceptor* listener_ = nullptr;          // the case's own listener, if it has one
    std::string pending_;                        // received and not yet consumed
    std::deque<ReceivedFrame> passed_over_;      // frames expect_frame read past, for later steps
    std::optional<ws::Inflater> inflater_;       // permessage-deflate, once a message needs it
    bool eof_ = false;
};

std::string what_of(std::exception_ptr thrown) {
    try {
        std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

bool lists(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string unmet_need(const Case& c, const Target& target) {
    for (const auto& need : c.needs)
        if (auto why = target.unmet(need); !why.empty()) return why;
    return "";
}

class Executor {
  public:
    Executor(const std::vector<Case>& cases, const Catalogue& catalogue, const Target& target,
             const RunOptions& options)
        : cases_(cases), catalogue_(catalogue), target_(target), options_(options),
          results_(cases.size()), own_verdicts_(cases.size(), Verdict::skip) {
        for (std::size_t i = 0; i < cases.size(); ++i)
            index_[cases[i].id] = i;
    }

    RunOutcome run() {
        Schedule schedule(cases_); // a cycle or a missing dependency throws before any I/O
        RunOutcome outcome;
        try {
            outcome = run_all(schedule);
        } catch (const std::exception& e) {
            outcome = internal_error(e.what());
        }
        // Held again, a second signal cannot end the process while the reports are written.
        hold_interrupts();
        return outcome;
    }

  private:
    RunOutcome run_all(Schedule& schedule) {
        if (std::string problem = prepare_tls(); !problem.empty()) return not_judged(problem);
        std::string resolve_error = resolve();
        if (!resolve_error.empty())
            return not_judged("the target could not be reached: " + resolve_error);
        // SIGINT/SIGTERM stop the run at once: finished cases are kept, the rest are not run.
        interrupts_.async_wait([this](const beast::error_code& ec, int) {
            if (ec) return;
            interrupted_ = true;
            io_.stop();
        });
        release_interrupts(); // a signal held since the CLI started is caught now
        spawn(check_alive("before the run"));
        drain();
        if (!target_problem_.empty() && !interrupted_) return not_judged(target_problem_);
        if (!interrupted_) {
            run_start_ = Clock::now();
            schedule_ = &schedule;
            if (options_.detect_echo && target_.websocket_endpoint && !target_.websocket_echo)
                spawn(detect_echo(hold_cases_needing("websocket-echo")));
            start_ready_cases();
            drain();
        }
        interrupts_.cancel();
        if (!failure_.empty()) return internal_error(failure_);
        if (interrupted_) mark_not_run("not run: the run was interrupted");
        return {std::move(results_), target_problem_, interrupted_, std::move(detected_)};
    }

    // An exception no case caught: the cases without a result are not judged, and the run says
    // why (exit 3), so the reports are still written whole.
    RunOutcome internal_error(const std::string& what) {
        const std::string problem = "internal error: " + what;
        for (std::size_t i = 0; i < cases_.size(); ++i)
            if (results_[i].id.empty()) results_[i] = unjudged_case(cases_[i], problem);
        return {std::move(results_), problem, interrupted_, std::move(detected_)};
    }

    // The pending interrupt wait keeps io_ busy forever: each batch of coroutines stops it when
    // the last one ends, so run() returns.
    void spawn(awaitable<void> task) {
        ++active_;
        asio::co_spawn(io_, std::move(task), [this](std::exception_ptr thrown) {
            if (thrown && failure_.empty()) failure_ = what_of(thrown);
            if (--active_ == 0) io_.stop();
        });
    }

    void drain() {
        if (active_ > 0) io_.run();
        io_.restart();
    }

    // Cases that never finished (an interrupted run) get a skip with the reason.
    void mark_not_run(const std::string& reason) {
        for (std::size_t i = 0; i < cases_.size(); ++i)
            if (results_[i].id.empty()) results_[i] = skipped_case(cases_[i], reason);
    }

    RunOutcome not_judged(const std::string& problem) {
        for (std::size_t i = 0; i < cases_.size(); ++i)
            finish(i, unjudged_case(cases_[i], problem));
        return {std::move(results_), problem};
    }

    // The TLS context every connection shares (wss://, https://, RFC 2817 upgrades).
    std::string prepare_tls() {
        try {
            tls_context_.emplace(options_.tls);
        } catch (const tls::Error& e) {
            return std::string("the TLS settings cannot be used: ") + e.what();
        }
        tls_setup_ = {.context = &*tls_context_,
                      .server_name = options_.tls.sni.empty() ? target_.host : options_.tls.sni,
                      .at_connect = target_.uses_tls()};
        return "";
    }

    std::string resolve() {
        beast::error_code ec;
        tcp::resolver resolver(io_);
        // --resolve: the URL's host stays in Host and SNI, the address is where to connect.
        const std::string& where =
            target_.connect_address.empty() ? target_.host : target_.connect_address;
        endpoints_ = resolver.resolve(where, target_.port, ec);
        if (ec) return "could not resolve " + where + ": " + ec.message();
        // The TLS endpoint of the cases with their own connection: the target itself over TLS,
        // or --tls-port beside a cleartext one.
        tls_endpoints_ = endpoints_;
        if (target_.uses_tls() || target_.tls_port.empty()) return "";
        tls_endpoints_ = resolver.resolve(where, target_.tls_port, ec);
        if (ec) return "could not resolve " + where + " (TLS port): " + ec.message();
        return "";
    }

    // What the target answers a request of the catalogue's templates, outside any case.
    awaitable<Observation> probe(const Case& probe) {
        Placeholders vars = placeholders_for(target_);
        std::string bytes = build_request(probe.send, catalogue_.templates, target_, vars);
        Observation seen;
        CaseResult ignored;
        Session session(io_, options_, ignored, seen, tls_setup_);
        seen.request = parse_sent_request(bytes);
        if (co_await session.connect(endpoints_)) co_await session.converse(probe, bytes, {});
        session.finish();
        co_return seen;
    }

    // The cases that need `need`, held back in the schedule until released.
    std::vector<std::size_t> hold_cases_needing(const std::string& need) {
        std::vector<std::size_t> held;
        for (std::size_t i = 0; i < cases_.size(); ++i)
            if (lists(cases_[i].needs, need)) held.push_back(i);
        for (std::size_t i : held)
            schedule_->hold(i);
        return held;
    }

    // A bare URL: one text message after a clean handshake tells whether the endpoint echoes, so
    // the echo cases run against an echo server without --echo (--no-echo turns this off). The
    // other cases run meanwhile; the echo cases (`waiting`) start once it is known.
    awaitable<void> detect_echo(std::vector<std::size_t> waiting) {
        const std::string text = "upgradespec echo probe";
        Case echo;
        echo.send.template_name = "ws-upgrade";
        Step send{.kind = Step::Kind::send_frame};
        send.frame = FrameSpec{.opcode = 1, .payload = text};
        Step expect{.kind = Step::Kind::expect_message};
        expect.opcode = 1;
        expect.payload = text;
        echo.after_101 = {send, expect};
        const Observation seen = co_await probe(echo);
        const bool switched = seen.head && seen.head->status == 101;
        target_.websocket_echo = switched && seen.steps_ran && seen.step_failure.empty();
        if (target_.websocket_echo)
            detected_.push_back("the WebSocket endpoint echoes a text message: the echo cases run "
                                "(--no-echo turns this detection off)");
        else
            detected_.push_back(
                "the WebSocket endpoint did not echo a text message (" +
                (switched ? seen.step_failure : std::string("the handshake got no 101")) +
                "): the echo cases are skipped (--echo runs them all the same)");
        for (std::size_t i : waiting)
            schedule_->release(i);
        start_ready_cases();
    }

    // A plain GET: any HTTP response means the target is alive. Sets target_problem_ if not.
    awaitable<void> check_alive(std::string when) {
        Case plain;
        plain.send.template_name = "plain-get";
        const Observation seen = co_await probe(plain);
        if (seen.head) co_return;
        if (!seen.connect_error.empty()) {
            target_problem_ = "the target could not be reached " + when + ": " + seen.connect_error;
            co_return;
        }
        std::string why = seen.timed_out ? "no answer within the deadline"
                                         : "the connection closed without an answer";
        target_problem_ = "the target did not answer a plain GET " + when + ": " + why;
    }

    // Fills the free --jobs slots with ready cases, longest known wait first.
    void start_ready_cases() {
        while (running_ < std::max(1, options_.jobs)) {
            auto index = schedule_->next();
            if (!index) return;
            ++running_;
            spawn(run_in_slot(*index));
        }
    }

    // One case in one of the --jobs slots. A destructive case keeps its slot, and its dependents
    // wait, until the liveness probe after it has answered; the other slots go on meanwhile.
    awaitable<void> run_in_slot(std::size_t index) {
        const Case& c = cases_[index];
        CaseResult result;
        if (!target_problem_.empty()) {
            result = unjudged_case(c, "not judged: " + target_problem_);
        } else {
            const auto started = Clock::now();
            try {
                result = co_await run_one(c);
            } catch (...) {
                result = unjudged_case(c, "internal error: " + what_of(std::current_exception()));
            }
            result.started =
                std::chrono::duration_cast<std::chrono::microseconds>(started - run_start_);
        }
        const bool probe_after = lists(c.tags, "destructive") && target_problem_.empty();
        finish(index, std::move(result));
        if (probe_after) co_await check_alive("after " + c.id);
        schedule_->done(index);
        --running_;
        start_ready_cases();
    }

    void finish(std::size_t index, CaseResult result) {
        own_verdicts_[index] =
            result.findings.empty() ? result.verdict : result.findings.front().verdict;
        if (options_.on_case_finished) options_.on_case_finished(result);
        results_[index] = std::move(result);
    }

    std::string blocked_by(const Case& c) const {
        if (auto need = unmet_need(c, target_); !need.empty()) return need;
        for (const auto& dep : c.depends_on) {
            if (dependable_.count(dep)) continue;
            // A dependency kept from running by a claim this case does not need holds nothing
            // back: the case judges on its own (h2c cases after an unclaimed switch).
            const std::size_t at = index_.at(dep);
            if (!unmet_need(cases_[at], target_).empty()) continue;
            Verdict v = own_verdicts_[at];
            return "depends on " + dep + ", whose outcome was " + std::string(to_string(v)) +
                   (v == Verdict::warn ? " without what this case needs" : "");
        }
        return "";
    }

    awaitable<CaseResult> run_one(const Case& c) {
        if (auto reason = blocked_by(c); !reason.empty()) co_return skipped_case(c, reason);

        Placeholders vars = placeholders_for(target_);
        Observation seen;
        for (const auto& dep : c.depends_on)
            if (auto status = statuses_.find(dep); status != statuses_.end())
                seen.dependency_statuses.insert(*status);
        CaseResult timing; // collects transcript, duration and deadline waits
        TlsSetup case_tls = tls_setup_;
        if (c.connect) {
            case_tls.alpn = c.connect->alpn;
            case_tls.at_connect = true;
            case_tls.refusal_is_an_answer = true;
        }
        std::optional<tcp::acceptor> listener;
        if (c.connect && c.connect->listener) {
            std::string why = open_listener(listener, vars);
            if (!why.empty()) co_return skipped_case(c, why);
        }
        Session session(io_, options_, timing, seen, case_tls, deliberate_wait(c));
        session.set_listener(listener ? &*listener : nullptr);
        std::string bytes;
        std::vector<std::string> follow_ups;
        if (c.h2.empty()) {
            bytes = build_request(c.send, catalogue_.templates, target_, vars);
            for (const auto& follow_up : c.then)
                follow_ups.push_back(
                    build_request(follow_up.send, catalogue_.templates, target_, vars));
            seen.request = parse_sent_request(bytes);
        }
        const auto& endpoints = c.connect ? tls_endpoints_ : endpoints_;
        const Case run = c.h2.empty() ? Case{} : with_h2_fields_expanded(c, vars);
        if (co_await session.connect(endpoints))
            co_await session.converse(c.h2.empty() ? c : run, bytes, follow_ups);
        session.finish();

        CaseResult result = judge_case(c, seen, vars);
        if (lets_dependents_run(c, seen, vars)) dependable_.insert(c.id);
        if (seen.head) statuses_[c.id] = seen.head->status;
        result.transcript = std::move(timing.transcript);
        result.duration = timing.duration;
        result.deadline_waits = timing.deadline_waits;
        co_return result;
    }

    // A loopback listener for a case (XC-NO-TCP-TUNNEL), named by {listener_authority}. Only for a
    // target on loopback, which can reach it: else why not.
    std::string open_listener(std::optional<tcp::acceptor>& listener, Placeholders& vars) {
        if (tls_endpoints_.empty()) return "needs a TLS endpoint";
        auto address = tls_endpoints_.begin()->endpoint().address();
        if (!address.is_loopback())
            return "needs a listener the target can reach: the runner opens one on loopback, and "
                   "the target is not on loopback";
        beast::error_code ec;
        listener.emplace(io_);
        tcp::endpoint where(address, 0);
        listener->open(where.protocol(), ec);
        if (!ec) listener->bind(where, ec);
        if (!ec) listener->listen(8, ec);
        if (ec) return "could not open a loopback listener: " + ec.message();
        vars["listener_authority"] = listener_authority(address.to_string(), address.is_v6(),
                                                        listener->local_endpoint().port());
        return "";
    }

    const std::vector<Case>& cases_;
    const Catalogue& catalogue_;
    Target target_; // a copy: what the run detects (an echo endpoint) is added to it
    const RunOptions& options_;
    asio::io_context io_;
    asio::signal_set interrupts_{io_, SIGINT, SIGTERM};
    bool interrupted_ = false;
    int active_ = 0;      // coroutines spawned and not yet ended
    int running_ = 0;     // cases in their --jobs slots
    std::string failure_; // what a coroutine threw that no case caught
    Schedule* schedule_ = nullptr;
    Clock::time_point run_start_; // when the first case could start (CaseResult::started)
    std::vector<CaseResult> results_;
    std::vector<Verdict> own_verdicts_;   // each case's own outcome, for depends_on
    std::map<std::string, int> statuses_; // each finished case's final status, for same_status_as
    std::set<std::string> dependable_;    // cases whose dependents may run (lets_dependents_run)
    std::map<std::string, std::size_t> index_;
    tcp::resolver::results_type endpoints_;
    tcp::resolver::results_type tls_endpoints_; // for cases with their own TLS connection
    std::string target_problem_;                // set once the target failed a liveness probe
    std::vector<std::string> detected_;         // what the run found out about the target
    std::optional<tls::Context> tls_context_;
    TlsSetup tls_setup_;
};

} // namespace

RunOutcome run_cases(const std::vector<Case>& cases, const Catalogue& catalogue,
                     const Target& target, const RunOptions& options) {
    return Executor(cases, catalogue, target, options).run();
}

} // namespace upgradespec
