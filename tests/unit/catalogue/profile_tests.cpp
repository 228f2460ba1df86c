#include "catalogue/profile.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace upgradespec;
using Catch::Matchers::Contains;

namespace {

const std::filesystem::path schema =
    std::filesystem::path(SUITE_DIR) / "schema" / "profile.schema.json";

// A profile file in a fresh temp folder, removed when the test ends.
struct ProfileFile {
    testing::TempDir dir;
    std::filesystem::path path = dir.path() / "target.profile.json";
    explicit ProfileFile(const std::string& text) { dir.write("target.profile.json", text); }
};

// The profile applied to `url`'s target, as the command line builds it.
Target with_profile(const std::filesystem::path& profile, const std::string& url = "") {
    tls::Config tls;
    return build_target({.url = url, .profile = profile.string()}, schema, tls);
}

std::string error_of(const std::string& text, const std::string& url = "") {
    ProfileFile file(text);
    try {
        with_profile(file.path, url);
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
    Target target = with_profile(file.path, "http://127.0.0.1:8080/");
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
    Target target = with_profile(file.path);
    CHECK(target.host == "::1");
    CHECK(target.ws_path == "/ws");
    CHECK_THAT(error_of("{}"), Contains("no url"));
}

TEST_CASE("profile errors name the file and the field", "[profile]") {
    const std::string url = "ws://127.0.0.1:1/ws";
    CHECK_THAT(error_of(R"({"claims": ["h3"]})", url), Contains("field claims[0]"));
    CHECK_THAT(error_of(R"({"websocket": {"echo": true}})", url), Contains("field websocket"));
    CHECK_THAT(error_of(R"({"plain_path": "index"})", url), Contains("field plain_path"));
    CHECK_THAT(error_of(R"({"colour": "blue"})", url), Contains("profile.schema.json"));
    CHECK_THAT(error_of("{", url), Contains("not valid JSON"));
    CHECK_THAT(error_of("{", url), Contains("target.profile.json"));
    CHECK_THAT(error_of(R"({"url": "ftp://x/"})"), Contains("unknown scheme"));
}
