#include "reports/text.hpp"

#include "reports/escape.hpp"

#include <algorithm>

namespace upgradespec {

namespace {

std::string event_text(const TranscriptEvent& event) {
    switch (event.direction) {
    case Direction::sent:
        return ">>> " + printable(event.bytes);
    case Direction::received:
        return "<<< " + printable(event.bytes);
    case Direction::eof:
        return "--- eof";
    case Direction::reset:
        return "--- reset";
    case Direction::note:
        return "--- note: " + printable_line(event.bytes);
    }
    return "--- note: " + printable_line(event.bytes);
}

} // namespace

std::string format_ms(std::chrono::microseconds duration) {
    const long long us = duration.count() < 0 ? 0 : duration.count();
    std::string fraction = std::to_string(us % 1000);
    fraction.insert(0, 3 - fraction.size(), '0');
    return std::to_string(us / 1000) + "." + fraction;
}

std::string transcript_text(const std::vector<TranscriptEvent>& events) {
    // An intermediary case interleaves two connections: each line names its own.
    const bool two_legs = std::any_of(events.begin(), events.end(), [](const TranscriptEvent& e) {
        return e.leg == Leg::backend;
    });
    std::string out;
    for (const auto& event : events) {
        out += "[+" + format_ms(event.offset) + "ms] ";
        if (two_legs) out += event.leg == Leg::backend ? "backend " : "client  ";
        out += event_text(event);
        if (out.back() != '\n') out += '\n';
    }
    return out;
}

std::string skip_reason(const CaseResult& c) {
    for (const auto& f : c.findings)
        if (f.verdict == Verdict::skip && !f.message.empty()) return f.message;
    return c.observed.empty() ? "skipped" : c.observed;
}

} // namespace upgradespec
