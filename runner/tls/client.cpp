#include "tls/client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <utility>

namespace upgradespec::tls {

namespace {

// OpenSSL's reason for the most recent error on this thread, or `fallback`.
std::string last_reason(const std::string& fallback) {
    unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0) return fallback;
    const char* reason = ERR_reason_error_string(code);
    if (reason) return reason;
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    return text.data();
}

// ALPN's wire form (RFC 7301 3.1): each name prefixed by its length.
std::string alpn_wire(const std::vector<std::string>& names) {
    std::string wire;
    for (const auto& name : names) {
        if (name.empty() || name.size() > 255)
            throw Error("--alpn: \"" + name + "\" is not a protocol name (1 to 255 bytes)");
        wire += static_cast<char>(name.size());
        wire += name;
    }
    return wire;
}

// OpenSSL names a missing file only as "system lib": say it plainly first.
void check_readable(const std::string& option, const std::string& file) {
    if (!std::ifstream(file)) throw Error(option + " " + file + ": cannot be read");
}

bool is_ip_address(const std::string& host) {
    std::array<unsigned char, 16> address{};
    return inet_pton(AF_INET, host.c_str(), address.data()) == 1 ||
           inet_pton(AF_INET6, host.c_str(), address.data()) == 1;
}

void load_client_certificate(SSL_CTX* ctx, const Config& config) {
    if (config.cert_file.empty() != config.key_file.empty())
        throw Error("--cert and --key go together: a client certificate needs its key");
    if (config.cert_file.empty()) return;
    check_readable("--cert", config.cert_file);
    check_readable("--key", config.key_file);
    if (SSL_CTX_use_certificate_chain_file(ctx, config.cert_file.c_str()) != 1)
        throw Error("--cert " + config.cert_file + ": " + last_reason("cannot be loaded"));
    if (SSL_CTX_use_PrivateKey_file(ctx, config.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
        throw Error("--key " + config.key_file + ": " + last_reason("cannot be loaded"));
    if (SSL_CTX_check_private_key(ctx) != 1)
        throw Error("--key " + config.key_file + ": " + last_reason("does not match --cert"));
}

void load_trust(SSL_CTX* ctx, const Config& config) {
    if (config.insecure) {
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
        return;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (config.ca_file.empty()) return; // the system's store: Context::native() loads it
    check_readable("--cacert", config.ca_file);
    if (SSL_CTX_load_verify_locations(ctx, config.ca_file.c_str(), nullptr) != 1)
        throw Error("--cacert " + config.ca_file + ": " + last_reason("cannot be loaded"));
}

} // namespace

void Context::Free::operator()(SSL_CTX* ctx) const {
    SSL_CTX_free(ctx);
}

Context::Context(const Config& config)
    : ctx_(SSL_CTX_new(TLS_client_method())), verify_(!config.insecure) {
    if (!ctx_) throw Error("cannot create a TLS context: " + last_reason("out of memory"));
    if (!config.alpn.empty()) {
        std::string wire = alpn_wire(config.alpn);
        // Returns 0 on success, unlike most of OpenSSL.
        if (SSL_CTX_set_alpn_protos(ctx_.get(), reinterpret_cast<const unsigned char*>(wire.data()),
                                    static_cast<unsigned>(wire.size())) != 0)
            throw Error("--alpn: " + last_reason("cannot be set"));
    }
    load_trust(ctx_.get(), config);
    load_client_certificate(ctx_.get(), config);
    trusts_system_store_ = verify_ && config.ca_file.empty();
}

ssl_ctx_st* Context::native() const {
    if (!trusts_system_store_) return ctx_.get();
    // Parsing the system's store costs more than the rest of a run: once, and only when used.
    // A throw leaves the flag unset, so the next connection tries again.
    std::call_once(system_store_, [this] {
        if (SSL_CTX_set_default_verify_paths(ctx_.get()) != 1)
            throw Error("the system's trusted CAs: " + last_reason("cannot be loaded"));
    });
    return ctx_.get();
}

void Client::Free::operator()(SSL* ssl) const {
    SSL_free(ssl); // frees both memory BIOs too
}

Client::Client(const Context& context, const std::string& server_name,
               const std::optional<std::vector<std::string>>& alpn)
    : ssl_(SSL_new(context.native())) {
    if (!ssl_) throw Error("cannot create a TLS connection: " + last_reason("out of memory"));
    SSL* ssl = ssl_.get();
    if (alpn) {
        std::string wire = alpn_wire(*alpn);
        // An empty list turns the context's offer off for this connection.
        if (SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(wire.data()),
                                static_cast<unsigned>(wire.size())) != 0)
            throw Error("ALPN: " + last_reason("cannot be set"));
    }
    SSL_set_bio(ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_connect_state(ssl);
    SSL_set_app_data(ssl, this);
    SSL_set_info_callback(ssl, &Client::on_info);
    bool ip = is_ip_address(server_name);
    if (!ip && !server_name.empty()) SSL_set_tlsext_host_name(ssl, server_name.c_str());
    if (!context.verifies() || server_name.empty()) return;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (ip) {
        X509_VERIFY_PARAM_set1_ip_asc(param, server_name.c_str());
    } else {
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        X509_VERIFY_PARAM_set1_host(param, server_name.c_str(), server_name.size());
    }
}

Client::~Client() = default;

void Client::on_info(const SSL* ssl, int where, int value) {
    if (!(where & SSL_CB_READ_ALERT)) return;
    auto* self = static_cast<Client*>(SSL_get_app_data(ssl));
    self->alerts_.push_back(std::string(SSL_alert_type_string_long(value)) + ": " +
                            SSL_alert_desc_string_long(value));
}

void Client::start() {
    step();
}

void Client::receive(std::string_view ciphertext) {
    if (state_ == State::failed || state_ == State::closed) return;
    if (!ciphertext.empty())
        BIO_write(SSL_get_rbio(ssl_.get()), ciphertext.data(), static_cast<int>(ciphertext.size()));
    step();
}

void Client::send(std::string_view plaintext) {
    if (state_ != State::open || plaintext.empty()) return;
    ERR_clear_error();
    int n = SSL_write(ssl_.get(), plaintext.data(), static_cast<int>(plaintext.size()));
    if (n <= 0) fail(SSL_get_error(ssl_.get(), n));
}

std::string Client::take_output() {
    BIO* out = SSL_get_wbio(ssl_.get());
    std::string bytes(BIO_ctrl_pending(out), '\0');
    if (!bytes.empty())
        bytes.resize(std::max(0, BIO_read(out, bytes.data(), static_cast<int>(bytes.size()))));
    return bytes;
}

std::string Client::take_plaintext() {
    return std::exchange(plaintext_, {});
}

void Client::step() {
    SSL* ssl = ssl_.get();
    if (state_ == State::handshaking) {
        ERR_clear_error();
        int result = SSL_do_handshake(ssl);
        if (result != 1) {
            int error = SSL_get_error(ssl, result);
            if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) fail(error);
            return;
        }
        state_ = State::open;
    }
    // The memory BIO holds a finite amount, so this ends in WANT_READ; the bound is a backstop.
    std::array<char, 16384> buffer;
    for (int reads = 0; state_ == State::open && reads < 4096; ++reads) {
        ERR_clear_error();
        int n = SSL_read(ssl, buffer.data(), static_cast<int>(buffer.size()));
        if (n > 0) {
            plaintext_.append(buffer.data(), static_cast<std::size_t>(n));
            continue;
        }
        int error = SSL_get_error(ssl, n);
        if (error == SSL_ERROR_WANT_READ) return;
        if (error == SSL_ERROR_ZERO_RETURN)
            state_ = State::closed; // close_notify
        else
            fail(error);
    }
}

void Client::fail(int error) {
    SSL* ssl = ssl_.get();
    unsigned long code = ERR_peek_last_error();
    long verify = SSL_get_verify_result(ssl);
    state_ = State::failed;
    if (ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED && verify != X509_V_OK) {
        error_ = std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
        ERR_clear_error();
    } else if (!alerts_.empty() && alerts_.back().rfind("fatal", 0) == 0) {
        error_ = "the server sent a TLS alert (" + alerts_.back() + ")";
        ERR_clear_error();
    } else if (error == SSL_ERROR_SYSCALL && code == 0) {
        error_ = "the TLS stream ended unexpectedly";
    } else {
        error_ = last_reason("TLS error " + std::to_string(error));
    }
}

std::string Client::alpn() const {
    const unsigned char* name = nullptr;
    unsigned length = 0;
    SSL_get0_alpn_selected(ssl_.get(), &name, &length);
    return name ? std::string(reinterpret_cast<const char*>(name), length) : "";
}

std::string Client::peer_subject() const {
    X509* cert = SSL_get1_peer_certificate(ssl_.get());
    if (!cert) return "";
    BIO* out = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(out, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
    std::string text(BIO_ctrl_pending(out), '\0');
    if (!text.empty())
        text.resize(std::max(0, BIO_read(out, text.data(), static_cast<int>(text.size()))));
    BIO_free(out);
    X509_free(cert);
    return text;
}

std::string Client::summary() const {
    const SSL* ssl = ssl_.get();
    std::string text = SSL_get_version(ssl);
    if (const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl))
        text += std::string(", ") + SSL_CIPHER_get_name(cipher);
    std::string protocol = alpn();
    text += protocol.empty() ? ", no ALPN" : ", ALPN " + protocol;
    std::string subject = peer_subject();
    if (!subject.empty()) text += ", peer certificate " + subject;
    return text;
}

} // namespace upgradespec::tls
