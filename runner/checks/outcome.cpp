#include "checks/outcome.hpp"

#include "h2/frame.hpp"
#include "wire/fields.hpp"
#include "ws/handshake.hpp"

#include <algorithm>
#include <cstdlib>

namespace upgradespec {

namespace {

bool status_matches(const std::string& pattern, int status) {
    if (pattern.size() == 3 && pattern.substr(1) == "xx") return status / 100 == pattern[0] - '0';
    return pattern == std::to_string(status);
}

bool any_status(const std::vector<std::string>& patterns, int status) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return status_matches(p, status); });
}

std::string sent_key(const SentRequest& request) {
    for (const auto& [name, value] : request.fields)
        if (iequals(name, "Sec-WebSocket-Key")) return value;
    return "";
}

// An HTTP/2 SETTINGS frame header (RFC 9113 6.5): a length that is a multiple of 6, type 4,
// stream 0. What a server that switched to h2c without a 101 sends first.
bool starts_h2_settings(std::string_view bytes) {
    if (bytes.size() < 9) return false;
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned length = byte(0) << 16 | byte(1) << 8 | byte(2);
    const bool stream_zero = (byte(5) & 0x7f) == 0 && byte(6) == 0 && byte(7) == 0 && byte(8) == 0;
    return byte(3) == 0x04 && length % 6 == 0 && stream_zero;
}

// A list member such as `permessage-deflate; client_max_window_bits` named `element`.
bool has_element(const std::vector<std::string>& tokens, const std::string& element) {
    return std::any_of(tokens.begin(), tokens.end(), [&](const std::string& token) {
        return iequals(trim_ows(std::string_view(token).substr(0, token.find(';'))), element);
    });
}

bool header_holds(const std::string& name, const HeaderCheck& check, const ResponseHead& head,
                  const Observation& seen, const Placeholders& vars) {
    std::vector<std::string> lines = head.values(name);
    std::optional<std::string> combined = head.combined(name);
    std::vector<std::string> tokens;
    for (const auto& line : lines)
        for (auto& token : split_list(line))
            tokens.push_back(token);

    if (check.present && *check.present != !lines.empty()) return false;
    if (check.count && *check.count != static_cast<int>(lines.size())) return false;
    if (check.equals && combined != expand(*check.equals, vars)) return false;
    if (check.equals_nocase &&
        (!combined || !iequals(*combined, expand(*check.equals_nocase, vars))))
        return false;
    if (check.has_token && !has_token(lines, expand(*check.has_token, vars))) return false;
    if (check.has_element && !has_element(tokens, expand(*check.has_element, vars))) return false;
    if (check.only_token &&
        (tokens.size() != 1 || !iequals(tokens.front(), expand(*check.only_token, vars))))
        return false;
    if (check.is_accept) {
        bool right = combined && lines.size() == 1 &&
                     *combined == ws::compute_accept(sent_key(seen.request));
        if (*check.is_accept != right) return false;
    }
    return true;
}

int response_count(const Observation& seen) {
    int count = seen.head ? 1 : 0;
    for (const auto& later : seen.later)
        count += later.head ? 1 : 0;
    return count;
}

// The HTTP/1.x members about the connection as a whole: interim responses, a held body,
// follow-ups.
bool holds_for_connection(const Http1Predicate& when, const Observation& seen,
                          const Placeholders& vars) {
    auto interim_matches = [&](const ResponseHead& h) {
        return any_status(when.interim, h.status);
    };
    if (!when.interim.empty() &&
        std::none_of(seen.interim.begin(), seen.interim.end(), interim_matches))
        return false;
    if (when.interim_seen && *when.interim_seen == seen.interim.empty()) return false;
    if (when.during_hold && *when.during_hold != seen.hold_end) return false;
    if (when.responses && *when.responses != response_count(seen)) return false;
    if (when.closed_after && *when.closed_after != seen.closed_after) return false;
    if (when.second && (seen.later.empty() || !holds(*when.second, seen.later.front(), vars)))
        return false;
    return true;
}

