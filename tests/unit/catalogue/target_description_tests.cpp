#include "catalogue/target_description.hpp"

#include "catalogue/json_input.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

using namespace upgradespec;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

const std::filesystem::path schema_dir = std::filesystem::path(SUITE_DIR) / "schema";

// The members a schema's object allows, dotted for nested objects ("websocket.echo").
std::set<std::string> schema_members(const json& object, const std::string& prefix = "") {
    std::set<std::string> names;
    for (const auto& [name, member] : object["properties"].items()) {
        if (name == "$schema") continue;
        if (member.value("type", "") == "object")
            for (const auto& inner : schema_members(member, prefix + name + "."))
                names.insert(inner);
        else
            names.insert(prefix + name);
    }
    return names;
}

std::string error_of(const TargetDescription& d, const std::string& url) {
    Target target = parse_target_url(url);
    tls::Config tls;
    try {
        apply_description(d, target, tls);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("the table names each option once in each place, as the schemas do", "[target]") {
    std::set<std::string> flags, entry_members, profile_paths;
    for (const auto& option : target_options()) {
        CHECK_FALSE(option.meaning.empty());
        if (!option.flag.empty()) CHECK(flags.insert(std::string(option.flag)).second);
        if (!option.entry_member.empty())
            CHECK(entry_members.insert(std::string(option.entry_member)).second);
        if (!option.profile_path.empty())
            CHECK(profile_paths.insert(std::string(option.profile_path)).second);
    }
    const json targets = read_json_file(schema_dir / "targets.schema.json");
    std::set<std::string> in_targets_file =
        schema_members(targets["properties"]["targets"]["items"]);
    in_targets_file.erase("name"); // the entry's own, not a target option
    CHECK(entry_members == in_targets_file);
    CHECK(profile_paths == schema_members(read_json_file(schema_dir / "profile.schema.json")));
}

TEST_CASE("a description said after another adds to it", "[target]") {
    TargetDescription d{.url = "ws://a/", .subprotocols = {"chat"}, .spec = "rfc9113"};
    d.add({.echo = true,
           .subprotocols = {"v2"},
           .headers = {"X: 1"},
           .spec = "rfc7540",
           .tls_port = 8443});
    CHECK(d.url == "ws://a/");
    CHECK(d.echo);
    CHECK(d.subprotocols == std::vector<std::string>{"chat", "v2"});
    CHECK(d.headers == std::vector<std::string>{"X: 1"});
    CHECK(d.spec == "rfc7540");
    CHECK(d.tls_port == 8443);
    d.add({});
    CHECK(d.echo);
    CHECK(d.spec == "rfc7540");
    CHECK(d.tls_port == 8443);
}

TEST_CASE("a targets file's entry and a profile name the same options their own way", "[target]") {
    const auto entry = description_from_json(
        json::parse(R"({"name": "edge", "url": "ws://h/ws", "profile": "p.json", "echo": true,
                        "subprotocols": ["chat"], "cacert": "/etc/ca.pem", "tls_port": 8443,
                        "insecure": true})"),
        DescriptionSource::targets_entry, "/work/targets/all.json");
    CHECK(entry.url == "ws://h/ws");
    CHECK(entry.profile == "/work/targets/p.json"); // beside the targets file
    CHECK(entry.cacert == "/etc/ca.pem");
    CHECK(entry.echo);
    CHECK(entry.subprotocols == std::vector<std::string>{"chat"});
    CHECK(entry.tls_port == 8443);
    CHECK(entry.insecure);

    const auto profile = description_from_json(
        json::parse(R"({"plain_path": "/i", "websocket": {"path": "/chat", "echo": true,
                        "allowed_origins": ["https://a"]}, "claims": ["h2c"]})"),
        DescriptionSource::profile, "/work/p.json");
    CHECK(profile.plain_path == "/i");
    CHECK(profile.ws_path == "/chat");
    CHECK(profile.echo);
    CHECK(profile.allowed_origins == std::vector<std::string>{"https://a"});
    CHECK(profile.claims == std::vector<std::string>{"h2c"});
}

TEST_CASE("a description applies to the target and its TLS settings", "[target]") {
    Target target = parse_target_url("http://127.0.0.1:8080/");
    tls::Config tls;
    apply_description({.plain_path = "/index.html",
                       .ws_path = "/ws",
                       .echo = true,
                       .claims = {"tls-upgrade"},
                       .headers = {"Authorization: Bearer t"},
                       .origin = "https://app.example",
                       .host_header = "front.example",
                       .resolve = "127.0.0.1:8080:[::1]",
                       .http11_required_path = "/old",
                       .tls_port = 8443,
                       .sni = "front.example",
                       .cacert = "ca.pem",
                       .insecure = true},
                      target, tls);
    CHECK(target.plain_path == "/index.html");
    CHECK(target.websocket_endpoint);
    CHECK(target.ws_path == "/ws");
    CHECK(target.websocket_echo);
    CHECK(target.claims_tls_upgrade);
    CHECK_FALSE(target.claims_h2c);
    CHECK(target.extra_fields == std::vector<std::string>{"Authorization: Bearer t"});
    CHECK(target.origin == "https://app.example");
    CHECK(target.host_header == "front.example");
    CHECK(target.connect_address == "::1");
    CHECK(target.http11_required_path == "/old");
    CHECK(target.tls_port == "8443");
    CHECK(tls.sni == "front.example");
    CHECK(tls.ca_file == "ca.pem");
    CHECK(tls.insecure);
}

TEST_CASE("a value that cannot be used names its option", "[target]") {
    CHECK_THAT(error_of({.headers = {"NoColonHere"}}, "ws://h/"),
               Contains("-H \"NoColonHere\": expected 'Name: value'"));
    CHECK_THAT(error_of({.resolve = "127.0.0.1:1"}, "ws://127.0.0.1:1/"),
               Contains("HOST:PORT:ADDR"));
    CHECK_THAT(error_of({.resolve = "other:80:127.0.0.1"}, "ws://127.0.0.1:1/"),
               Contains("--resolve \"other:80:127.0.0.1\": the target is 127.0.0.1:1"));
    CHECK_THAT(error_of({.resolve = "127.0.0.1:1:"}, "ws://127.0.0.1:1/"), Contains("no address"));
}
