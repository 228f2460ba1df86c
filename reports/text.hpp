#pragma once
// Text forms shared by the JUnit and console writers.
#include "model/result.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace upgradespec {

// "12.345": a duration in milliseconds with three decimals.
std::string format_ms(std::chrono::microseconds duration);

// Each event on its own lines: "[+12.345ms] >>> " (sent), "<<< " (received), "--- eof",
// "--- reset" or "--- note: ...", then printable(bytes). Pure ASCII, ends with a newline
// unless empty.
std::string transcript_text(const std::vector<TranscriptEvent>& events);

// Why a case was skipped: its skip finding's message, else what was observed (raw bytes).
std::string skip_reason(const CaseResult& c);

} // namespace upgradespec