// The first final response on a client stream of the case's HTTP/2 connection, as a head.
std::optional<ResponseHead> h2_response(const Observation& seen) {
    for (const auto& block : seen.h2_headers) {
        if (block.frame_type != h2::type::headers || block.stream % 2 == 0 || !block.error.empty())
            continue;
        ResponseHead head{"HTTP/2", 0, "", block.fields};
        for (const auto& [name, value] : block.fields)
            if (name == ":status") head.status = std::atoi(value.c_str());
        if (head.status >= 200 || head.status == 101) return head; // 101: no interim in h2
    }
    return std::nullopt;
}

bool reset_with(const std::vector<std::uint32_t>& codes, const Observation& seen) {
    for (const auto& f : seen.h2_frames) {
        if (f.type != h2::type::rst_stream || f.stream == 0) continue;
        auto code = h2::decode_rst_stream(f.payload);
        if (code && (codes.empty() || std::find(codes.begin(), codes.end(), *code) != codes.end()))
            return true;
    }
    return false;
}

bool goaway_with(const std::vector<std::uint32_t>& codes, const Observation& seen) {
    for (const auto& f : seen.h2_frames) {
        if (f.type != h2::type::goaway || f.stream != 0) continue;
        auto goaway = h2::decode_goaway(f.payload);
        if (goaway && (codes.empty() ||
                       std::find(codes.begin(), codes.end(), goaway->error_code) != codes.end()))
            return true;
    }
    return false;
}

// A setting's initial value (RFC 9113 6.5.2; RFC 8441 3): what an absent setting means.
std::uint32_t initial_value(std::uint16_t id) {
    switch (id) {
    case h2::setting::header_table_size:
        return 4096;
    case h2::setting::enable_push:
        return 1;
    case h2::setting::initial_window_size:
        return 65535;
    case h2::setting::max_frame_size:
        return 16384;
    case h2::setting::max_concurrent_streams:
    case h2::setting::max_header_list_size:
        return 0xffffffff; // unlimited
    default:
        return 0; // ENABLE_CONNECT_PROTOCOL and unknown settings
    }
}

// The server preface's SETTINGS hold every listed value (false when none arrived).
bool settings_hold(const std::map<std::uint16_t, std::vector<std::uint32_t>>& wanted,
                   const Observation& seen) {
    for (const auto& f : seen.h2_frames) {
        if (f.type != h2::type::settings || f.stream != 0 || (f.flags & h2::flag::ack)) continue;
        auto settings = h2::decode_settings(f.payload);
        if (!settings) return false;
        for (const auto& [id, allowed] : wanted) {
            std::uint32_t value = initial_value(id);
            for (const auto& s : *settings)
                if (s.id == id) value = s.value;
            if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) return false;
        }
        return true;
    }
    return false;
}

// The members about the case's own TLS connection.
bool holds_for_tls(const TlsPredicate& when, const Observation& seen) {
    if (when.alpn && seen.alpn != *when.alpn) return false;
    if (when.refused && *when.refused == seen.tls_refused.empty()) return false;
    return true;
}

// The members about the case's own HTTP/2 connection (RFC 8441 cases).
bool holds_for_h2(const H2Predicate& when, const Observation& seen, const Placeholders& vars) {
    if (when.listener && seen.listener_saw != *when.listener) return false;
    if (when.reset && !reset_with(*when.reset, seen)) return false;
    if (when.goaway && !goaway_with(*when.goaway, seen)) return false;
    if (!when.settings.empty() && !settings_hold(when.settings, seen)) return false;
    if (when.status.empty() && when.headers.empty()) return true;
    auto response = h2_response(seen);
    if (!response) return false;
    if (!when.status.empty() && !any_status(when.status, response->status)) return false;
    for (const auto& [name, check] : when.headers)
        if (!header_holds(name, check, *response, seen, vars)) return false;
    return true;
}

