#pragma once
// A case's steps in words, for `explain`, `doc` and the reports: "send a masked text \"hi\"",
// "expect a response on stream 1". Every kind of Step, WebSocket, HTTP/2 and TLS alike.
#include "model/case.hpp"

#include <string>

namespace upgradespec {

std::string describe_step(const Step& step);

} // namespace upgradespec
