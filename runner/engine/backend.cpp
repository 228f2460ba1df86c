// The runner's origin behind a proxy: accepting, dispatching by tag, answering, watching.
#include "engine/backend.hpp"

#include "wire/forwarded_request.hpp"
#include "wire/request_head.hpp"
#include "ws/handshake.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace upgradespec {

namespace {

constexpr std::size_t max_head = 64 * 1024;
constexpr std::size_t max_body = 64 * 1024; // the cases send no body: this is a hostile proxy's
constexpr int max_requests_per_connection = 64;
constexpr std::size_t max_connections = 32;
constexpr std::size_t max_kept_requests = 16;
constexpr std::size_t max_marker = 256; // the case schema's bound on backend.marker
constexpr std::string_view tag_field = "Upgradespec-Case";

const BackendAnswer* answer_for(const BackendScript& script, const SentRequest& request) {
    for (const auto& answer : script.answers)
        if (answer.if_field.empty() || !field_value(request, answer.if_field).empty())
            return &answer;
    return nullptr;
}

std::string not_waited_for(const std::string& tag) {
    const std::string body = "upgradespec backend: no case of this run is waiting for this "
                             "request (Upgradespec-Case: " +
                             (tag.empty() ? "none" : tag) + ")\n";
    return "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

Backend::Registration::Registration(Backend& backend, std::string tag, Expecting expecting)
    : backend_(backend), tag_(std::move(tag)) {
    backend_.expecting_[tag_] = std::move(expecting);
}

Backend::Registration::~Registration() {
    backend_.expecting_.erase(tag_);
}

std::string Backend::listen(const std::string& host_port) {
    const HostPort parts = parse_host_port(host_port, ""); // checked with the target's options
    beast::error_code ec;
    const auto address = asio::ip::make_address(parts.host, ec);
    if (ec) return "--backend " + host_port + ": " + parts.host + " is not an IP address";
    const tcp::endpoint where(address, static_cast<unsigned short>(std::stoi(parts.port)));
    auto acceptor = std::make_shared<tcp::acceptor>(io_);
    acceptor->open(where.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(where, ec);
    if (!ec) acceptor->listen(64, ec);
    if (ec) return "could not listen on " + host_port + " (--backend): " + ec.message();
    acceptor_ = acceptor;
    asio::co_spawn(io_, accept_loop(std::move(acceptor)), asio::detached);
    return "";
}

void Backend::stop() {
    beast::error_code ignored;
    if (auto acceptor = acceptor_.lock()) acceptor->close(ignored);
    for (const auto& weak : connections_)
        if (auto connection = weak.lock()) connection->close(ignored);
}

awaitable<void> Backend::accept_loop(std::shared_ptr<tcp::acceptor> acceptor) {
    while (acceptor->is_open()) {
        beast::error_code ec;
        tcp::socket socket =
            co_await acceptor->async_accept(io_, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
        std::erase_if(connections_, [](const auto& weak) { return weak.expired(); });
        if (ec || connections_.size() >= max_connections) continue; // the socket closes here
        auto connection = std::make_shared<tcp::socket>(std::move(socket));
        connections_.push_back(connection);
        asio::co_spawn(io_, serve(std::move(connection)), asio::detached);
    }
}

awaitable<void> Backend::serve(Connection connection) {
    std::string pending;
    std::string last_tag; // the case whose request this connection carried last
    for (int requests = 0; requests < max_requests_per_connection; ++requests) {
        bool raw = false;
        const std::size_t head_length = co_await read_head(*connection, pending, raw);
        if (raw) {
            // Relayed bytes, not a request: the proxy tunnels what the client sent after the
            // answer (the smuggling class). The case whose answer it was sees them.
            if (Expecting* e = expecting(last_tag))
                e->leg->transcribe(Direction::received, pending.substr(0, max_head));
            break;
        }
        if (head_length == 0) break;
        const std::string head = pending.substr(0, head_length);
        pending.erase(0, head_length);
        const SentRequest request = parse_sent_request(head);
        last_tag = field_value(request, tag_field);
        if (!co_await answer(connection, request, pending)) break;
    }
    beast::error_code ignored;
    if (connection->is_open()) connection->close(ignored);
}

awaitable<std::size_t> Backend::read_head(tcp::socket& socket, std::string& pending, bool& raw) {
    bool ended = false;
    for (;;) {
        const ForwardedHead found = find_request_head(pending, ended);
        raw = found.kind == ForwardedHead::Kind::raw;
        if (found.kind != ForwardedHead::Kind::need_more || ended) co_return found.length;
        ended = pending.size() >= max_head || !co_await read_more(socket, pending);
    }
}

awaitable<bool> Backend::read_more(tcp::socket& socket, std::string& pending) {
    std::array<char, 16384> chunk;
    beast::error_code ec;
    const std::size_t n = co_await socket.async_read_some(
        asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    // A marker may straddle two reads: look a little before the new bytes too.
    const std::size_t from = pending.size() > max_marker ? pending.size() - max_marker : 0;
    pending.append(chunk.data(), n);
    watch_for_markers(std::string_view(pending).substr(from));
    co_return !ec;
}

awaitable<bool> Backend::answer(Connection& connection, const SentRequest& request,
                                std::string& pending) {
    const std::string& head = request.bytes;
    const std::string tag = field_value(request, tag_field);
    const std::size_t length = std::min(declared_length(request), max_body);
    while (pending.size() < length)
        if (!co_await read_more(*connection, pending)) co_return false;
    const std::string body = pending.substr(0, length);
    pending.erase(0, length);

    Expecting* e = expecting(tag);
    const BackendAnswer* answer = e ? answer_for(*e->script, request) : nullptr;
    if (!answer) { // no case waits for it (the liveness probe's request, say)
        if (!tag.empty() && !e) ++late_;
        beast::error_code ignored;
        co_await asio::async_write(*connection, asio::buffer(not_waited_for(tag)),
                                   asio::redirect_error(asio::use_awaitable, ignored));
        co_return false;
    }
    e->leg->transcribe(Direction::received, head + body);
    if (e->seen->backend_requests.size() < max_kept_requests)
        e->seen->backend_requests.push_back(request);
    if (answer->silent_ms > 0) {
        e->leg->transcribe(Direction::note, "the backend says nothing for " +
                                                std::to_string(answer->silent_ms) + " ms");
        co_await stay_silent(connection, pending, answer->silent_ms);
    }
    if (answer->close || answer->silent_ms > 0) {
        if (Expecting* still = expecting(tag))
            still->leg->transcribe(Direction::note,
                                   "the backend closed the connection without answering");
        co_return false;
    }
    Placeholders vars = *e->vars;
    vars["backend_accept"] = ws::compute_accept(field_value(request, "Sec-WebSocket-Key"));
    const std::string response = expand(answer->respond, vars);
    e->leg->transcribe(Direction::sent, response);
    beast::error_code ec;
    co_await asio::async_write(*connection, asio::buffer(response),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    if (!response.starts_with("HTTP/1.1 101")) co_return true;
    // A switch: the connection is the case's backend leg now (its steps, its close); without
    // backend steps the backend reads on, and what the proxy relays is watched and recorded.
    Expecting* still = expecting(tag);
    if (!still || !still->takes_tunnel) co_return true;
    still->leg->adopt(std::move(*connection), std::move(pending));
    co_return false;
}

awaitable<void> Backend::stay_silent(Connection& connection, std::string& pending, int ms) {
    // Reads on meanwhile: what the proxy relays before any answer is watched for markers too.
    auto over = std::make_shared<bool>(false);
    asio::steady_timer timer(io_);
    timer.expires_after(std::chrono::milliseconds(ms));
    timer.async_wait([over, connection](const beast::error_code& ec) {
        if (ec) return;
        *over = true;
        beast::error_code ignored;
        connection->cancel(ignored);
    });
    while (!*over && co_await read_more(*connection, pending)) {
    }
    timer.cancel();
}

void Backend::watch_for_markers(std::string_view bytes) {
    for (auto& [tag, e] : expecting_) {
        if (e.marker.empty() || e.seen->backend_marker ||
            bytes.find(e.marker) == std::string_view::npos)
            continue;
        e.seen->backend_marker = true;
        e.leg->transcribe(Direction::note, "the marker \"" + e.marker + "\" reached the backend");
    }
}

Backend::Expecting* Backend::expecting(const std::string& tag) {
    auto found = expecting_.find(tag);
    return found == expecting_.end() ? nullptr : &found->second;
}

} // namespace upgradespec
