#include "test_pki.hpp"

#include "encoding/hex.hpp"
#include "ws/handshake.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace upgradespec::tls_test {

namespace {

namespace fs = std::filesystem;

struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

void check(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// A certificate for `key`, signed by issuer_key (itself when issuer is null).
Cert make_cert(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key,
               const char* alt_names, bool ca) {
    Cert cert(X509_new());
    check(cert != nullptr, "X509_new");
    X509_set_version(cert.get(), 2);
    unsigned char serial[8];
    RAND_bytes(serial, sizeof serial);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), (serial[0] << 16) | (serial[1] << 8) | 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
    X509* signer = issuer ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    add_extension(cert.get(), signer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
    if (ca) add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    if (alt_names) add_extension(cert.get(), signer, NID_subject_alt_name, alt_names);
    check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

Key make_key() {
    Key key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EVP_EC_gen");
    return key;
}

void write_pem(const fs::path& path, X509* cert, EVP_PKEY* key) {
    BIO* out = BIO_new_file(path.c_str(), "w");
    check(out != nullptr, "BIO_new_file");
    bool ok = cert ? PEM_write_bio_X509(out, cert) == 1
                   : PEM_write_bio_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    BIO_free(out);
    check(ok, "PEM write");
}

PemFiles save(const fs::path& dir, const std::string& stem, X509* cert, EVP_PKEY* key) {
    PemFiles files{dir / (stem + ".pem"), dir / (stem + ".key")};
    write_pem(files.cert, cert, nullptr);
    write_pem(files.key, nullptr, key);
    return files;
}

fs::path fresh_dir() {
    fs::path dir =
        fs::temp_directory_path() / ("upgradespec-tls-" + hex_encode(ws::random_bytes(6)));
    fs::create_directories(dir);
    return dir;
}

} // namespace

TestPki::TestPki() : dir_(fresh_dir()) {
    Key ca_key = make_key(), server_key = make_key(), client_key = make_key(),
        other_key = make_key();
    Cert ca_cert = make_cert(ca_key.get(), "upgradespec test CA", nullptr, nullptr, nullptr, true);
    Cert server_cert = make_cert(server_key.get(), "localhost", ca_cert.get(), ca_key.get(),
                                 "DNS:localhost,IP:127.0.0.1", false);
    Cert client_cert = make_cert(client_key.get(), "upgradespec-client", ca_cert.get(),
                                 ca_key.get(), nullptr, false);
    Cert other_cert =
        make_cert(other_key.get(), "another test CA", nullptr, nullptr, nullptr, true);
    ca = save(dir_, "ca", ca_cert.get(), ca_key.get());
    server = save(dir_, "server", server_cert.get(), server_key.get());
    client = save(dir_, "client", client_cert.get(), client_key.get());
    other_ca = save(dir_, "other-ca", other_cert.get(), other_key.get());
}

TestPki::~TestPki() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

} // namespace upgradespec::tls_test
