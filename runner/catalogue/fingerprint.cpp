#include "catalogue/fingerprint.hpp"

#include "encoding/hex.hpp"

#include <openssl/evp.h>

#include <array>

namespace upgradespec {

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
    return hex_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
}

void Fingerprint::add(std::string_view name, std::string_view content) {
    for (std::string_view part : {name, content}) {
        parts_ += std::to_string(part.size());
        parts_ += ':';
        parts_ += part;
    }
}

} // namespace upgradespec
