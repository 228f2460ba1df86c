#pragma once
// The cross-cutting rules of the TLS upgrade (RFC 2817; RFC 9110 7.8), judged on every
// observation. checks/rules.cpp lists them in its table.
#include "model/observation.hpp"
#include "model/verdict.hpp"

#include <optional>
#include <string>
#include <utility>

namespace upgradespec {

using TlsRuleVerdict = std::optional<std::pair<Verdict, std::string>>;

// UPG-101-LAYER-ORDER: a 101 naming TLS among several protocols lists it first (the layers
// bottom-up: "TLS/1.0, HTTP/1.1").
TlsRuleVerdict layer_order_rule(const Observation& seen);

// TLS-426-NO-IMMEDIATE-HANDSHAKE: after a 426 naming TLS, the next request on the connection
// still gets HTTP (or a close), never bytes that are not HTTP (TLS records).
TlsRuleVerdict no_tls_after_426_rule(const Observation& seen);

// TLS-OPTIONAL-UPGRADE: a response offering the TLS upgrade is noted (info, never a failure):
// a TLS switch inside a cleartext connection is open to request/response desynchronisation.
TlsRuleVerdict tls_upgrade_offered_rule(const Observation& seen);

} // namespace upgradespec
