// The one translation unit that includes Beast's HTTP parser: it compiles slowly.
#include <utility> // before any Asio header (Boost 1.74 + GCC 12 coroutines)

#include "wire/response_parser.hpp"

#include "wire/fields.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstdint>
#include <limits>
#include <optional>

namespace upgradespec {

namespace {
namespace beast = boost::beast;
namespace http = boost::beast::http;

// A body that keeps at most `cap` bytes and only counts the rest, so a hostile
// Content-Length or an endless body never allocates more than the limit. (string_body
// reserves the whole Content-Length up front.)
struct CappedBody {
    struct value_type {
        std::string kept;
        std::size_t cap = 0;
        std::uint64_t total = 0;
    };

    class reader {
      public:
        template <bool isRequest, class Fields>
        reader(http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

        void init(const boost::optional<std::uint64_t>&, beast::error_code& ec) { ec = {}; }

        // Must take every byte: a short count would make the eager parser spin.
        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence& buffers, beast::error_code& ec) {
            ec = {};
            std::size_t taken = 0;
            for (auto b : beast::buffers_range_ref(buffers)) {
                keep({static_cast<const char*>(b.data()), b.size()});
                taken += b.size();
            }
            return taken;
        }

        void finish(beast::error_code& ec) { ec = {}; }

      private:
        void keep(std::string_view bytes) {
            body_.total += bytes.size();
            std::size_t room = body_.cap - std::min(body_.cap, body_.kept.size());
            body_.kept.append(bytes.substr(0, room));
        }

        value_type& body_;
    };
};

using Parser = http::response_parser<CappedBody>;

std::string first_line(std::string_view data, std::size_t max_head) {
    auto window = data.substr(0, max_head);
    auto line = window.substr(0, window.find('\n'));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return std::string(line);
}

// Version and reason come from the line as written; Beast would normalise "HTTP/1.2".
ResponseHead make_head(std::string_view status_line, const Parser::value_type& message) {
    ResponseHead head;
    auto sp = status_line.find(' ');
    head.version = std::string(status_line.substr(0, sp));
    if (sp != std::string_view::npos) {
        auto rest = status_line.substr(sp + 1);
        auto sp2 = rest.find(' ');
        if (sp2 != std::string_view::npos) head.reason = std::string(rest.substr(sp2 + 1));
    }
    head.status = static_cast<int>(message.result_int());
    for (const auto& field : message)
        head.fields.emplace_back(std::string(field.name_string()),
                                 std::string(trim_ows(field.value())));
    return head;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Beast 1.74 accepts only HTTP/1.0 and HTTP/1.1 status lines. Any other well-formed
// HTTP-version (RFC 9112 2.3: "HTTP/" DIGIT "." DIGIT) is valid syntax that the checks must
// judge, so Beast reads it as 1.1 (same length) while head.version keeps what was written.
std::optional<std::string> beast_readable(std::string_view head_window) {
    if (head_window.size() < 8 || head_window.substr(0, 5) != "HTTP/") return std::nullopt;
    auto version = head_window.substr(5, 3);
    if (!is_digit(version[0]) || version[1] != '.' || !is_digit(version[2])) return std::nullopt;
    if (version == "1.0" || version == "1.1") return std::nullopt;
    std::string copy(head_window);
    copy.replace(5, 3, "1.1");
    return copy;
}

ResponseParse malformed(ResponseParse out, std::string why) {
    out.kind = ResponseParse::Kind::malformed;
    out.error = std::move(why);
    return out;
}

std::size_t put(Parser& parser, std::string_view bytes, beast::error_code& ec) {
    return parser.put(boost::asio::const_buffer(bytes.data(), bytes.size()), ec);
}

// Feeds the body bytes after a complete head; fills body, consumed and the verdict on them.
ResponseParse read_body(Parser& parser, ResponseParse out, std::string_view data, bool eof,
                        std::size_t max_body) {
    beast::error_code ec;
    parser.eager(true);
    // Eager parsing takes everything it can in one call; the bound is only a safety net.
    for (int round = 0; round < 4 && out.consumed < data.size() && !parser.is_done(); ++round) {
        out.consumed += put(parser, data.substr(out.consumed), ec);
        if (ec) break;
    }
    const auto& body = parser.get().body();
    out.body = body.kept;
    bool over = body.total > max_body;
    if (ec && ec != http::error::need_more) {
        out.kind = ResponseParse::Kind::head;
        out.error = "invalid body framing: " + ec.message();
        return out;
    }
    if (over) {
        out.kind = ResponseParse::Kind::head;
        out.error = "the body exceeds the " + std::to_string(max_body) + "-byte limit";
        return out;
    }
    if (parser.is_done()) {
        out.kind = ResponseParse::Kind::head;
        out.body_complete = true;
        return out;
    }
    if (!eof) {
        out.consumed = 0; // need_more: nothing is used up yet
        return out;
    }
    out.kind = ResponseParse::Kind::head;
    parser.put_eof(ec);
    if (ec) {
        out.error = "closed after " + std::to_string(body.total) + " bytes of the body";
        return out;
    }
    out.body_complete = true; // close-delimited: the close is the framing
    return out;
}
} // namespace

ResponseParse parse_response(std::string_view data, bool eof, bool head_request,
                             std::size_t max_head, std::size_t max_body) {
    ResponseParse out;
    out.status_line = first_line(data, max_head);
    if (data.empty()) return out;

    Parser parser;
    parser.header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(max_head, std::numeric_limits<std::uint32_t>::max())));
    // CappedBody enforces max_body. Not boost::none: Beast 1.74 compares a Content-Length
    // with the optional limit, and any length is "greater" than none.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    parser.skip(head_request);
    parser.get().body().cap = max_body;

    // Not eager yet: put() stops right after the head, so its count is the head's size.
    beast::error_code ec;
    auto head_window = data.substr(0, max_head);
    auto patched = beast_readable(head_window);
    std::size_t head_size = put(parser, patched ? *patched : head_window, ec);
    bool head_pending = ec == http::error::need_more || (!ec && !parser.is_header_done());
    if (ec == http::error::header_limit || (head_pending && data.size() >= max_head))
        return malformed(out, "the response head exceeds the " + std::to_string(max_head) +
                                  "-byte limit");
    if (head_pending && eof)
        return malformed(out, "closed after " + std::to_string(data.size()) +
                                  " bytes of a response head");
    if (head_pending) return out;
    if (ec) return malformed(out, "the response head was rejected: " + ec.message());

    out.head = make_head(out.status_line, parser.get());
    out.consumed = head_size;
    if (parser.is_done()) { // 1xx, HEAD, 204, 304 or an empty body
        out.kind = ResponseParse::Kind::head;
        out.body_complete = true;
        return out;
    }
    return read_body(parser, std::move(out), data, eof, max_body);
}

} // namespace upgradespec
