#pragma once
// Parses back the request the runner sent, so rules can compare what was offered with the answer.
#include "model/observation.hpp"

#include <string_view>

namespace upgradespec {

// Lenient: the runner sends malformed requests on purpose. Method, target and version come
// from the first line split on single spaces (the version keeps anything after the second
// space; missing parts are empty). Field lines follow up to the first empty line: a line
// without a colon is skipped, names and values are OWS-trimmed, an obs-fold line (starting
// with SP or HTAB) is appended to the previous value with one space. `bytes` = the input.
// Never throws.
SentRequest parse_sent_request(std::string_view bytes);

} // namespace upgradespec
