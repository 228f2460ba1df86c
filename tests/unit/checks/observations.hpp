#pragma once
// Builders for the observations the checks tests judge: plain data, no network.
#include "model/observation.hpp"
#include "model/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace upgradespec::testing {

// A GET / HTTP/1.1 request as sent, with the given fields.
SentRequest request(Fields fields = {}, std::string version = "HTTP/1.1",
                    std::string method = "GET");

// A WebSocket upgrade request offering `protocols` in Upgrade, with a Sec-WebSocket-Key.
SentRequest upgrade_request(const std::string& protocols = "websocket");

ResponseHead head(int status, Fields fields = {}, std::string version = "HTTP/1.1");

// An observation of `request` answered by `response`, with a body.
Observation answered(ResponseHead response, std::string body = "", SentRequest sent = request());

// A 426 that every rule accepts.
Observation conforming_426();

// A 101 to the WebSocket upgrade that every rule accepts.
Observation conforming_101();

// A server frame, unmasked, FIN set, minimal length.
ReceivedFrame frame(int opcode, std::string payload = "");

// A Close frame with `code` and `reason` in its body.
ReceivedFrame close_frame(int code, const std::string& reason = "");

// The finding of one rule, if it fired on `seen`.
std::optional<Finding> fired(const Observation& seen, std::string_view rule);

// Which rules fired, by id, for readable failure messages.
std::string fired_ids(const Observation& seen);

} // namespace upgradespec::testing
