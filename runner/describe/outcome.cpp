#include "describe/outcome.hpp"

#include "model/ascii.hpp"
#include "model/protocol_words.hpp"

#include <algorithm>

namespace upgradespec {

namespace {

using Parts = std::vector<std::string>;

std::string join(const Parts& items, const std::string& separator) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

std::string said(const std::optional<bool>& member, const char* yes, const char* no) {
    return *member ? yes : no;
}

// The response to the request itself: its status line, body, or what came instead.
void describe_response(const Http1Predicate& p, Parts& parts) {
    if (!p.status.empty()) parts.push_back("status " + join(p.status, " or "));
    if (!p.not_status.empty()) parts.push_back("a status other than " + join(p.not_status, ", "));
    if (p.responded) parts.push_back(said(p.responded, "a response", "no response"));
    if (p.closed)
        parts.push_back(said(p.closed, "the connection closed", "the connection not closed"));
    if (p.not_http)
        parts.push_back(
            said(p.not_http, "bytes that are not an HTTP/1.x response", "no unparseable answer"));
    if (p.h2_instead)
        parts.push_back(said(p.h2_instead,
                             "an HTTP/2 SETTINGS frame instead of an HTTP/1.x response",
                             "no HTTP/2 frame instead of a response"));
    if (p.version) parts.push_back("version " + *p.version);
    if (p.body_empty) parts.push_back(said(p.body_empty, "an empty body", "a non-empty body"));
}

std::string hold_words(HoldEnd end) {
    switch (end) {
    case HoldEnd::none:
        return "";
    case HoldEnd::answered:
        return "an answer while the body was held";
    case HoldEnd::continued:
        return "a 1xx while the body was held";
    case HoldEnd::silent:
        return "silence while the body was held";
    }
    return "";
}

// The connection around the response: interim responses, a held body, follow-ups, the close.
void describe_connection(const Http1Predicate& p, Parts& parts) {
    if (!p.interim.empty()) parts.push_back("an interim " + join(p.interim, " or "));
    if (p.interim_seen)
        parts.push_back(said(p.interim_seen, "an interim response", "no interim response"));
    if (p.during_hold) parts.push_back(hold_words(*p.during_hold));
    if (p.responses) parts.push_back(std::to_string(*p.responses) + " response(s)");
    if (p.closed_after)
        parts.push_back(said(p.closed_after, "then a close", "the connection kept open"));
    if (p.same_status_as) parts.push_back("the status " + *p.same_status_as + " got");
    if (p.second) parts.push_back("a second response with " + describe(*p.second));
}

void describe_tls(const TlsPredicate& p, Parts& parts) {
    if (p.alpn)
        parts.push_back(p.alpn->empty() ? "no protocol selected by ALPN"
                                        : "ALPN selecting " + *p.alpn);
    if (p.refused)
        parts.push_back(said(p.refused, "the TLS handshake refused with an alert",
                             "the TLS handshake accepted"));
}

// The HTTP/2 members but the response's fields (they come with the HTTP/1.x fields, last).
void describe_h2(const H2Predicate& p, Parts& parts) {
    if (!p.status.empty()) parts.push_back(":status " + join(p.status, " or "));
    if (p.listener) parts.push_back("the listener seeing " + *p.listener);
    auto frame = [&](const char* name, const std::vector<std::uint32_t>& codes) {
        std::string with;
        for (auto code : codes)
            with += (with.empty() ? " with " : " or ") + h2::error_name(code);
        parts.push_back(name + with);
    };
    if (p.reset) frame("RST_STREAM", *p.reset);
    if (p.goaway) frame("GOAWAY", *p.goaway);
    for (const auto& [id, values] : p.settings) {
        std::string list;
        for (auto v : values)
            list += (list.empty() ? "" : " or ") + std::to_string(v);
        parts.push_back("the server's SETTINGS with setting " + std::to_string(id) + " = " + list);
    }
}

// What reached the runner's backend through the proxy (its request fields come last).
void describe_backend(const BackendPredicate& p, Parts& parts) {
    if (p.requests) parts.push_back(std::to_string(*p.requests) + " request(s) at the backend");
    if (p.marker)
        parts.push_back(said(p.marker, "the marker reaching the backend",
                             "the marker never reaching the backend"));
}

std::string describe_check(const std::string& name, const HeaderCheck& check) {
    std::string h = name;
    if (check.present) h += *check.present ? " present" : " absent";
    if (check.equals) h += " = \"" + *check.equals + "\"";
    if (check.equals_nocase) h += " = \"" + *check.equals_nocase + "\" (any case)";
    if (check.has_token) h += " listing " + *check.has_token;
    if (check.has_element) h += " with an element " + *check.has_element;
    if (check.only_token) h += " exactly " + *check.only_token;
    if (check.count) h += " on " + std::to_string(*check.count) + " line(s)";
    if (check.is_accept) h += *check.is_accept ? " matching the key sent" : " not matching the key";
    return h;
}

} // namespace

// The parts keep the order the catalogue's documents have always had: the response, the steps,
// the connection, TLS, HTTP/2, and the field checks last.
std::string describe(const Predicate& p) {
    Parts parts;
    describe_response(p.http1, parts);
    if (p.steps_ok)
        parts.push_back(said(p.steps_ok, "every step after the 101 holding", "a failed step"));
    describe_connection(p.http1, parts);
    describe_tls(p.tls, parts);
    describe_h2(p.h2, parts);
    describe_backend(p.backend, parts);
    for (const auto& [name, check] : p.http1.headers)
        parts.push_back(describe_check(name, check));
    for (const auto& [name, check] : p.h2.headers)
        parts.push_back(describe_check(name + " (HTTP/2)", check));
    for (const auto& [name, check] : p.backend.headers)
        parts.push_back(describe_check(name + " at the backend", check));
    return parts.empty() ? "anything" : join(parts, ", ");
}

std::string describe_expected(const Case& c) {
    // What passes; outcomes that only record (info) count when nothing passes outright.
    for (Verdict wanted : {Verdict::pass, Verdict::info}) {
        Parts passing;
        for (const auto& outcome : c.outcomes)
            if (outcome.verdict == wanted) passing.push_back(describe(outcome.when));
        if (c.otherwise.verdict == wanted) passing.push_back("anything else");
        if (!passing.empty()) return join(passing, "; or ");
    }
    return "(no passing outcome)";
}

namespace {

std::string describe_head(const Observation& seen) {
    const ResponseHead& h = *seen.head;
    std::string line = h.version + " " + std::to_string(h.status) + " " + h.reason;
    Parts shown;
    for (const auto& [name, value] : h.fields)
        if (iequals(name, "Upgrade") || iequals(name, "Connection") ||
            iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
            iequals(name.substr(0, std::min<std::size_t>(name.size(), 14)), "Sec-WebSocket-"))
            shown.push_back(name + ": " + value);
    if (!shown.empty()) line += " (" + join(shown, "; ") + ")";
    if (h.status != 101)
        line += seen.body.empty() ? ", empty body"
                                  : ", " + std::to_string(seen.body.size()) + "-byte body";
    return line;
}

// A request the proxy forwarded: its request line and the fields an intermediary must handle.
std::string backend_request_words(const SentRequest& r) {
    std::string line = r.method + " " + r.target + " " + r.version;
    Parts shown;
    for (const auto& [name, value] : r.fields)
        if (!iequals(name, "Host") && !iequals(name, "Upgradespec-Case") &&
            !iequals(name, "Sec-WebSocket-Key"))
            shown.push_back(name + ": " + value);
    return shown.empty() ? line : line + " (" + join(shown, "; ") + ")";
}

// One request's answer: interim heads, the final head, or what happened instead.
void describe_answer(const Observation& seen, Parts& parts) {
    for (const auto& interim : seen.interim)
        parts.push_back(interim.version + " " + std::to_string(interim.status) + " " +
                        interim.reason);
    if (seen.head) parts.push_back(describe_head(seen));
    if (!seen.malformed.empty()) parts.push_back("unparseable response: " + seen.malformed);
}

} // namespace

std::string describe_observed(const Observation& seen) {
    if (!seen.connect_error.empty()) return seen.connect_error;
    Parts parts;
    if (seen.hold_end == HoldEnd::silent) parts.push_back("no answer while the body was held");
    describe_answer(seen, parts);
    for (std::size_t i = 0; i < seen.later.size(); ++i) {
        Parts later;
        describe_answer(seen.later[i], later);
        parts.push_back("request " + std::to_string(i + 2) + ": " +
                        (later.empty() ? "no response" : join(later, "; ")));
    }
    if (!seen.head && seen.closed) parts.push_back("connection closed without a response");
    if (!seen.head && seen.timed_out) parts.push_back("no response before the deadline");
    if (seen.closed_after) parts.push_back("then the connection closed");
    for (const auto& frame : seen.frames)
        parts.push_back("frame: " + ws::describe(frame));
    for (const auto& frame : seen.h2_frames)
        parts.push_back("HTTP/2 frame: " + h2::describe(frame));
    if (seen.h2_status)
        parts.push_back("HTTP/2 response :status " + std::to_string(*seen.h2_status));
    if (!seen.h2_unreadable.empty()) parts.push_back("not HTTP/2: " + seen.h2_unreadable);
    for (std::size_t i = 0; i < seen.backend_requests.size(); ++i)
        parts.push_back("backend request " + std::to_string(i + 1) + ": " +
                        backend_request_words(seen.backend_requests[i]));
    if (seen.backend_marker) parts.push_back("the marker reached the backend");
    if (!seen.step_failure.empty()) parts.push_back("after the 101: " + seen.step_failure);
    return parts.empty() ? "nothing" : join(parts, "; ");
}

} // namespace upgradespec
