#pragma once
// One case's connection (engine/session*.cpp): the session steps of a case, family by family.
// Only the engine includes this header: it brings Asio and Beast.
#include <utility> // before Asio: GCC 12 + Boost 1.74 coroutine support

#include "engine/executor.hpp"
#include "h2/hpack.hpp"
#include "model/case.hpp"
#include "model/observation.hpp"
#include "model/result.hpp"
#include "tls/client.hpp"
#include "wire/response_parser.hpp"
#include "ws/deflate.hpp"
#include "ws/expectation.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace upgradespec {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

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

// One case's connection: every operation under a deadline, every byte in the transcript.
// Once TLS is on, send() and read_more() go through it: everything above sees plaintext.
class Session {
  public:
    // The whole case is bounded by five --timeouts plus what it waits on purpose (`deliberate`).
    Session(asio::io_context& io, const RunOptions& options, CaseResult& result, Observation& seen,
            const TlsSetup& tls, std::chrono::milliseconds deliberate = {})
        : stream_(io), options_(options), result_(result), seen_(seen), tls_setup_(tls),
          started_(Clock::now()), case_deadline_(started_ + options.timeout * 5 + deliberate) {}
    // An intermediary case's other end: the connection the proxy opens to the runner's backend,
    // which the backend adopts once it answered a 101 on it. Its events go to the same transcript,
    // on the same clock and under the same deadline as `client`'s.
    Session(asio::io_context& io, const Session& client, Observation& seen)
        : Session(io, client.options_, client.result_, seen, client.tls_setup_) {
        started_ = client.started_;
        case_deadline_ = client.case_deadline_;
        leg_ = Leg::backend;
    }
    awaitable<bool> connect(const tcp::resolver::results_type& endpoints);
    awaitable<bool> send(const std::string& bytes);
    // A case's whole exchange: its requests, their responses, then what the case asks for.
    awaitable<void> converse(const Case& c, const std::string& first,
                             const std::vector<std::string>& follow_ups);
    awaitable<void> run_steps(const std::vector<Step>& steps);
    // The case's own listener (connect.listener), which check_listener inspects.
    void set_listener(tcp::acceptor* listener) { listener_ = listener; }
    // The session that runs an intermediary case's steps on the backend leg.
    void set_backend_leg(Session* backend) { backend_leg_ = backend; }
    // The backend leg: the proxy's connection, with what arrived on it after the 101's request.
    void adopt(tcp::socket connection, std::string pending);
    // The backend records what it received and answered outside the leg's own reads and writes.
    void transcribe(Direction d, std::string bytes) { record(d, std::move(bytes)); }
    void finish();

