#pragma once
// Small builders shared by the gate tests.
#include "model/result.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace upgradespec::test {

inline CaseResult result_case(std::string id, Verdict verdict) {
    CaseResult c;
    c.id = id;
    c.title = "Title of " + id;
    c.family = "websocket";
    c.requirement = "REQ-" + id;
    c.verdict = verdict;
    c.findings.push_back({c.requirement, verdict, "outcome of " + id, ""});
    return c;
}

// A file in the temporary folder that is removed with this object.
class TempFile {
  public:
    TempFile(const std::string& name, const std::string& text)
        : path_(std::filesystem::temp_directory_path() /
                ("gate-" + std::to_string(getpid()) + "-" + name)) {
        std::ofstream(path_, std::ios::binary) << text;
    }
    ~TempFile() { std::filesystem::remove(path_); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

} // namespace upgradespec::test
