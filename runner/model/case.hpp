#pragma once
// A case as loaded from the catalogue: data only, judged by checks/, run by engine/.
#include "model/verdict.hpp"

#include <map>
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

// One step after a 101. Kinds:
//   send_frame   - send `frame`
//   expect_frame - read server frames until one with `opcode` (and `payload`, if set) arrives
//   expect_close - the server must close TCP (after a Close frame when close_frame_required)
//   expect_open  - the connection must stay open and quiet for `quiet_ms`
struct Step {
    enum class Kind { send_frame, expect_frame, expect_close, expect_open } kind;
    FrameSpec frame;
    int opcode = 0;
    std::optional<std::string> payload;
    bool close_frame_required = false;
    int quiet_ms = 0;
    std::string why; // the failure message when an expectation does not hold
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
    std::vector<Outcome> outcomes; // any-of: the first whose `when` holds decides
    Outcome otherwise;             // when none holds
    std::vector<Step> after_101;
};

} // namespace upgradespec
