#pragma once
// The cross-cutting rules of the h2c upgrade (RFC 7540 3.2; RFC 9113 3.4, 6.5.2, 8.2), judged on
// every observation: the 101's fields, and the HTTP/2 frames and header blocks the h2 steps read.
// checks/rules.cpp lists them in its table.
#include "model/observation.hpp"
#include "model/verdict.hpp"

#include <optional>
#include <string>
#include <utility>

namespace upgradespec {

using H2cRuleVerdict = std::optional<std::pair<Verdict, std::string>>;

// H2C-101-FORMAT: no response carries HTTP2-Settings, a field only clients send.
H2cRuleVerdict http2_settings_in_response_rule(const Observation& seen);

// H2C-SERVER-PREFACE-FIRST: the first HTTP/2 frame after the 101 is the server's SETTINGS.
H2cRuleVerdict server_preface_rule(const Observation& seen);

// H2C-SETTINGS-APPLIED: no PUSH_PROMISE once HTTP2-Settings said ENABLE_PUSH=0.
H2cRuleVerdict push_disabled_rule(const Observation& seen);

// H2C-SERVER-SETTINGS-VALID: the server's SETTINGS hold values it may send (ENABLE_PUSH only
// 0), and the field names of its header blocks are lowercase.
H2cRuleVerdict server_settings_rule(const Observation& seen);

// H2C-NO-CONN-SPECIFIC-IN-H2: no Connection, Proxy-Connection, Keep-Alive, Transfer-Encoding
// or Upgrade field in an HTTP/2 header block.
H2cRuleVerdict connection_fields_in_h2_rule(const Observation& seen);

// XC-SETTING-VALUE: SETTINGS_ENABLE_CONNECT_PROTOCOL is 0 or 1 and never goes from 1 back to 0
// (RFC 8441 3).
H2cRuleVerdict connect_protocol_setting_rule(const Observation& seen);

// XC-2XX-NO-LENGTH: a 2xx answering a CONNECT carries no Content-Length or Transfer-Encoding
// (RFC 9110 8.6, 9.3.6; RFC 9113 8.2.2).
H2cRuleVerdict connect_2xx_length_rule(const Observation& seen);

} // namespace upgradespec
