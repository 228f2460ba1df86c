#pragma once
// A case as loaded from the catalogue: data only, judged by checks/, run by engine/.
#include "model/result.hpp"
#include "model/verdict.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace upgradespec {

// What to send. Either raw text (every byte as written) or a named template from
// suite/templates.json with edits. Both may use {host}, {authority}, {path}, {ws_path},
// {plain_path}, {ws_key} and {nonce}; they are expanded per case by engine/request
// (model/placeholders).
struct Send {
    std::string raw; // used when template_name is empty
    std::string template_name;
    std::optional<std::string> method, target, version;   // request-line edits
    std::vector<std::pair<std::string, std::string>> set; // replace (or append) a field
    std::vector<std::string> remove;                      // drop every line of a field
    std::vector<std::string> add;                         // append raw field lines as written
    std::optional<std::string> body;                      // appended after the head
    std::string then_bytes; // sent in the same write after the request (decoded from hex)
    int hold_body_ms = 0;   // write the head, then hold the body this long (or until a 1xx)
};

// A further request on the same connection, after the case's first one.
struct FollowUp {
    Send send;
    bool pipelined = false; // written with the first request, not after its response
};

// A check on one response field. Names match case-insensitively; values as described.
struct HeaderCheck {
    std::optional<bool> present;
    std::optional<std::string> equals; // exact value (all lines combined with ", ")
    std::optional<std::string> equals_nocase;
    std::optional<std::string> has_token;   // a comma-list member, case-insensitive
    std::optional<std::string> only_token;  // exactly one list member, case-insensitive
    std::optional<std::string> has_element; // a list member named so before any `;` parameters
    std::optional<int> count;               // number of field lines
    std::optional<bool> is_accept;          // equals the accept computed from the key sent
};

// How a held body ended (Send::hold_body_ms): a final answer, a 1xx, or nothing at all.
enum class HoldEnd { none, answered, continued, silent };

struct Predicate;

// The HTTP/1.x members of a `when`: the response to the case's request, and the connection
// around it (interim responses, a held body, the follow-up requests, the close).
struct Http1Predicate {
    std::vector<std::string> status;     // "101", "4xx", ...: any of them matches
    std::vector<std::string> not_status; // none of them may match
    std::optional<bool> responded;       // a final (or 101) head was received
    std::optional<bool> closed;          // the target closed (EOF/reset) before any response
    std::optional<bool> not_http;        // bytes arrived that are not an HTTP/1.x response
    std::optional<bool> h2_instead;      // ... and they begin with an HTTP/2 SETTINGS frame
    std::optional<std::string> version;  // the status line's version
    std::optional<bool> body_empty;
    std::map<std::string, HeaderCheck> headers;
    std::vector<std::string> interim;          // some 1xx (not 101) with one of these statuses
    std::optional<bool> interim_seen;          // any 1xx (not 101) before the final response
    std::optional<HoldEnd> during_hold;        // how the held body ended
    std::optional<int> responses;              // final (or 101) responses on the connection
    std::optional<bool> closed_after;          // the target closed after its responses
    std::optional<std::string> same_status_as; // the final status that case (a dependency) got
    std::shared_ptr<const Predicate> second;   // holds for the second response

    bool empty() const {
        return status.empty() && not_status.empty() && !responded && !closed && !not_http &&
               !h2_instead && !version && !body_empty && headers.empty() && interim.empty() &&
               !interim_seen && !during_hold && !responses && !closed_after && !same_status_as &&
               !second;
    }
};

// The TLS members: the handshake of the case's own connection (`connect`).
struct TlsPredicate {
    std::optional<std::string> alpn; // the protocol ALPN selected ("" for none)
    std::optional<bool> refused;     // the server ended the handshake with an alert

    bool empty() const { return !alpn && !refused; }
};

// The HTTP/2 members: the case's HTTP/2 connection (its `h2` steps, RFC 8441 cases).
struct H2Predicate {
    std::vector<std::string> status;                  // the first final :status on a client stream
    std::optional<std::vector<std::uint32_t>> reset;  // a RST_STREAM with one of (empty: any)
    std::optional<std::vector<std::uint32_t>> goaway; // a GOAWAY with one of (empty: any)
    std::map<std::string, HeaderCheck> headers;       // that response's fields
    std::map<std::uint16_t, std::vector<std::uint32_t>> settings; // server preface's values
    std::optional<std::string> listener; // what reached the case's listener: none, raw, ...

