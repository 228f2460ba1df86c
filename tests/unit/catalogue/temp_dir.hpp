#pragma once
// A fresh folder under the system temp dir for catalogue files, removed with everything in it.
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace upgradespec::testing {

class TempDir {
  public:
    TempDir()
        : path_(std::filesystem::temp_directory_path() /
                ("upgradespec-catalogue-" + std::to_string(std::random_device{}()))) {
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name, std::ios::binary) << text;
    }

  private:
    std::filesystem::path path_;
};

} // namespace upgradespec::testing
