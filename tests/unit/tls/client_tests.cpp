// tls::Client against a real OpenSSL server in the same process: both sides on memory BIOs,
// the test carries the bytes between them.
#include "test_pki.hpp"
#include "tls/client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <catch2/catch.hpp>

#include <array>
#include <memory>

using namespace upgradespec;
using tls_test::TestPki;
using State = tls::Client::State;

namespace {

struct ServerOptions {
    std::vector<std::string> alpn; // the server picks the first of these the client offers
    bool require_client_cert = false;
};

// An OpenSSL server on memory BIOs, with the test PKI's server certificate.
class TestServer {
  public:
    TestServer(const TestPki& pki, ServerOptions options)
        : ctx_(SSL_CTX_new(TLS_server_method())), options_(std::move(options)) {
        SSL_CTX* ctx = ctx_.get();
        REQUIRE(SSL_CTX_use_certificate_file(ctx, pki.server.cert.c_str(), SSL_FILETYPE_PEM) == 1);
        REQUIRE(SSL_CTX_use_PrivateKey_file(ctx, pki.server.key.c_str(), SSL_FILETYPE_PEM) == 1);
        if (!options_.alpn.empty()) SSL_CTX_set_alpn_select_cb(ctx, &TestServer::select, this);
        if (options_.require_client_cert) {
            REQUIRE(SSL_CTX_load_verify_locations(ctx, pki.ca.cert.c_str(), nullptr) == 1);
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        }
        ssl_.reset(SSL_new(ctx));
        SSL_set_bio(ssl_.get(), BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
        SSL_set_accept_state(ssl_.get());
    }

    // Takes the client's bytes; returns the server's answer. Reads go into received().
    std::string exchange(const std::string& from_client) {
        if (!from_client.empty())
            BIO_write(SSL_get_rbio(ssl_.get()), from_client.data(),
                      static_cast<int>(from_client.size()));
        ERR_clear_error();
        if (!SSL_is_init_finished(ssl_.get())) SSL_do_handshake(ssl_.get());
        std::array<char, 4096> buffer;
        int n = 0;
        while (SSL_is_init_finished(ssl_.get()) &&
               (n = SSL_read(ssl_.get(), buffer.data(), buffer.size())) > 0)
            received_.append(buffer.data(), static_cast<std::size_t>(n));
        ERR_clear_error();
        return output();
    }

    std::string send(const std::string& plaintext) {
        SSL_write(ssl_.get(), plaintext.data(), static_cast<int>(plaintext.size()));
        return output();
    }

    std::string close_notify() {
        SSL_shutdown(ssl_.get());
        return output();
    }

    const std::string& received() const { return received_; }
    std::string sni() const {
        const char* name = SSL_get_servername(ssl_.get(), TLSEXT_NAMETYPE_host_name);
        return name ? name : "";
    }
    std::string client_subject() const {
        X509* cert = SSL_get1_peer_certificate(ssl_.get());
        if (!cert) return "";
        std::array<char, 256> text{};
        X509_NAME_oneline(X509_get_subject_name(cert), text.data(), text.size());
        X509_free(cert);
        return text.data();
    }

  private:
    static int select(SSL*, const unsigned char** out, unsigned char* out_length,
                      const unsigned char* offered, unsigned offered_length, void* self) {
        auto* server = static_cast<TestServer*>(self);
        for (const auto& name : server->options_.alpn)
            for (unsigned i = 0; i < offered_length; i += 1 + offered[i])
                if (std::string(reinterpret_cast<const char*>(offered + i + 1), offered[i]) ==
                    name) {
                    *out = offered + i + 1;
                    *out_length = offered[i];
                    return SSL_TLSEXT_ERR_OK;
                }
        return SSL_TLSEXT_ERR_NOACK;
    }

    std::string output() {
        BIO* out = SSL_get_wbio(ssl_.get());
        std::string bytes(BIO_ctrl_pending(out), '\0');
        if (!bytes.empty()) BIO_read(out, bytes.data(), static_cast<int>(bytes.size()));
        return bytes;
    }

    struct CtxFree {
        void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
    };
    struct SslFree {
        void operator()(SSL* ssl) const { SSL_free(ssl); }
    };
    std::unique_ptr<SSL_CTX, CtxFree> ctx_;
    std::unique_ptr<SSL, SslFree> ssl_;
    ServerOptions options_;
    std::string received_;
};

// Carries bytes both ways until neither side has anything more to say (bounded).
void pump(tls::Client& client, TestServer& server) {
    for (int round = 0; round < 20; ++round) {
        std::string to_server = client.take_output();
        std::string to_client = server.exchange(to_server);
        if (to_server.empty() && to_client.empty()) return;
        client.receive(to_client);
    }
    FAIL("the handshake did not settle in 20 rounds");
}

tls::Config trusting(const TestPki& pki) {
    tls::Config config;
    config.ca_file = pki.ca.cert;
    return config;
}

} // namespace

TEST_CASE("a verified handshake by IP address, then data both ways") {
    TestPki pki;
    TestServer server(pki, {.alpn = {"http/1.1"}});
    tls::Context context(trusting(pki));
    tls::Client client(context, "127.0.0.1");
    client.start();
    REQUIRE(client.state() == State::handshaking);
    pump(client, server);
    REQUIRE(client.state() == State::open);
    CHECK(client.alpn() == "http/1.1");
    CHECK_THAT(client.summary(), Catch::Contains("TLSv1.3") && Catch::Contains("ALPN http/1.1") &&
                                     Catch::Contains("CN=localhost"));
    CHECK(server.sni().empty()); // RFC 6066 3: no IP literals in SNI

    client.send("GET / HTTP/1.1\r\n\r\n");
    server.exchange(client.take_output());
    CHECK(server.received() == "GET / HTTP/1.1\r\n\r\n");
    client.receive(server.send("HTTP/1.1 200 OK\r\n\r\n"));
    CHECK(client.take_plaintext() == "HTTP/1.1 200 OK\r\n\r\n");
    CHECK(client.take_plaintext().empty());
}

TEST_CASE("a DNS name is sent as SNI and verified") {
    TestPki pki;
    TestServer server(pki, {});
    tls::Context context(trusting(pki));
    tls::Client client(context, "localhost");
    client.start();
    pump(client, server);
    CHECK(client.state() == State::open);
    CHECK(server.sni() == "localhost");
    CHECK(client.alpn().empty()); // the server selected none
    CHECK_THAT(client.summary(), Catch::Contains("no ALPN"));
}

TEST_CASE("a certificate from an untrusted CA fails with the verification reason") {
    TestPki pki;
    TestServer server(pki, {});
    tls::Config config;
    config.ca_file = pki.other_ca.cert;
    tls::Context context(config);
    tls::Client client(context, "127.0.0.1");
    client.start();
    pump(client, server);
    CHECK(client.state() == State::failed);
    CHECK_THAT(client.error(), Catch::StartsWith("certificate verify failed: ") &&
                                   Catch::Contains("issuer certificate"));
}

TEST_CASE("a name the certificate does not carry fails verification") {
    TestPki pki;
    TestServer server(pki, {});
    tls::Context context(trusting(pki));
    tls::Client client(context, "wrong.example");
    client.start();
    pump(client, server);
    CHECK(server.sni() == "wrong.example");
    CHECK(client.state() == State::failed);
    CHECK_THAT(client.error(), Catch::Contains("hostname mismatch"));
}

TEST_CASE("insecure mode connects whatever the certificate") {
    TestPki pki;
    TestServer server(pki, {});
    tls::Config config;
    config.ca_file = pki.other_ca.cert;
    config.insecure = true;
    tls::Context context(config);
    tls::Client client(context, "wrong.example");
    client.start();
    pump(client, server);
    CHECK(client.state() == State::open);
}

TEST_CASE("ALPN: the offer goes out in order and the server's choice is reported") {
    TestPki pki;
    TestServer server(pki, {.alpn = {"h2", "http/1.1"}});
    tls::Config config = trusting(pki);
    config.alpn = {"http/1.1", "h2"};
    tls::Context context(config);
    tls::Client client(context, "127.0.0.1");
    client.start();
    pump(client, server);
    REQUIRE(client.state() == State::open);
    CHECK(client.alpn() == "h2");
}

TEST_CASE("a client certificate is presented when the server asks") {
    TestPki pki;
    TestServer server(pki, {.require_client_cert = true});
    tls::Config config = trusting(pki);
    config.cert_file = pki.client.cert;
    config.key_file = pki.client.key;
    tls::Context context(config);
    tls::Client client(context, "127.0.0.1");
    client.start();
    pump(client, server);
    CHECK(client.state() == State::open);
    CHECK_THAT(server.client_subject(), Catch::Contains("CN=upgradespec-client"));
}

TEST_CASE("a fatal alert from the server fails the client and is named") {
    TestPki pki;
    TestServer server(pki, {.require_client_cert = true});
    tls::Context context(trusting(pki)); // no client certificate
    tls::Client client(context, "127.0.0.1");
    client.start();
    pump(client, server);
    CHECK(client.state() == State::failed);
    REQUIRE_FALSE(client.alerts().empty());
    CHECK_THAT(client.alerts().back(), Catch::StartsWith("fatal: "));
    CHECK_THAT(client.error(), Catch::StartsWith("the server sent a TLS alert (fatal: "));
}

TEST_CASE("close_notify closes the client's side") {
    TestPki pki;
    TestServer server(pki, {});
    tls::Context context(trusting(pki));
    tls::Client client(context, "127.0.0.1");
    client.start();
    pump(client, server);
    REQUIRE(client.state() == State::open);
    client.receive(server.close_notify());
    CHECK(client.state() == State::closed);
}

TEST_CASE("cleartext where TLS records belong fails the handshake") {
    TestPki pki;
    tls::Context context(trusting(pki));
    tls::Client client(context, "127.0.0.1");
    client.start();
    CHECK_FALSE(client.take_output().empty()); // the ClientHello
    client.receive("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    CHECK(client.state() == State::failed);
    CHECK_FALSE(client.error().empty());
}

TEST_CASE("unusable settings are refused with the option and the reason") {
    TestPki pki;
    tls::Config missing;
    missing.ca_file = "/nonexistent/ca.pem";
    CHECK_THROWS_WITH(tls::Context(missing), "--cacert /nonexistent/ca.pem: cannot be read");

    tls::Config not_certificates;
    not_certificates.ca_file = pki.ca.key; // a key, no certificate in it
    CHECK_THROWS_WITH(tls::Context(not_certificates),
                      Catch::StartsWith("--cacert " + pki.ca.key.string() + ": "));

    tls::Config half;
    half.cert_file = pki.client.cert;
    CHECK_THROWS_WITH(tls::Context(half), Catch::Contains("--cert and --key go together"));

    tls::Config mismatched;
    mismatched.cert_file = pki.client.cert;
    mismatched.key_file = pki.server.key;
    CHECK_THROWS_WITH(tls::Context(mismatched), Catch::StartsWith("--key "));

    tls::Config bad_alpn;
    bad_alpn.alpn = {""};
    CHECK_THROWS_WITH(tls::Context(bad_alpn), Catch::StartsWith("--alpn"));
}
