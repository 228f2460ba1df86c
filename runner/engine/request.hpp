#pragma once
// Turns a case's `send` into the exact bytes to write.
#include "model/case.hpp"
#include "model/placeholders.hpp"
#include "model/target.hpp"

#include <map>
#include <string>

namespace upgradespec {

// {host}, {port}, {authority}, {path} (the URL's path), {ws_path}, {plain_path}, {tls_path}
// (a resource that needs TLS), plus a fresh {ws_key} and {nonce}.
Placeholders placeholders_for(const Target& target);

// The request bytes: a raw text expanded, or a template with the case's edits applied.
// The target's extra fields (-H) are added to template requests only: raw requests are sent
// exactly as written. Throws std::out_of_range for an unknown template (the loader checks names).
std::string build_request(const Send& send, const std::map<std::string, std::string>& templates,
                          const Target& target, const Placeholders& vars);

} // namespace upgradespec
