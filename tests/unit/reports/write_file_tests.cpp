#include "reports/write_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

using namespace upgradespec;
namespace fs = std::filesystem;

namespace {

// A fresh directory removed at the end of the test.
struct ScratchDir {
    fs::path path;
    ScratchDir() {
        std::random_device seed;
        path = fs::temp_directory_path() / ("reports_tests_" + std::to_string(seed()));
        fs::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

int entries(const fs::path& dir) {
    int n = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir))
        ++n;
    return n;
}

} // namespace

TEST_CASE("write_file writes the whole report and leaves no temporary file",
          "[reports][write_file]") {
    ScratchDir dir;
    const std::string path = (dir.path / "report.xml").string();
    std::string error;
    CHECK(write_file(
        path, [](std::ostream& out) { out << "first"; }, error));
    CHECK(write_file(
        path, [](std::ostream& out) { out << std::string("a\0b", 3); }, error));
    CHECK(error.empty());
    CHECK(read(path) == std::string("a\0b", 3));
    CHECK(entries(dir.path) == 1);
}

TEST_CASE("write_file reports a failure and keeps the old file", "[reports][write_file]") {
    ScratchDir dir;
    const std::string path = (dir.path / "report.json").string();
    std::string error;
    REQUIRE(write_file(
        path, [](std::ostream& out) { out << "old"; }, error));

    auto throwing = [](std::ostream& out) {
        out << "half";
        throw std::runtime_error("boom");
    };
    CHECK_FALSE(write_file(path, throwing, error));
    CHECK(error.find("boom") != std::string::npos);
    CHECK(read(path) == "old");
    CHECK(entries(dir.path) == 1);

    error.clear();
    const std::string missing = (dir.path / "no" / "such" / "report.json").string();
    CHECK_FALSE(write_file(
        missing, [](std::ostream& out) { out << "x"; }, error));
    CHECK(error.find(missing) != std::string::npos);

    error.clear();
    fs::create_directory(dir.path / "a-directory");
    const std::string directory = (dir.path / "a-directory").string();
    CHECK_FALSE(write_file(
        directory, [](std::ostream& out) { out << "x"; }, error));
    CHECK(!error.empty());
    CHECK(entries(dir.path) == 2); // the report and the directory, no temporary left
}
