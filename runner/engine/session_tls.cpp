// The TLS steps of a case (RFC 2817 upgrades, a case's own TLS connection) and its listener.
#include "engine/session.hpp"

#include "engine/h2_case.hpp"
#include "tls/records.hpp"
#include "wire/request_head.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>

namespace upgradespec {

// TLS records in, plaintext out; what TLS answers by itself (alerts, key updates) is sent.
awaitable<std::string> Session::decrypt(const std::string& records) {
    tls_->receive(records);
    std::string reply = tls_->take_output();
    if (!reply.empty()) co_await write_wire(reply);
    co_return tls_->take_plaintext();
}

// TLS ended: a close_notify, or a failure. No more reading either way.
ReadEnd Session::tls_ended() {
    if (!eof_) {
        note(tls_->state() == tls::Client::State::closed ? "the server closed TLS (close_notify)"
                                                         : "TLS failed: " + tls_->error());
        eof_ = true;
        seen_.closed = true;
    }
    return ReadEnd::eof;
}

// The TLS handshake on this connection: at connect (wss://, https://) or after an RFC 2817
// 101. "" once TLS is on, else why not. `started` says whether the server's first bytes were
// a TLS record (0x16 handshake or 0x15 alert); bytes already received count as its first.
awaitable<std::string> Session::tls_handshake(bool& started) {
    started = false;
    try {
        tls_ = std::make_unique<tls::Client>(*tls_setup_.context, tls_setup_.server_name,
                                             tls_setup_.alpn);
    } catch (const tls::Error& e) {
        co_return e.what(); // the system's CA store did not load
    }
    tls_->start();
    note("TLS ClientHello for " + tls_setup_.server_name);
    std::string wire = std::exchange(pending_, {});
    bool recorded = true; // pending_ was recorded when it arrived
    for (int rounds = 0; rounds < 64; ++rounds) {
        if (!wire.empty() && !started) {
            if (wire[0] != 0x16 && wire[0] != 0x15) {
                if (!recorded) record(Direction::received, wire);
                co_return "the server answered in cleartext instead of TLS: " +
                    tls::printable_start(wire);
            }
            started = true;
            note(wire[0] == 0x16 ? "the server answered with a TLS handshake record"
                                 : "the server answered with a TLS alert");
        }
        tls_->receive(wire);
        std::string out = tls_->take_output();
        if (!out.empty() && !co_await write_wire(out))
            co_return "the connection ended during the TLS handshake";
        if (tls_->state() == tls::Client::State::open) {
            note("TLS handshake done: " + tls_->summary());
            pending_ = tls_->take_plaintext();
            if (!pending_.empty()) record(Direction::received, pending_);
            co_return "";
        }
        if (tls_->state() != tls::Client::State::handshaking) {
            note("TLS handshake failed: " + tls_->error());
            co_return tls_->error();
        }
        beast::error_code ec;
        std::array<char, 16384> chunk;
        arm_deadline();
        std::size_t n = co_await stream_.async_read_some(
            asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        wire.assign(chunk.data(), n);
        recorded = false;
        if (n == 0 && ec) {
            closed_by(ec);
            co_return ec == beast::error::timeout
                ? "no TLS answer within the deadline"
                : "the server closed the connection during the TLS handshake";
        }
    }
    co_return "the TLS handshake did not end";
}

// RFC 8441 4: did the target open a TCP connection to the :authority of an extended CONNECT?
// A tunnel is opened before its 2xx, so by the time the case read the answer the connection
// waits in the listener's backlog: one non-blocking accept finds it without any waiting.
awaitable<std::string> Session::check_listener(const std::string& marker) {
    if (!listener_) co_return "the case has no listener";
    beast::error_code ec;
    listener_->non_blocking(true, ec);
    tcp::socket peer(stream_.get_executor());
    listener_->accept(peer, ec);
    if (ec) {
        seen_.listener_saw = "none";
        note("nothing connected to the case's listener");
        co_return "";
    }
    note("the target connected to the case's listener");
    beast::tcp_stream tunnel(std::move(peer));
    std::string got;
    for (int reads = 0; reads < 64 && got.size() < 65536; ++reads) {
        if (listener_bytes_complete(got, marker)) break;
        std::array<char, 4096> chunk;
        tunnel.expires_at(operation_deadline());
        std::size_t n = co_await tunnel.async_read_some(
            asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
        got.append(chunk.data(), n);
        if (ec) break;
    }
    note("the listener received: " + tls::printable_start(got));
    seen_.listener_saw = classify_listener_bytes(got, marker);
    co_return "";
}

// RFC 2817 3.3: TLS on the same connection right after the 101. The server's first bytes
// must be a TLS record; once they are, a failed handshake (our parameters refused, a
// certificate not trusted) leaves nothing to judge, unless TLS starting is all we ask.
awaitable<std::string> Session::start_tls(bool start_only) {
    if (tls_) co_return "TLS is already on";
    bool started = false;
    std::string failure = co_await tls_handshake(started);
    if (failure.empty() || !started) co_return failure;
    if (start_only) co_return "";
    seen_.connect_error = "the TLS handshake after the 101 failed: " + failure;
    co_return failure;
}

// RFC 2817 3.3: the response to the original request comes inside TLS, unasked. It is
// filed beside the follow-up responses, so the response rules judge it too.
awaitable<std::string> Session::expect_response_in_tls() {
    if (!tls_ || tls_->state() != tls::Client::State::open) co_return "TLS is not on";
    Observation& inside = seen_.later.emplace_back();
    inside.request = seen_.request;
    co_await read_response(inside);
    if (inside.head) co_return "";
    if (!inside.malformed.empty())
        co_return "inside TLS the server sent no HTTP response: " + inside.malformed;
    if (seen_.timed_out)
        co_return "no response inside TLS within the deadline: the server seems to wait "
                  "for the request to be sent again";
    co_return "the server closed the connection without answering inside TLS";
}

// RFC 2817 3.3: a failed TLS handshake ends in disconnection; alerts may come first, a
// cleartext answer may not.
awaitable<std::string> Session::expect_tls_close() {
    std::string got = std::exchange(pending_, {});
    for (int reads = 0; reads < 64; ++reads) {
        if (auto problem = tls::not_tls_alerts(got); !problem.empty())
            co_return "the server answered with " + problem;
        ReadEnd end = co_await read_more();
        got += std::exchange(pending_, {});
        if (end == ReadEnd::timeout)
            co_return "the connection was still open " + std::to_string(options_.timeout.count()) +
                " ms later";
        if (end == ReadEnd::eof) {
            auto problem = tls::not_tls_alerts(got);
            co_return problem.empty() ? "" : "the server answered with " + problem;
        }
    }
    co_return "the server kept sending";
}

} // namespace upgradespec
