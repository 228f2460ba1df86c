#include "model/result.hpp"

namespace upgradespec {

std::string_view to_string(Direction d) {
    switch (d) {
    case Direction::sent:
        return "sent";
    case Direction::received:
        return "received";
    case Direction::eof:
        return "eof";
    case Direction::reset:
        return "reset";
    case Direction::note:
        return "note";
    }
    return "note";
}

std::string_view to_string(Leg l) {
    switch (l) {
    case Leg::client:
        return "client";
    case Leg::backend:
        return "backend";
    }
    return "client";
}

std::string_view to_string(WaiverStatus s) {
    switch (s) {
    case WaiverStatus::waived:
        return "waived";
    case WaiverStatus::expired:
        return "expired";
    case WaiverStatus::stale:
        return "stale";
    case WaiverStatus::idle:
        return "idle";
    }
    return "idle";
}

std::optional<WaiverStatus> parse_waiver_status(std::string_view text) {
    for (auto s :
         {WaiverStatus::waived, WaiverStatus::expired, WaiverStatus::stale, WaiverStatus::idle})
        if (to_string(s) == text) return s;
    return std::nullopt;
}

bool is_waived(const CaseResult& c) {
    return c.waiver && c.waiver->status == WaiverStatus::waived;
}

Verdict effective_verdict(const CaseResult& c, bool strict) {
    if (strict && c.verdict == Verdict::warn) return Verdict::fail;
    return c.verdict;
}

void Summary::add(const CaseResult& c, bool strict) {
    if (is_waived(c)) {
        ++waived;
        return;
    }
    switch (effective_verdict(c, strict)) {
    case Verdict::pass:
        ++passed;
        break;
    case Verdict::info:
        ++info;
        break;
    case Verdict::skip:
        ++skipped;
        break;
    case Verdict::warn:
        ++warned;
        break;
    case Verdict::fail:
        ++failed;
        break;
    case Verdict::error:
        ++errors;
        break;
    }
}

Summary RunResult::summary() const {
    Summary s;
    for (const auto& c : cases)
        s.add(c, strict);
    return s;
}

} // namespace upgradespec

namespace upgradespec {

int exit_code(const RunResult& run) {
    if (run.interrupted) return 130; // the shell's code for SIGINT: the run did not finish
    Summary s = run.summary();
    if (run.shard && run.cases.empty() && run.selection_size > 0) return 0; // others hold them
    if (!run.target_problem.empty()) return 3;
    if (s.total() == s.skipped) return 4; // nothing was judged: no gate should pass on that
    if (s.errors > 0) return 3;
    return s.failed > 0 ? 1 : 0;
}

} // namespace upgradespec
