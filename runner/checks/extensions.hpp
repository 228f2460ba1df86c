#pragma once
// WebSocket extension negotiation as a 101 shows it: Sec-WebSocket-Extensions (RFC 6455 §9.1,
// Erratum 3433) and permessage-deflate (RFC 7692 §5, §7). Pure functions; the cross-cutting rules
// of checks/rules.cpp call the observation-level ones at the bottom.
#include "model/observation.hpp"
#include "model/verdict.hpp"
#include "ws/deflate.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace upgradespec {

struct ExtensionParam {
    std::string name;
    std::optional<std::string> value; // unquoted; nullopt when the parameter has no value
};

struct ExtensionElement {
    std::string name;
    std::vector<ExtensionParam> params;
};

// Every line of the field as one list (several lines combine, RFC 6455 §9.1 and Erratum 3433).
// nullopt when it breaks the §9.1 grammar: 1#( token *( ";" token [ "=" ( token /
// quoted-string ) ] ) ), a quoted value unquoting to a token. Whitespace may surround the
// separators; empty list elements are skipped, so empty lines mean no extension.
std::optional<std::vector<ExtensionElement>>
parse_extension_list(const std::vector<std::string>& lines);

// RFC 7692 §7: an offer a server may accept: only the four parameters, none twice, the
// no_context_takeover flags without value, server_max_window_bits with one and window sizes of
// 8 to 15 bits without leading zeros.
bool valid_deflate_offer(const ExtensionElement& offer);

// Each check returns why the answer breaks its rule, or "" when it holds (or cannot be judged).
// `offers` are the request's elements, `answers` the 101's.

// WS-EXT-UNOFFERED (RFC 6455 §9.1, §4.2.2): every answered extension was offered.
std::string unoffered_problem(const std::vector<ExtensionElement>& offers,
                              const std::vector<ExtensionElement>& answers);
// PMD-RESP-WELLFORMED (RFC 7692 §5, §7, §7.1): one permessage-deflate element at most, with
// response parameters only, each once, with valid values.
std::string deflate_response_problem(const std::vector<ExtensionElement>& answers);
// PMD-CLIENT-MAX-WINDOW-NOT-OFFERED (RFC 7692 §7.1.2.2).
std::string client_window_problem(const std::vector<ExtensionElement>& offers,
                                  const std::vector<ExtensionElement>& answers);
// PMD-SERVER-MAX-WINDOW-ACK (RFC 7692 §7.1.2.1): judged when every valid offer asked for it.
std::string server_window_problem(const std::vector<ExtensionElement>& offers,
                                  const std::vector<ExtensionElement>& answers);
// PMD-SERVER-NO-CONTEXT-ACK (RFC 7692 §7.1.1.1): judged when every valid offer asked for it.
std::string server_no_context_problem(const std::vector<ExtensionElement>& offers,
                                      const std::vector<ExtensionElement>& answers);
// PMD-RSV1-CONFLICT (RFC 7692 §5): no other extension known to use RSV1 beside it.
std::string rsv1_conflict_problem(const std::vector<ExtensionElement>& answers);

// The rules, judged on a 101 only. An offer that breaks the grammar is left to the cases that
// send it; an answer that breaks it is reported once, by extensions_offered_rule.
using RuleOutcome = std::optional<std::pair<Verdict, std::string>>;
RuleOutcome extensions_offered_rule(const Observation& seen);
RuleOutcome deflate_response_rule(const Observation& seen);
RuleOutcome client_window_rule(const Observation& seen);
RuleOutcome server_window_rule(const Observation& seen);
RuleOutcome server_no_context_rule(const Observation& seen);
RuleOutcome rsv1_conflict_rule(const Observation& seen);
// What a 101 agreed about the server's compression: nullopt unless it accepted permessage-deflate
// (the first element, as the client uses it) in answer to a parseable offer.
std::optional<ws::ServerDeflate> agreed_server_deflate(const Observation& seen);
// PMD-CONTEXT-OBEYED (RFC 7692 7.2.2, 7.1.1.1, 7.1.2.1): the server's compressed messages inflate
// with the agreed server_max_window_bits, each alone when server_no_context_takeover was agreed.
RuleOutcome server_messages_rule(const Observation& seen);

} // namespace upgradespec
