#pragma once
// The runner's origin behind a proxy (--backend HOST:PORT). It accepts whatever the proxy
// forwards, gives each request to the intermediary case whose `Upgradespec-Case` tag it carries,
// answers as that case says, and watches every connection for a case's marker: bytes the client
// sent that must never reach the origin. Only the engine includes this header: it brings Asio.
#include "engine/session.hpp"
#include "model/placeholders.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace upgradespec {

class Backend {
  public:
    // What a running intermediary case lends the backend while it runs.
    struct Expecting {
        const BackendScript* script = nullptr;
        const Placeholders* vars = nullptr; // expands the answers
        std::string marker;                 // expanded; empty: nothing to watch for
        Session* leg = nullptr;      // records the backend's events, adopts a 101's connection
        Observation* seen = nullptr; // backend_requests, backend_marker
        bool takes_tunnel = false; // has backend steps: after a 101 the leg reads, not the backend
    };

    // A case's requests (those tagged with its {nonce}) go to it while this lives.
    class Registration {
      public:
        Registration(Backend& backend, std::string tag, Expecting expecting);
        ~Registration();
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;

      private:
        Backend& backend_;
        std::string tag_;
    };

    // Holds no socket of its own: the coroutines own them, so the io_context can end them in
    // any order (an interrupted run leaves them suspended).
    explicit Backend(asio::io_context& io) : io_(io) {}
    // Listens on HOST:PORT and starts accepting; "" or why it cannot.
    std::string listen(const std::string& host_port);
    // Closes the listener and every connection; their coroutines end with the next poll.
    void stop();
    // Requests tagged for a case that had already ended: the proxy forwarded them late.
    int late() const { return late_; }

  private:
    using Connection = std::shared_ptr<tcp::socket>;
    awaitable<void> accept_loop(std::shared_ptr<tcp::acceptor> acceptor);
    awaitable<void> serve(Connection connection);
    // Reads until `pending` holds a whole request head; its length, or 0 when the connection
    // ended, flooded, or carried bytes that are not HTTP (then `raw` is set).
    awaitable<std::size_t> read_head(tcp::socket& socket, std::string& pending, bool& raw);
    awaitable<bool> read_more(tcp::socket& socket, std::string& pending);
    // One tagged request: recorded for its case, answered; false when the connection ends here.
    awaitable<bool> answer(Connection& connection, const SentRequest& request,
                           std::string& pending);
    // silent_ms: no answer for that long, the connection read on (and watched), then closed.
    awaitable<void> stay_silent(Connection& connection, std::string& pending, int ms);
    void watch_for_markers(std::string_view bytes);
    Expecting* expecting(const std::string& tag);

    asio::io_context& io_;
    std::weak_ptr<tcp::acceptor> acceptor_;
    std::map<std::string, Expecting> expecting_;          // by tag
    std::vector<std::weak_ptr<tcp::socket>> connections_; // to close at the end
    int late_ = 0;
};

} // namespace upgradespec