    bool empty() const {
        return status.empty() && !reset && !goaway && headers.empty() && settings.empty() &&
               !listener;
    }
};

// The backend members: what reached the runner's backend through the proxy (intermediary cases).
struct BackendPredicate {
    std::optional<int> requests;                // how many of the case's requests arrived
    std::map<std::string, HeaderCheck> headers; // hold on every request that arrived (one at least)
    std::optional<bool> marker;                 // the case's marker bytes arrived

    bool empty() const { return !requests && headers.empty() && !marker; }
};

// The `when` of an outcome: every given member must hold. The case files name the members
// flat (suite/schema/case.schema.json: `status`, `alpn`, `h2_status`, ...); the loader sorts
// them by protocol.
struct Predicate {
    Http1Predicate http1;
    TlsPredicate tls;
    H2Predicate h2;
    BackendPredicate backend;
    std::optional<bool> steps_ok; // every after_101 step held (false: one failed)
};

struct Outcome {
    Verdict verdict = Verdict::fail;
    Predicate when;
    std::string why;
    bool skips_dependents = false; // a warn whose dependents cannot run (what they need failed)
};

// A WebSocket frame the case sends after a 101.
struct FrameSpec {
    int opcode = 1;
    std::string payload;
    bool fin = true;
    bool mask = true;
    bool rsv1 = false, rsv2 = false, rsv3 = false;
    std::optional<int> close_code; // prefixed to payload for opcode 8
};

// The details of an HTTP/2 step after an h2c 101 (suite/README.md, "h2c steps").
struct H2StepSpec {
    int type = 0;              // send_h2_frame: the frame type
    int flags = 0;             // send_h2_frame
    std::uint32_t stream = 0;  // send_h2_frame, expect_h2_reset; expect_h2_response: 0 = any
    std::string payload;       // send_h2_frame, send_h2_raw: the bytes
    std::optional<int> status; // expect_h2_response: the :status it must carry
    // expect_h2_goaway, expect_h2_reset: the error codes that hold (any when empty), and
    // whether a close without a GOAWAY holds too.
    std::vector<std::uint32_t> errors;
    bool close_ok = true;
    bool head_only = false; // expect_h2_response: the final HEADERS suffice (a CONNECT's 2xx)
    std::vector<std::pair<std::string, std::string>> fields; // send_h2_headers, HPACK-encoded
    bool end_stream = false;                                 // send_h2_headers
    FrameSpec ws;                          // send_h2_ws_frame: a WebSocket frame in a DATA frame
    int ws_opcode = 0;                     // expect_h2_ws_frame
    std::optional<std::string> ws_payload; // expect_h2_ws_frame
};

// One step after a 101. Kinds:
//   send_frame   - send `frame`
//   expect_frame - read server frames until one with `opcode` (and `payload`, if set) arrives;
//                  the data frames passed over stay for the next step
//   expect_message - read server messages, reassembled from their fragments with control frames
//                  between them skipped, until one with `opcode` (and `payload`) arrives
//   expect_close - the server must close TCP (after a Close frame when close_frame_required)
//   expect_open  - the connection must stay open and quiet for `quiet_ms`
//   h2_preface, send_h2_frame, send_h2_raw, expect_h2_settings_first, expect_h2_settings_ack,
//   expect_h2_response, expect_h2_goaway, expect_h2_reset - HTTP/2 after an h2c 101 (`h2`)
//   send_h2_headers, send_h2_ws_frame, expect_h2_ws_frame - a request's HEADERS (HPACK), and
//                  WebSocket frames carried in DATA frames (RFC 8441 5)
//   check_listener - what reached the case's own listener (connect.listener), classified against
//                  the marker in h2.payload (RFC 8441 4: no TCP tunnel)
//   start_tls    - a TLS handshake on the connection (RFC 2817 3.3); the server's first bytes must
//                  be a TLS record. With tls_start_only, TLS starting is enough: a failure of the
//                  handshake itself is only noted
//   expect_response_in_tls - the response to the original request arrives inside TLS
//   send_raw     - send `bytes` as they are (inside TLS when it is on)
//   expect_tls_close - the server closes the connection, sending nothing but TLS alerts first
//   close_connection - this end closes its connection (an intermediary must pass the close on)
// In an intermediary case a step runs on the client's connection to the proxy, or, with
// leg = backend, on the connection the proxy opened to the runner's backend.
struct Step {
    enum class Kind {
        send_frame,
        expect_frame,
        expect_message,
        expect_close,
        expect_open,
        h2_preface,
        send_h2_frame,
        send_h2_raw,
        expect_h2_settings_first,
        expect_h2_settings_ack,
        expect_h2_response,
        expect_h2_goaway,
        expect_h2_reset,
        send_h2_headers,
        send_h2_ws_frame,
        expect_h2_ws_frame,
        check_listener,
        start_tls,
        expect_response_in_tls,
        send_raw,
        expect_tls_close,
        close_connection
    } kind;
    Leg leg = Leg::client;
    FrameSpec frame;
    int opcode = 0;
    std::optional<std::string> payload;
    bool close_frame_required = false;
    int quiet_ms = 0;
    bool frames_ok = false;      // expect_open: whole WebSocket frames may arrive (RFC 6455 4.2.2)
    H2StepSpec h2;               // for the h2 kinds
    bool tls_start_only = false; // start_tls: a first TLS record is enough
    std::string bytes;           // send_raw
    std::string why;             // the failure message when an expectation does not hold
};

