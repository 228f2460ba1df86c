#pragma once
// Credentials the user gave (-H 'Authorization: ...', cookies) must not end up in reports.
#include "model/result.hpp"

#include <string>

namespace upgradespec {

// The request bytes with the values of Authorization, Proxy-Authorization and Cookie fields
// replaced by "<redacted>"; everything else, malformed lines included, stays as sent.
std::string redact_request(const std::string& bytes);

// Redacts every sent event of every case's transcript.
void redact_secrets(RunResult& run);

} // namespace upgradespec
