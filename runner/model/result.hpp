#pragma once
// What a run produced: the plain data the report writers read. No sockets, no Asio.
#include "model/verdict.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace upgradespec {

// One judgement: the case's own outcome, or a cross-cutting rule that fired on a response.
struct Finding {
    std::string requirement; // an id from REQUIREMENTS.md
    Verdict verdict = Verdict::pass;
    std::string message;
    std::string rule; // empty for the case's own outcome, else the rule's id ("rule.426-upgrade")
};

enum class Direction { sent, received, eof, reset, note };
std::string_view to_string(Direction d);

// One event on the wire, as seen by the runner.
struct TranscriptEvent {
    Direction direction = Direction::note;
    std::chrono::microseconds offset{0}; // since the case started
    std::string bytes;                   // raw bytes (sent/received) or the note's text
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
    std::chrono::microseconds duration{0};
    int deadline_waits = 0; // reads or connects that ended by their deadline
};

struct Summary {
    int passed = 0, failed = 0, warned = 0, info = 0, skipped = 0, errors = 0;
    int total() const { return passed + failed + warned + info + skipped + errors; }
};

struct RunResult {
    std::string tool_version;
    std::string target;     // the URL as given
    std::string started_at; // ISO 8601, UTC
    std::chrono::microseconds duration{0};
    bool strict = false; // SHOULD misses count as failures
    bool interrupted = false;
    std::string target_problem; // set when the target could not be reached or died
    std::vector<CaseResult> cases;

    Summary summary() const;
};

// The verdict a case counts as in the summary and the exit code (warn -> fail under --strict).
Verdict effective_verdict(const CaseResult& c, bool strict);

} // namespace upgradespec

namespace upgradespec {

// The process exit code for a finished run (README: 0 pass, 1 conformance failure, 130 interrupted,
// 3 infrastructure error or unreachable target, 4 no case selected or none judged).
int exit_code(const RunResult& run);

} // namespace upgradespec
