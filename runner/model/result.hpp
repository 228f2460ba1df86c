#pragma once
// What a run produced: the plain data the report writers read. No sockets, no Asio.
#include "model/requirement.hpp"
#include "model/verdict.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace upgradespec {

// One judgement: the case's own outcome, or a cross-cutting rule that fired on a response.
struct Finding {
    std::string requirement; // an id of the requirements catalogue (suite/requirements.json)
    Verdict verdict = Verdict::pass;
    std::string message;
    std::string rule; // empty for the case's own outcome, else the rule's id ("rule.426-upgrade")
};

enum class Direction { sent, received, eof, reset, note };
std::string_view to_string(Direction d);

// Which connection of a case an event happened on: the runner's connection to the target, or,
// in an intermediary case (--backend), the connection the proxy opened to the runner's backend.
enum class Leg { client, backend };
std::string_view to_string(Leg l);

// One event on the wire, as seen by the runner.
struct TranscriptEvent {
    Direction direction = Direction::note;
    std::chrono::microseconds offset{0}; // since the case started
    std::string bytes;                   // raw bytes (sent/received) or the note's text
    Leg leg = Leg::client;
};

// What a baseline waiver (--baseline) did to a case.
enum class WaiverStatus {
    waived,  // the case fails and the waiver holds: the failure does not fail the run
    expired, // the case fails and the waiver's date has passed: the failure counts
    stale,   // the case passes now: the waiver can go
    idle,    // the case was not judged (skip, error): the waiver neither applies nor is stale
};
std::string_view to_string(WaiverStatus s);
std::optional<WaiverStatus> parse_waiver_status(std::string_view text);

struct CaseWaiver {
    std::string reason;
    std::string expires; // YYYY-MM-DD (valid through that day, UTC); empty: never
    WaiverStatus status = WaiverStatus::waived;
};

// A waiver that waived nothing: its case passes now, or is not in the run.
struct StaleWaiver {
    std::string case_id;
    std::string reason;
    std::string expires;
    bool in_run = false; // true: the case ran and passed; false: no such case in the run
};

// One part of a sharded run (--shard K/N): index 1..count.
struct Shard {
    int index = 1;
    int count = 1;
    bool operator==(const Shard&) const = default;
};

struct CaseResult {
    std::string id;
    std::string title;
    std::string family; // the catalogue file's family ("websocket", "http-version", ...)
    std::string requirement;
    Level level = Level::must;
    std::vector<std::string> refs;
    std::vector<std::string> tags;
    std::vector<std::string> depends_on; // cases whose own outcome had to pass first

    Verdict verdict = Verdict::pass;
    std::vector<Finding> findings;
    std::string expected; // what would have passed, in words
    std::string observed; // what the target did, in words (status line, close, ...)
    std::vector<TranscriptEvent> transcript;
    std::chrono::microseconds started{0}; // since the first case of the run could start
    std::chrono::microseconds duration{0};
    int deadline_waits = 0;           // reads or connects that ended by their deadline
    std::optional<CaseWaiver> waiver; // the --baseline waiver naming this case
};

// A failure the baseline waives (it counts as waived, not failed).
bool is_waived(const CaseResult& c);

struct Summary {
    int passed = 0, failed = 0, warned = 0, info = 0, skipped = 0, errors = 0;
    int waived = 0; // failures a live baseline waiver covers: not counted in `failed`
    int total() const { return passed + failed + warned + info + skipped + errors + waived; }
    // Counts one case: waived, else its verdict as the run counts it (warn is fail under strict).
    void add(const CaseResult& c, bool strict);
};

struct RunResult {
    std::string tool_version;
    std::string target;     // the URL as given
    std::string started_at; // ISO 8601, UTC
    std::chrono::microseconds duration{0};
    bool strict = false; // SHOULD misses count as failures
    bool interrupted = false;
    std::string target_problem;        // set when the target could not be reached or died
    std::vector<std::string> detected; // what the run found out about the target (an echo)
    std::vector<CaseResult> cases;

    // What `merge` compares before combining shard reports.
    std::string catalogue_fingerprint; // SHA-256 hex of the catalogue's files; empty: unknown
    int selection_size = 0;            // cases selected before sharding
    std::optional<Shard> shard;        // set when this run is one shard of the selection
    std::string baseline_fingerprint;  // SHA-256 hex of the --baseline file; empty: none
    std::vector<StaleWaiver> stale_waivers;

    // The catalogue's entry for every requirement a case or a finding names: the writers put
    // its title and rule beside each finding.
    std::map<std::string, Requirement> requirements;

    Summary summary() const;
};

// The verdict a case counts as in the summary and the exit code (warn -> fail under --strict).
Verdict effective_verdict(const CaseResult& c, bool strict);

} // namespace upgradespec

namespace upgradespec {

// The process exit code for a finished run (README: 0 pass, 1 conformance failure, 130 interrupted,
// 3 infrastructure error or unreachable target, 4 no case selected or none judged). Waived
// failures do not count; an empty shard of a non-empty selection passes.
int exit_code(const RunResult& run);

} // namespace upgradespec