  private:
    // The first request, its body held back when the case says so, then any pipelined ones.
    awaitable<bool> send_first(const std::string& request, const std::string& pipelined,
                               int hold_ms);
    // Waits for the target to answer a held body. Polls rather than arming a read deadline:
    // Beast's deadline closes the socket, and the hold is no deadline but the thing under test.
    awaitable<HoldEnd> hold(std::chrono::milliseconds length);
    // Reads until one response is complete: 1xx heads in a loop, then a final head or a 101.
    awaitable<void> read_response(Observation& into);
    // Files a parsed head under `into`; true when it was the final one (or a 101).
    bool take_head(ResponseParse& parsed, Observation& into);
    // After the expected responses: anything more the target sends, until it closes.
    awaitable<void> read_until_close();
    std::chrono::microseconds elapsed() const;
    // Counts a received frame against the case's memory cap; false (and the case flooded) when
    // the frames kept would pass it. The per-frame overhead counts too: empty PINGs add up.
    bool keep(std::size_t payload);
    // Ends the case at a memory cap: the reason says what flooded and how much had arrived, the
    // transcript marks the cut, and the judge reports it as not judged (error), never a verdict.
    std::string flood(const std::string& what);
    // Beyond its caps (bytes each way, events) the transcript keeps nothing more but one note:
    // a flooding target, or a runner answering a flood of PINGs, must not balloon the reports.
    void record(Direction d, std::string bytes);
    void cut_transcript(const std::string& what); // "received bytes", "sent bytes", "events"
    void mark(std::string text);
    void note(const std::string& text) { record(Direction::note, text); }
    // Each operation gets the per-operation deadline, cut short by the whole case's deadline.
    Clock::time_point operation_deadline() const;
    void arm_deadline() { stream_.expires_at(operation_deadline()); }
    static std::string endpoint_text(const tcp::resolver::results_type& endpoints);
    // The connection ended (or its deadline passed): no more reading either way.
    void closed_by(const beast::error_code& ec);
    awaitable<ReadEnd> read_more();
    // Raw bytes onto the connection, under the deadline.
    awaitable<bool> write_wire(const std::string& bytes);
    // TLS records in, plaintext out; what TLS answers by itself (alerts, key updates) is sent.
    awaitable<std::string> decrypt(const std::string& records);
    // TLS ended: a close_notify, or a failure. No more reading either way.
    ReadEnd tls_ended();
    // The TLS handshake on this connection: at connect (wss://, https://) or after an RFC 2817
    // 101. "" once TLS is on, else why not. `started` says whether the server's first bytes were
    // a TLS record (0x16 handshake or 0x15 alert); bytes already received count as its first.
    awaitable<std::string> tls_handshake(bool& started);
    // More bytes for a frame decoder: "" when some arrived, else why none ever will.
    awaitable<std::string> read_more_for_frames();
    // The next whole frame from the server, or an empty optional with `why` set.
    awaitable<std::optional<ReceivedFrame>> next_frame(std::string& why);
    awaitable<std::string> run_step(const Step& step);
    // A step on the backend leg waits until the backend has the proxy's connection (its 101
    // written): "" then, else why the leg has none.
    awaitable<std::string> backend_connection();
    // Who is at the other end, for the failure texts: the target, or, on the backend leg, the
    // proxy that forwards to the runner.
    std::string peer() const { return leg_ == Leg::backend ? "the proxy" : "the server"; }
    // close_connection: this end closes; the other end (through the proxy) must see it.
    void close_connection();
    // RFC 8441 4: did the target open a TCP connection to the :authority of an extended CONNECT?
    // A tunnel is opened before its 2xx, so by the time the case read the answer the connection
    // waits in the listener's backlog: one non-blocking accept finds it without any waiting.
    awaitable<std::string> check_listener(const std::string& marker);
    // RFC 2817 3.3: TLS on the same connection right after the 101. The server's first bytes
    // must be a TLS record; once they are, a failed handshake (our parameters refused, a
    // certificate not trusted) leaves nothing to judge, unless TLS starting is all we ask.
    awaitable<std::string> start_tls(bool start_only);
    // RFC 2817 3.3: the response to the original request comes inside TLS, unasked. It is
    // filed beside the follow-up responses, so the response rules judge it too.
    awaitable<std::string> expect_response_in_tls();
    // RFC 2817 3.3: a failed TLS handshake ends in disconnection; alerts may come first, a
    // cleartext answer may not.
    awaitable<std::string> expect_tls_close();
    // An h2 step after an h2c 101: send its bytes, or read frames until h2::Expectation decides.
    awaitable<std::string> run_h2_step(const Step& step);
    // The next whole HTTP/2 frame from the server, or an empty optional with `why` set.
    awaitable<std::optional<H2Frame>> next_h2_frame(std::string& why);
    // Records a frame and its header block (HPACK needs every block, in order), and
    // acknowledges the server's SETTINGS and PINGs, as a client must (RFC 9113 6.5.3, 6.7).
    awaitable<void> keep_h2_frame(const H2Frame& f);
    // The connection's permessage-deflate context (RFC 7692 7.2.2), kept across messages and
    // steps; null when the 101 agreed none.
    ws::Inflater* server_inflater();
    // An expect_frame, expect_message or expect_close step: frames go to ws::Expectation until it
    // decides; the session records, sends and keeps what the answers say.
    awaitable<std::string> run_ws_expectation(const Step& step);
    // The expectation's answer to the next frame, or to the end of the input when none comes.
    awaitable<ws::Answer> next_answer(ws::Expectation& expectation);
    // Whether the reading that just ended left the connection closed or still open.
    ws::InputEnd input_end() const;
    awaitable<std::string> expect_open(int quiet_ms, bool frames_ok);
    std::optional<ReceivedFrame> pending_frame(std::string& why);
    std::string take_frames();
    void keep_unfinished_frame();

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
    std::set<std::string> cut_noted_;               // the cuts already noted
    std::size_t received_ = 0;                      // every byte received, for the flood message
    std::size_t kept_frame_bytes_ = 0;              // frames kept in the observation (keep())
    bool read_capped_ = false; // read_more stopped at max_response_bytes unread
    // One HPACK context per connection, made when the first HTTP/2 frame arrives.
    std::optional<h2::HeaderBlockReader> h2_blocks_;
    std::optional<h2::HpackEncoder> h2_encoder_; // made when the first request is sent
    tcp::acceptor* listener_ = nullptr;          // the case's own listener, if it has one
    Leg leg_ = Leg::client;
    Session* backend_leg_ = nullptr;        // an intermediary case's backend leg
    bool adopted_ = false;                  // the backend leg has the proxy's connection
    std::string pending_;                   // received and not yet consumed
    std::deque<ReceivedFrame> passed_over_; // frames expect_frame read past, for later steps
    std::optional<ws::Inflater> inflater_;  // permessage-deflate, once an expecting step reads
    bool eof_ = false;
};

} // namespace upgradespec
