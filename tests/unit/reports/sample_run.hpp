#pragma once
// A hand-built RunResult covering every verdict, several families and hostile bytes, and the
// text helpers the writer tests share.
#include "model/result.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace upgradespec::test {

// Bytes a hostile target might send: NUL, ESC, 0xFF, markup and a CDATA terminator.
inline const std::string hostile_bytes{"HTTP/1.1 400 <Bad>\r\nX: a&b\0\x1b[31m\xff]]>\r\n\r\n", 40};

// A message that is not UTF-8.
inline const std::string non_utf8_message = "got \xff\xfe \xc3( and \xed\xa0\x80";

// websocket: pass, fail (with a rule finding and hostile bytes), warn
// http-version: info, skip, error
// h2c: pass with eof, reset and note events
RunResult sample_run(bool strict);

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

} // namespace upgradespec::test
