#pragma once
// A case as loaded from the catalogue: data only, judged by checks/, run by engine/.
#include "model/verdict.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace upgradespec {

// What to send. Either raw text (every byte as written) or a named template from
// suite/templates.json with edits. Both may use {host}, {authority}, {path}, {ws_path},
// {plain_path}, {ws_key} and {nonce}; they are expanded per case by engine/request.
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
    std::optional<std::string> has_token;  // a comma-list member, case-insensitive
    std::optional<std::string> only_token; // exactly one list member, case-insensitive
    std::optional<int> count;              // number of field lines
    std::optional<bool> is_accept;         // equals the accept computed from the key sent
};

// How a held body ended (Send::hold_body_ms): a final answer, a 1xx, or nothing at all.
enum class HoldEnd { none, answered, continued, silent };

// The `when` of an outcome: every given member must hold.
struct Predicate {
    std::vector<std::string> status;     // "101", "4xx", ...: any of them matches
    std::vector<std::string> not_status; // none of them may match
    std::optional<bool> responded;       // a final (or 101) head was received
    std::optional<bool> closed;          // the target closed (EOF/reset) before any response
    std::optional<std::string> version;  // the status line's version
    std::optional<bool> body_empty;
    std::optional<bool> steps_ok; // every after_101 step held (false: one failed)
    std::map<std::string, HeaderCheck> headers;
    std::vector<std::string> interim;        // some 1xx (not 101) with one of these statuses
    std::optional<bool> interim_seen;        // any 1xx (not 101) before the final response
    std::optional<HoldEnd> during_hold;      // how the held body ended
    std::optional<int> responses;            // final (or 101) responses on the connection
    std::optional<bool> closed_after;        // the target closed after its responses
    std::shared_ptr<const Predicate> second; // holds for the second response
};

struct Outcome {
    Verdict verdict = Verdict::fail;
    Predicate when;
    std::string why;
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
};

// One step after a 101. Kinds:
//   send_frame   - send `frame`
//   expect_frame - read server frames until one with `opcode` (and `payload`, if set) arrives
//   expect_close - the server must close TCP (after a Close frame when close_frame_required)
//   expect_open  - the connection must stay open and quiet for `quiet_ms`
//   h2_preface, send_h2_frame, send_h2_raw, expect_h2_settings_first, expect_h2_settings_ack,
//   expect_h2_response, expect_h2_goaway, expect_h2_reset - HTTP/2 after an h2c 101 (`h2`)
//   start_tls    - a TLS handshake on the connection (RFC 2817 3.3); the server's first bytes must
//                  be a TLS record. With tls_start_only, TLS starting is enough: a failure of the
//                  handshake itself is only noted
//   expect_response_in_tls - the response to the original request arrives inside TLS
//   send_raw     - send `bytes` as they are (inside TLS when it is on)
//   expect_tls_close - the server closes the connection, sending nothing but TLS alerts first
struct Step {
    enum class Kind {
        send_frame,
        expect_frame,
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
        start_tls,
        expect_response_in_tls,
        send_raw,
        expect_tls_close
    } kind;
    FrameSpec frame;
    int opcode = 0;
    std::optional<std::string> payload;
    bool close_frame_required = false;
    int quiet_ms = 0;
    H2StepSpec h2;               // for the h2 kinds
    bool tls_start_only = false; // start_tls: a first TLS record is enough
    std::string bytes;           // send_raw
    std::string why;             // the failure message when an expectation does not hold
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
};

} // namespace upgradespec
