#pragma once
// SHA-256 fingerprints of input files: two runs that loaded the same catalogue (or baseline)
// carry the same hex string, wherever the files lived.
#include <string>
#include <string_view>

namespace upgradespec {

// SHA-256 of `bytes`, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// A fingerprint over named parts (file name and content), in the order they were added.
class Fingerprint {
  public:
    void add(std::string_view name, std::string_view content);
    std::string hex() const { return sha256_hex(parts_); }

  private:
    std::string parts_; // each part length-prefixed, so no two part lists read alike
};

} // namespace upgradespec
