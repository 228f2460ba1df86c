#pragma once
// What the engine saw on one case's connection, before any judgement.
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
};

struct Observation {
    SentRequest request;
    std::vector<ResponseHead> interim; // 1xx heads other than 101, in order
    std::optional<ResponseHead> head;  // the final head, or the 101
    std::string body;                  // the final response's body (bounded)
    bool body_complete = false;        // the body ended by its framing (not by a limit)
    std::string malformed;             // why the response could not be parsed, if so
    bool closed = false;               // EOF or reset seen
    bool timed_out = false;            // a read ended by its deadline
    std::string connect_error;         // set when the target could not be reached

    // After a 101 (only when the case has after_101 steps)
    std::vector<ReceivedFrame> frames;
    bool steps_ran = false;
    std::string step_failure; // empty when every step held
};

} // namespace upgradespec
