#include "ws/handshake.hpp"

#include "encoding/base64.hpp"
#include "wire/fields.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <climits>
#include <stdexcept>

namespace upgradespec::ws {

namespace {
constexpr std::string_view websocket_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::string sha1(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha1(), nullptr) != 1)
        throw std::runtime_error("OpenSSL could not compute SHA-1");
    return std::string(reinterpret_cast<const char*>(digest.data()), size);
}

} // namespace

std::string compute_accept(std::string_view key) {
    std::string input(trim_ows(key));
    input += websocket_guid;
    return base64_encode(sha1(input));
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > INT_MAX ||
        RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("OpenSSL RAND_bytes failed");
    return out;
}

std::string random_key() {
    return base64_encode(random_bytes(16));
}

} // namespace upgradespec::ws
