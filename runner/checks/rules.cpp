#include "checks/rules.hpp"

#include "checks/extensions.hpp"
#include "checks/h2c_rules.hpp"
#include "checks/tls_rules.hpp"
#include "wire/fields.hpp"
#include "ws/frame.hpp"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

namespace upgradespec {

namespace {

using Verdicts = std::optional<std::pair<Verdict, std::string>>;

struct Rule {
    RuleInfo info;
    std::function<Verdicts(const Observation&)> judge;
};

std::vector<const ResponseHead*> all_heads(const Observation& seen) {
    std::vector<const ResponseHead*> heads;
    for (const auto& h : seen.interim)
        heads.push_back(&h);
    if (seen.head) heads.push_back(&*seen.head);
    return heads;
}

std::vector<std::string> tokens_of(const ResponseHead& head, std::string_view name) {
    std::vector<std::string> tokens;
    for (const auto& line : head.values(name))
        for (auto& token : split_list(line))
            tokens.push_back(token);
    return tokens;
}

std::vector<std::string> tokens_of(const SentRequest& request, std::string_view name) {
    std::vector<std::string> tokens;
    for (const auto& [field, value] : request.fields)
        if (iequals(field, name))
            for (auto& token : split_list(value))
                tokens.push_back(token);
    return tokens;
}

bool final_is(const Observation& seen, int status) {
    return seen.head && seen.head->status == status;
}

bool asked_for_head(const Observation& seen) {
    return seen.request.method == "HEAD";
}

// "name/version" matches an offer of "name" or "name/version" (names case-insensitive).
bool offered(const std::string& answer, const std::vector<std::string>& offers) {
    auto slash = answer.find('/');
    std::string_view name = std::string_view(answer).substr(0, slash);
    for (const auto& offer : offers) {
        auto offer_slash = offer.find('/');
        if (!iequals(std::string_view(offer).substr(0, offer_slash), name)) continue;
        if (offer_slash == std::string::npos || iequals(offer, answer)) return true;
    }
    return false;
}

Verdicts first_head(const Observation& seen,
                    const std::function<Verdicts(const ResponseHead&)>& judge) {
    for (const ResponseHead* head : all_heads(seen))
        if (auto v = judge(*head)) return v;
    return std::nullopt;
}

Verdicts upgrade_on_426(const Observation& seen) {
    return first_head(seen, [](const ResponseHead& h) -> Verdicts {
        if (h.status != 426 || !tokens_of(h, "Upgrade").empty()) return std::nullopt;
        return std::pair{Verdict::fail, "the 426 names no protocol in an Upgrade field"};
    });
}

Verdicts connection_option_with_upgrade(const Observation& seen) {
    return first_head(seen, [](const ResponseHead& h) -> Verdicts {
        if (h.status == 101 || !h.has("Upgrade") || has_token(h.values("Connection"), "upgrade"))
            return std::nullopt;
        return std::pair{Verdict::fail,
                         "the " + std::to_string(h.status) +
                             " carries Upgrade but Connection does not list the upgrade option"};
    });
}

Verdicts body_on_426(const Observation& seen) {
    if (!final_is(seen, 426) || asked_for_head(seen) || !seen.body.empty()) return std::nullopt;
    return std::pair{Verdict::warn, "the 426 has no content explaining what is required"};
}

Verdicts body_on_4xx(const Observation& seen) {
    if (!seen.head || seen.head->status / 100 != 4 || seen.head->status == 426 ||
        asked_for_head(seen) || !seen.body.empty())
        return std::nullopt;
    return std::pair{Verdict::warn, "the " + std::to_string(seen.head->status) +
                                        " has no content explaining the error"};
}

Verdicts upgrade_on_101(const Observation& seen) {
    if (!final_is(seen, 101) || !tokens_of(*seen.head, "Upgrade").empty()) return std::nullopt;
    return std::pair{Verdict::fail, "the 101 names no protocol in an Upgrade field"};
}

Verdicts only_offered_on_101(const Observation& seen) {
    if (!final_is(seen, 101)) return std::nullopt;
    auto answers = tokens_of(*seen.head, "Upgrade");
    auto offers = tokens_of(seen.request, "Upgrade");
    for (std::size_t i = 0; i < answers.size(); ++i) {
        bool upper_layer_http = i > 0 && iequals(answers[i], "HTTP/1.1");
        if (!upper_layer_http && !offered(answers[i], offers))
            return std::pair{Verdict::fail, "the 101 switches to \"" + answers[i] +
                                                "\", which the request did not offer"};
    }
    return std::nullopt;
}

// RFC 9110 7.8 binds a sender of Upgrade: a 101 without one is rule.101-upgrade's finding.
Verdicts connection_on_101(const Observation& seen) {
    if (!final_is(seen, 101) || !seen.head->has("Upgrade") ||
        has_token(seen.head->values("Connection"), "upgrade"))
        return std::nullopt;
    return std::pair{Verdict::fail, "the 101 does not list upgrade in Connection"};
}

Verdicts framing_on_1xx(const Observation& seen) {
    return first_head(seen, [](const ResponseHead& h) -> Verdicts {
        if (h.status / 100 != 1) return std::nullopt;
        for (std::string_view name : {"Content-Length", "Transfer-Encoding"})
            if (h.has(name))
                return std::pair{Verdict::fail, "the " + std::to_string(h.status) + " carries " +
                                                    std::string(name)};
        return std::nullopt;
    });
}

// "HTTP/d.d", the only form RFC 9112 2.3 allows.
bool well_formed_version(const std::string& v) {
    return v.size() == 8 && v.compare(0, 5, "HTTP/") == 0 && isdigit(v[5]) && v[6] == '.' &&
           isdigit(v[7]);
}

Verdicts status_line_version(const Observation& seen) {
    const std::string& asked = seen.request.version;
    if (!well_formed_version(asked)) return std::nullopt; // an invalid version is not graded
    return first_head(seen, [&](const ResponseHead& h) -> Verdicts {
        if (h.version != "HTTP/1.1" && h.version != "HTTP/1.0")
            return std::pair{Verdict::fail,
                             "the status line claims " + h.version +
                                 ", a version the server cannot speak on this connection"};
        bool asked_above_10 = asked[5] > '1' || (asked[5] == '1' && asked[7] >= '1');
        if (h.version == "HTTP/1.0" && asked_above_10)
            return std::pair{Verdict::warn, "an " + asked + " request was answered with HTTP/1.0"};
        return std::nullopt;
    });
}

Verdicts server_frames_unmasked(const Observation& seen) {
    for (const auto& f : seen.frames)
        if (f.masked)
            return std::pair{Verdict::fail,
                             "the server sent a masked frame (" + ws::describe(f) + ")"};
    return std::nullopt;
}

// Close codes registered for use in a Close frame (RFC 6455 7.4.1 and the IANA registry).
bool assigned_close_code(int code) {
    static const std::set<int> assigned{1000, 1001, 1002, 1003, 1007, 1008,
                                        1009, 1010, 1011, 1012, 1013, 1014};
    return assigned.count(code) > 0;
}

// `compressed_start`: RSV1 is allowed here (the first frame of a message, permessage-deflate
// agreed: RFC 7692 6).
Verdicts frame_problem(const ReceivedFrame& f, bool compressed_start) {
    auto fail = [&](const std::string& why) {
        return Verdicts{std::pair{Verdict::fail, "server frame " + ws::describe(f) + ": " + why}};
    };
    bool control = f.opcode >= 8;
    if ((f.rsv1 && !compressed_start) || f.rsv2 || f.rsv3)
        return fail("reserved bits set without a negotiated extension");
    if (!(f.opcode <= 2 || (f.opcode >= 8 && f.opcode <= 10))) return fail("undefined opcode");
    if (control && !f.fin) return fail("fragmented control frame");
    if (f.truncated) return std::nullopt; // the rest needs the payload
    if (!f.minimal_length) return fail("payload length not in its shortest form");
    if (control && f.payload.size() > 125) return fail("control frame longer than 125 bytes");
    if (f.opcode != 8) return std::nullopt;
    if (f.payload.size() == 1) return fail("a Close body of one byte");
    auto code = ws::close_code(f);
    if (!code) return std::nullopt;
    if (*code == 1005 || *code == 1006 || *code == 1015)
        return fail("a close code that must never be sent");
    if (*code < 1000 || *code > 4999) return fail("a close code outside 1000-4999");
    if (*code < 3000 && !assigned_close_code(*code))
        return Verdicts{std::pair{Verdict::warn, "server Close code " + std::to_string(*code) +
                                                     " is not assigned"}};
    return std::nullopt;
}

bool deflate_agreed(const Observation& seen) {
    if (!seen.head) return false;
    for (const auto& element : tokens_of(*seen.head, "Sec-WebSocket-Extensions"))
        if (iequals(trim_ows(std::string_view(element).substr(0, element.find(';'))),
                    "permessage-deflate"))
            return true;
    return false;
}

Verdicts server_frames_wellformed(const Observation& seen) {
    const bool deflate = deflate_agreed(seen);
    bool in_message = false; // between a data frame without FIN and the continuation that ends it
    Verdicts found;
    for (const auto& f : seen.frames) {
        bool message_start = !in_message && (f.opcode == 1 || f.opcode == 2);
        if (f.opcode <= 2) in_message = !f.fin;
        Verdicts v = frame_problem(f, deflate && message_start);
        if (v && (!found || v->first == Verdict::fail)) found = v;
        if (found && found->first == Verdict::fail) break;
    }
    return found;
}

const std::vector<Rule>& rules() {
    static const std::vector<Rule> table{
        {{"rule.426-upgrade", "UPG-426-UPGRADE-HDR", Verdict::fail, "RFC 9110 15.5.22",
          "a 426 carries Upgrade naming a protocol"},
         upgrade_on_426},
        {{"rule.upgrade-connection-option", "UPG-RESP-CONNECTION-OPTION", Verdict::fail,
          "RFC 9110 7.8", "a response with Upgrade lists upgrade in Connection"},
         connection_option_with_upgrade},
        {{"rule.426-body", "UPG-426-BODY", Verdict::warn, "RFC 9110 15.5",
          "a 426 explains itself in its content"},
         body_on_426},
        {{"rule.4xx-explained", "VER-4XX-EXPLANATION", Verdict::warn, "RFC 9110 15.5",
          "a 4xx explains itself in its content"},
         body_on_4xx},
        {{"rule.101-upgrade", "UPG-101-UPGRADE-HDR", Verdict::fail, "RFC 9110 15.2.2",
          "a 101 carries Upgrade"},
         upgrade_on_101},
        {{"rule.101-only-offered", "UPG-101-ONLY-OFFERED", Verdict::fail, "RFC 9110 7.8",
          "a 101 switches only to offered protocols"},
         only_offered_on_101},
        {{"rule.101-connection", "UPG-101-CONNECTION", Verdict::fail, "RFC 9110 7.8",
          "a 101 lists upgrade in Connection"},
         connection_on_101},
        {{"rule.1xx-framing", "UPG-1XX-NO-FRAMING-HDRS", Verdict::fail,
          "RFC 9110 8.6, RFC 9112 6.1", "a 1xx carries no Content-Length or Transfer-Encoding"},
         framing_on_1xx},
        {{"rule.status-version", "VER-RESP-VERSION", Verdict::fail, "RFC 9110 6.2",
          "status lines claim HTTP/1.1 (or 1.0)"},
         status_line_version},
        {{"rule.server-frame-unmasked", "WSF-SERVER-UNMASKED", Verdict::fail, "RFC 6455 5.1",
          "server frames are not masked"},
         server_frames_unmasked},
        {{"rule.server-frame-wellformed", "WSF-SERVER-FRAME-WELLFORMED", Verdict::fail,
          "RFC 6455 5.2, RFC 6455 5.5, RFC 6455 7.4.1",
          "server frames are well formed, with valid Close codes"},
         server_frames_wellformed},
        {{"rule.extensions-negotiated", "WS-EXT-UNOFFERED", Verdict::fail,
          "RFC 6455 9, RFC 6455 4.1", "a 101 accepts only extensions the request offered"},
         extensions_offered_rule},
        {{"rule.pmd-response-wellformed", "PMD-RESP-WELLFORMED", Verdict::fail, "RFC 7692 7",
          "a 101 accepts permessage-deflate once, with valid response parameters"},
         deflate_response_rule},
        {{"rule.pmd-client-window-offered", "PMD-CLIENT-MAX-WINDOW-NOT-OFFERED", Verdict::fail,
          "RFC 7692 7.1.2.2", "client_max_window_bits is answered only when offered"},
         client_window_rule},
        {{"rule.pmd-server-window-ack", "PMD-SERVER-MAX-WINDOW-ACK", Verdict::fail,
          "RFC 7692 7.1.2.1",
          "an accepted server_max_window_bits=N is echoed with a value of at most N"},
         server_window_rule},
        {{"rule.pmd-server-no-context-ack", "PMD-SERVER-NO-CONTEXT-ACK", Verdict::fail,
          "RFC 7692 7.1.1.1", "an accepted server_no_context_takeover is echoed"},
         server_no_context_rule},
        {{"rule.pmd-rsv1-conflict", "PMD-RSV1-CONFLICT", Verdict::fail, "RFC 7692 5",
          "permessage-deflate is not accepted beside another RSV1 extension"},
         rsv1_conflict_rule},
        {{"rule.pmd-server-messages-inflate", "PMD-CONTEXT-OBEYED", Verdict::fail, "RFC 7692 7.2.1",
          "the server's compressed messages inflate with the agreed window and context"},
         server_messages_rule},
        {{"rule.h2c-no-http2-settings", "H2C-101-FORMAT", Verdict::fail, "RFC 7540 3.2.1",
          "no response carries HTTP2-Settings"},
         http2_settings_in_response_rule},
        {{"rule.h2c-server-preface", "H2C-SERVER-PREFACE-FIRST", Verdict::fail, "RFC 9113 3.4",
          "the first HTTP/2 frame after an h2c 101 is the server's SETTINGS"},
         server_preface_rule},
        {{"rule.h2c-push-disabled", "H2C-SETTINGS-APPLIED", Verdict::fail, "RFC 9113 6.5.2",
          "no PUSH_PROMISE after HTTP2-Settings set ENABLE_PUSH=0"},
         push_disabled_rule},
        {{"rule.h2-server-settings", "H2C-SERVER-SETTINGS-VALID", Verdict::fail, "RFC 9113 6.5.2",
          "server SETTINGS hold valid values (ENABLE_PUSH only 0); HTTP/2 field names are "
          "lowercase"},
         server_settings_rule},
        {{"rule.h2-no-connection-fields", "H2C-NO-CONN-SPECIFIC-IN-H2", Verdict::fail,
          "RFC 9113 8.2.2", "HTTP/2 header blocks carry no connection-specific fields"},
         connection_fields_in_h2_rule},
        {{"rule.xc-setting-value", "XC-SETTING-VALUE", Verdict::fail, "RFC 8441 3",
          "SETTINGS_ENABLE_CONNECT_PROTOCOL is 0 or 1 and never goes back from 1 to 0"},
         connect_protocol_setting_rule},
        {{"rule.xc-2xx-no-length", "XC-2XX-NO-LENGTH", Verdict::fail, "RFC 9110 9.3.6",
          "a 2xx to an extended CONNECT carries no Content-Length or Transfer-Encoding"},
         connect_2xx_length_rule},
        {{"rule.101-layer-order", "UPG-101-LAYER-ORDER", Verdict::fail, "RFC 9110 7.8",
          "a 101 naming several protocols lists them bottom-up: TLS first"},
         layer_order_rule},
        {{"rule.426-no-tls-start", "TLS-426-NO-IMMEDIATE-HANDSHAKE", Verdict::fail, "RFC 2817 4.2",
          "after a 426 naming TLS the connection still speaks HTTP in clear"},
         no_tls_after_426_rule},
        {{"rule.tls-upgrade-offered", "TLS-OPTIONAL-UPGRADE", Verdict::info, "RFC 2817 3.1",
          "offering the RFC 2817 TLS upgrade is noted as a hazard (info)"},
         tls_upgrade_offered_rule},
    };
    return table;
}

} // namespace

// A rule gives at most the verdict its table entry declares, so the table alone says which
// rules can fail (and a catalogue test holds each of those to a MUST).
Verdict capped(Verdict given, const RuleInfo& rule) {
    return worst(given, rule.at_most) == given ? rule.at_most : given;
}

// Like a case's why: the rule, where the RFC writes it, then what the target did.
std::string finding_text(const RuleInfo& rule, const std::string& what) {
    return std::string(rule.rfc) + " (" + std::string(rule.summary) + "): " + what;
}

const std::vector<RuleInfo>& all_rules() {
    static const std::vector<RuleInfo> infos = [] {
        std::vector<RuleInfo> out;
        for (const auto& rule : rules())
            out.push_back(rule.info);
        return out;
    }();
    return infos;
}

std::vector<Finding> apply_rules(const Observation& seen) {
    std::vector<Finding> findings;
    for (const auto& rule : rules())
        if (auto v = rule.judge(seen))
            findings.push_back({std::string(rule.info.requirement), capped(v->first, rule.info),
                                finding_text(rule.info, v->second), std::string(rule.info.id)});
    return findings;
}

} // namespace upgradespec
