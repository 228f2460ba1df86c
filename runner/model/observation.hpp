#pragma once
// What the engine saw on one case's connection, before any judgement.
#include "model/case.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace upgradespec {

using Fields = std::vector<std::pair<std::string, std::string>>; // in wire order, as received

// A response head as received: status line parts and every field line in order.
struct ResponseHead {
    std::string version; // "HTTP/1.1" as written on the status line
    int status = 0;
    std::string reason;
    Fields fields;

    // Every value of a field (case-insensitive name), one per line.
    std::vector<std::string> values(std::string_view name) const;
    // All lines of a field joined with ", " (RFC 9110 5.3); nullopt when absent.
    std::optional<std::string> combined(std::string_view name) const;
    bool has(std::string_view name) const { return !values(name).empty(); }
};

// A request as the runner sent it, parsed back so rules can compare offers with answers.
struct SentRequest {
    std::string method, target, version;
    Fields fields;
    std::string bytes; // every byte written
};

// A WebSocket frame received from the server.
struct ReceivedFrame {
    bool fin = true, rsv1 = false, rsv2 = false, rsv3 = false, masked = false;
    int opcode = 0;
    std::string payload;        // unmasked
    bool minimal_length = true; // the length used its shortest encoding
    bool truncated = false;     // only the header arrived (payload empty): judge the header alone
};

// An HTTP/2 frame received after an h2c 101 (RFC 9113 4.1).
struct H2Frame {
    int type = 0;
    int flags = 0;
    std::uint32_t stream = 0; // without the reserved bit
    std::string payload;
};

// A header block received over HTTP/2 (HEADERS or PUSH_PROMISE with its CONTINUATION frames),
// decoded with HPACK in arrival order.
struct H2HeaderBlock {
    std::uint32_t stream = 0;
    int frame_type = 0x1; // HEADERS or PUSH_PROMISE
    Fields fields;        // in order, as decoded; empty when `error` is set
    std::string error;    // why the block could not be decoded
};

struct Observation {
    SentRequest request;
    std::vector<ResponseHead> interim; // 1xx heads other than 101, in order
    std::optional<ResponseHead> head;  // the final head, or the 101
    std::string body;                  // the final response's body (bounded)
    bool body_complete = false;        // the body ended by its framing (not by a limit)
    std::string malformed;             // why the response could not be parsed, if so
    std::string unparsed;              // then the first bytes that came instead (at most 64)
    bool closed = false;               // EOF or reset seen
    bool timed_out = false;            // a read ended by its deadline
    std::string connect_error;         // set when the target could not be reached
    std::string flooded;               // the case hit a memory cap: what flooded, how much arrived

    // The connection as a whole (set on the first request's observation)
    HoldEnd hold_end = HoldEnd::none; // how a held body ended
    std::vector<Observation> later;   // the responses to the follow-up requests, in order
    bool closed_after = false;        // EOF or reset after the responses (read_until_close)
    std::map<std::string, int> dependency_statuses; // the final status each depends_on case got

    // After a 101 (only when the case has after_101 steps)
    std::vector<ReceivedFrame> frames;
    std::vector<H2Frame> h2_frames;        // HTTP/2 frames (h2 steps), in order
    std::vector<H2HeaderBlock> h2_headers; // their header blocks, decoded
    std::optional<int> h2_status;          // the :status that expect_h2_response read
    std::string h2_unreadable;             // why the server's bytes stopped being HTTP/2 frames
    bool steps_ran = false;
    std::string step_failure; // empty when every step held

    // A case with its own TLS connection (`connect`)
    std::string alpn;                   // the protocol ALPN selected, "" for none
    std::string tls_refused;            // the handshake ended with the server's alert: what it said
    std::vector<H2HeaderBlock> h2_sent; // the request header blocks sent (send_h2_headers)
    // check_listener: "none" (nothing connected), "raw" (the marker arrived: a TCP tunnel),
    // "handshake" (an HTTP WebSocket handshake: a gateway), "other"; "" when not checked
    std::string listener_saw;

    // An intermediary case: what reached the runner's backend through the proxy
    std::vector<SentRequest> backend_requests; // the case's requests, in arrival order
    bool backend_marker = false;               // the case's marker bytes arrived
};

} // namespace upgradespec
