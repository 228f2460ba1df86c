#pragma once
// Certificates for the TLS tests, made in-process with OpenSSL and written as PEM files into a
// temporary folder that is removed afterwards. Nothing is checked in.
#include <filesystem>
#include <string>

namespace upgradespec::tls_test {

struct PemFiles {
    std::filesystem::path cert, key;
};

// A CA and a server certificate it signed, for CN=localhost with the subjectAltNames
// DNS:localhost and IP:127.0.0.1; a client certificate (CN=upgradespec-client) by the same CA;
// and a second, unrelated CA that trusts none of them.
class TestPki {
  public:
    TestPki();
    ~TestPki();
    TestPki(const TestPki&) = delete;
    TestPki& operator=(const TestPki&) = delete;

    PemFiles ca, server, client, other_ca;

  private:
    std::filesystem::path dir_;
};

} // namespace upgradespec::tls_test
