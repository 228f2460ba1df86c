#pragma once
// TLS for the runner, over OpenSSL memory BIOs: no sockets here. The executor hands a Client the
// bytes it reads and writes the bytes the Client gives back, so cleartext and TLS connections
// share one code path above the transport.
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct ssl_ctx_st;
struct ssl_st;

namespace upgradespec::tls {

// A TLS setting that cannot be used (a CA file that does not load, a key that does not match).
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What the command line says about TLS: --sni, --alpn, --cacert, --insecure, --cert, --key.
struct Config {
    std::string sni;                           // sent and verified instead of the URL's host
    std::vector<std::string> alpn{"http/1.1"}; // offered in this order; empty: no ALPN at all
    std::string ca_file;                       // trusted CAs (PEM); empty: the system's store
    bool insecure = false;                     // do not verify the server's certificate
    std::string cert_file, key_file;           // a client certificate and its key (PEM)
};

// The settings every connection of a run shares. Throws Error naming the file and OpenSSL's
// reason when a file cannot be used. The system's CA store (when no --cacert is given) is parsed
// only when the first connection needs it: a run with no TLS never pays for it.
class Context {
  public:
    explicit Context(const Config& config);

    // The native context, with the system's store loaded first when it is the trust anchor.
    // Throws Error when that store cannot be loaded.
    ssl_ctx_st* native() const;
    bool verifies() const { return verify_; }

  private:
    struct Free {
        void operator()(ssl_ctx_st* ctx) const;
    };
    std::unique_ptr<ssl_ctx_st, Free> ctx_;
    bool verify_ = true;
    mutable std::once_flag system_store_; // loaded at most once, by the first native()
    bool trusts_system_store_ = false;
};

// One connection's TLS client. start() produces the ClientHello; receive() takes what the
// server sent and advances the handshake or decrypts; take_output() gives what to send.
class Client {
  public:
    enum class State { handshaking, open, closed, failed };

    // `server_name` is checked against the certificate (unless the context is insecure); a DNS
    // name is also sent as SNI, an IP address is not (RFC 6066 3).
    // `alpn`, when given, replaces the context's ALPN offer for this connection (an empty list
    // offers none).
    Client(const Context& context, const std::string& server_name,
           const std::optional<std::vector<std::string>>& alpn = std::nullopt);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void start();
    void receive(std::string_view ciphertext);
    void send(std::string_view plaintext); // only once open
    std::string take_output();             // ciphertext for the server
    std::string take_plaintext();          // application data the server sent

    State state() const { return state_; }
    // Why the handshake or the connection failed: the verification result, the alert the server
    // sent, or OpenSSL's reason.
    const std::string& error() const { return error_; }
    // Alerts the server sent, oldest first ("fatal: handshake failure").
    const std::vector<std::string>& alerts() const { return alerts_; }
    // After the handshake: "TLSv1.3, TLS_AES_256_GCM_SHA384, ALPN http/1.1, peer CN = localhost".
    std::string summary() const;
    std::string alpn() const; // the protocol the server selected; empty when none

  private:
    static void on_info(const ssl_st* ssl, int where, int value);
    void step();           // advances the handshake, or reads what is decrypted
    void fail(int result); // records why the last OpenSSL call failed
    std::string peer_subject() const;

    struct Free {
        void operator()(ssl_st* ssl) const;
    };
    std::unique_ptr<ssl_st, Free> ssl_;
    State state_ = State::handshaking;
    std::string error_;
    std::vector<std::string> alerts_;
    std::string plaintext_;
};

} // namespace upgradespec::tls