// The HTTP/1.x members: the response to the case's request and the connection around it.
bool holds_for_http1(const Http1Predicate& when, const Observation& seen,
                     const Placeholders& vars) {
    const bool responded = seen.head.has_value();
    if (when.responded && *when.responded != responded) return false;
    if (when.closed && *when.closed != (!responded && seen.closed)) return false;
    if (when.not_http && *when.not_http != (!responded && !seen.malformed.empty())) return false;
    if (when.h2_instead && *when.h2_instead != (!responded && starts_h2_settings(seen.unparsed)))
        return false;
    if (!when.status.empty() && (!responded || !any_status(when.status, seen.head->status)))
        return false;
    if (!when.not_status.empty() && (!responded || any_status(when.not_status, seen.head->status)))
        return false;
    if (when.version && (!responded || seen.head->version != *when.version)) return false;
    if (when.body_empty && (!responded || seen.body.empty() != *when.body_empty)) return false;
    if (when.same_status_as) {
        auto earlier = seen.dependency_statuses.find(*when.same_status_as);
        if (!responded || earlier == seen.dependency_statuses.end() ||
            earlier->second != seen.head->status)
            return false;
    }
    for (const auto& [name, check] : when.headers)
        if (!responded || !header_holds(name, check, *seen.head, seen, vars)) return false;
    return holds_for_connection(when, seen, vars);
}

// The members about what reached the runner's backend through the proxy (intermediary cases).
bool holds_for_backend(const BackendPredicate& when, const Observation& seen,
                       const Placeholders& vars) {
    const auto& requests = seen.backend_requests;
    if (when.requests && *when.requests != static_cast<int>(requests.size())) return false;
    if (when.marker && *when.marker != seen.backend_marker) return false;
    if (!when.headers.empty() && requests.empty()) return false;
    for (const auto& request : requests) {
        const ResponseHead fields{request.version, 0, "", request.fields};
        for (const auto& [name, check] : when.headers)
            if (!header_holds(name, check, fields, seen, vars)) return false;
    }
    return true;
}

} // namespace

bool holds(const Predicate& when, const Observation& seen, const Placeholders& vars) {
    if (when.steps_ok && (!seen.steps_ran || seen.step_failure.empty() != *when.steps_ok))
        return false;
    return (when.http1.empty() || holds_for_http1(when.http1, seen, vars)) &&
           (when.tls.empty() || holds_for_tls(when.tls, seen)) &&
           (when.h2.empty() || holds_for_h2(when.h2, seen, vars)) &&
           (when.backend.empty() || holds_for_backend(when.backend, seen, vars));
}

const Outcome& decided_outcome(const Case& c, const Observation& seen, const Placeholders& vars) {
    for (const auto& outcome : c.outcomes)
        if (holds(outcome.when, seen, vars)) return outcome;
    return c.otherwise;
}

bool lets_dependents_run(const Case& c, const Observation& seen, const Placeholders& vars) {
    if (!seen.connect_error.empty()) return false;
    const Outcome& decided = decided_outcome(c, seen, vars);
    switch (decided.verdict) {
    case Verdict::pass:
    case Verdict::info:
        return true;
    case Verdict::warn:
        return !decided.skips_dependents;
    case Verdict::skip:
    case Verdict::fail:
    case Verdict::error:
        return false;
    }
    return false;
}

Finding judge_outcome(const Case& c, const Observation& seen, const Placeholders& vars) {
    if (!seen.connect_error.empty())
        return {c.requirement, Verdict::error, "could not judge: " + seen.connect_error, ""};
    if (!seen.flooded.empty())
        return {c.requirement, Verdict::error, "could not judge: " + seen.flooded, ""};
    const Outcome* decided = &decided_outcome(c, seen, vars);
    std::string message = decided->why;
    if (!seen.step_failure.empty() && decided->verdict != Verdict::pass)
        message += (message.empty() ? "" : ": ") + seen.step_failure;
    if (message.empty()) message = std::string(to_string(decided->verdict));
    return {c.requirement, decided->verdict, message, ""};
}

} // namespace upgradespec
