#pragma once
// Reads one HTTP/1.x response from the bytes received so far (Beast's parser underneath).
#include "model/observation.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace upgradespec {

struct ResponseParse {
    enum class Kind { need_more, head, malformed } kind = Kind::need_more;
    ResponseHead head;          // valid when kind == head
    std::string body;           // the body (not for 1xx, HEAD, 204, 304)
    bool body_complete = false; // the body ended by its framing (or there is none)
    std::size_t consumed = 0;   // bytes of `data` this response used (head + body)
    // kind == malformed: why, in words. With kind == head it may say why the body is
    // incomplete (over the limit, closed early, bad chunk).
    std::string error;
    std::string status_line; // the first line as received (even when malformed), for reports
};

// `data` starts at a response's first byte and holds everything received and not yet
// consumed; `eof` says the peer closed. Returns need_more until one whole response is there:
// a 1xx head (kind head, consumed = the head's bytes; the bytes after a 101 are the new
// protocol and are NOT consumed), or a final head plus its body (Content-Length, chunked, or
// close-delimited: the latter completes only at eof). A body longer than max_body: head with
// body_complete = false and the first max_body bytes. A head longer than max_head: malformed.
// A partial head at eof: malformed. A partial body at eof: head with body_complete = false.
// Empty data returns need_more even at eof: no response began (the caller reports the close).
// need_more has consumed = 0; once the head is complete it also carries the head and the body
// so far (for reports when a deadline ends the wait; or call again with eof = true).
// Stateless: the caller calls again with more data.
ResponseParse parse_response(std::string_view data, bool eof, bool head_request,
                             std::size_t max_head = 64 * 1024, std::size_t max_body = 1 << 20);

} // namespace upgradespec
