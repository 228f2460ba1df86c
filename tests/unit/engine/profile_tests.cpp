#include "engine/profile.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace upgradespec;
using Catch::Matchers::Contains;

namespace {

const std::filesystem::path schema =
    std::filesystem::path(SUITE_DIR) / "schema" / "profile.schema.json";

// A profile file in the temp folder, removed when the test ends.
struct ProfileFile {
    std::filesystem::path path;
    explicit ProfileFile(const std::string& text)
        : path(std::filesystem::temp_directory_path() /
               ("upgradespec-profile-" + std::to_string(::getpid()) + ".json")) {
        std::ofstream(path) << text;
    }
    ~ProfileFile() { std::filesystem::remove(path); }
};

std::string error_of(const std::string& text, Target target = {}) {
    ProfileFile file(text);
    try {
        apply_profile(file.path, schema, target);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("a profile adds endpoints, claims and headers to the URL's facts", "[profile]") {
    ProfileFile file(R"({
        "plain_path": "/index.html",
        "websocket": {"path": "/chat", "echo": true, "subprotocols": ["chat.v2"],
                      "allowed_origins": ["https://good.example"]},
        "claims": ["h2c", "tls-upgrade"], "spec": "rfc7540", "tls_required_path": "/secure",
        "headers": ["Authorization: Bearer t"]})");
    Target target = parse_target_url("http://127.0.0.1:8080/");
    apply_profile(file.path, schema, target);
    CHECK(target.plain_path == "/index.html");
    CHECK(target.websocket_endpoint);
    CHECK(target.ws_path == "/chat");
    CHECK(target.websocket_echo);
    CHECK(target.subprotocols == std::vector<std::string>{"chat.v2"});
    CHECK(target.allowed_origins == std::vector<std::string>{"https://good.example"});
    CHECK(target.claims_h2c);
    CHECK(target.claims_tls_upgrade);
    CHECK(target.tls_required_path == "/secure");
    CHECK(target.h2c_spec == "rfc7540");
    CHECK(target.extra_fields == std::vector<std::string>{"Authorization: Bearer t"});
    CHECK(target.unmet("origin-allowlist").empty());
    CHECK(target.unmet("h2c-required").empty());
}

TEST_CASE("a profile's URL is used when the command line gives none", "[profile]") {
    ProfileFile file(R"({"url": "ws://[::1]:9000/ws"})");
    Target target;
    apply_profile(file.path, schema, target);
    CHECK(target.host == "::1");
    CHECK(target.ws_path == "/ws");
    CHECK_THAT(error_of("{}"), Contains("no url"));
}

TEST_CASE("profile errors name the file and the field", "[profile]") {
    Target target = parse_target_url("ws://127.0.0.1:1/ws");
    CHECK_THAT(error_of(R"({"claims": ["h3"]})", target), Contains("field claims[0]"));
    CHECK_THAT(error_of(R"({"websocket": {"echo": true}})", target), Contains("field websocket"));
    CHECK_THAT(error_of(R"({"plain_path": "index"})", target), Contains("field plain_path"));
    CHECK_THAT(error_of(R"({"colour": "blue"})", target), Contains("profile.schema.json"));
    CHECK_THAT(error_of("{", target), Contains("not valid JSON"));
    CHECK_THAT(error_of(R"({"url": "ftp://x/"})"), Contains("unknown scheme"));
}