// What an expecting HTTP/2 step (expect_h2_*) waits for; nullopt for the other kinds.
enum class H2Wait { settings_first, settings_ack, response, goaway, reset, ws_frame };
inline std::optional<H2Wait> h2_wait(Step::Kind kind) {
    using K = Step::Kind;
    static constexpr std::pair<K, H2Wait> waits[] = {
        {K::expect_h2_settings_first, H2Wait::settings_first},
        {K::expect_h2_settings_ack, H2Wait::settings_ack},
        {K::expect_h2_response, H2Wait::response},
        {K::expect_h2_goaway, H2Wait::goaway},
        {K::expect_h2_reset, H2Wait::reset},
        {K::expect_h2_ws_frame, H2Wait::ws_frame}};
    for (auto [expecting, wait] : waits)
        if (kind == expecting) return wait;
    return std::nullopt;
}

// How a case connects when it does not use the target's own connection (RFC 8441 cases):
// TLS from the first byte, on the target's TLS endpoint, offering these ALPN protocols.
struct Connect {
    bool tls = true;
    std::vector<std::string> alpn; // offered in this order
    // A loopback listener of the runner's own for this case, named by {listener_authority}:
    // the case sees whether the target connects to it (RFC 8441 4). Needs a loopback target.
    bool listener = false;
};

// How the runner's backend answers a request of an intermediary case that the proxy forwarded.
struct BackendAnswer {
    std::string if_field; // answers only a request that carries this field ("": any request)
    std::string respond;  // the raw response; {backend_accept}: the accept for the key received
    bool close = false;   // close the connection without any answer
    int silent_ms = 0;    // say nothing this long (reading on), then close without an answer
};

// An intermediary case's backend (--backend): the requests carrying its `Upgradespec-Case: {nonce}`
// line are its own; each gets the first answer that fits.
struct BackendScript {
    std::vector<BackendAnswer> answers;
    std::string marker; // bytes the client sends that must never reach the backend
};

struct Case {
    std::string id;
    std::string title;
    std::string family; // from the file name: suite/<family>.json
    std::string file;   // where it was loaded from, for error messages
    std::string requirement;
    std::vector<std::string> refs;
    Level level = Level::must;
    std::vector<std::string> needs;
    std::vector<std::string> tags;
    std::vector<std::string> depends_on; // ids that must pass first, else this case is skipped
    Send send;
    std::vector<FollowUp> then;    // more requests on the same connection
    bool read_until_close = false; // after the responses, read on until the target closes
    std::vector<Outcome> outcomes; // any-of: the first whose `when` holds decides
    Outcome otherwise;             // when none holds
    std::vector<Step> after_101;
    std::optional<Connect> connect; // its own connection, e.g. TLS with ALPN h2
    std::vector<Step> h2;           // HTTP/2 steps right after connecting (no HTTP/1.1 request)
    std::optional<BackendScript> backend; // an intermediary case: the runner plays the origin too
};

} // namespace upgradespec
