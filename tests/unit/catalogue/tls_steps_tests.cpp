// The TLS steps (start_tls, expect_response_in_tls, send_raw, expect_tls_close) as the loader
// reads them, and the schema's word on them.
#include "catalogue/loader.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>

using namespace upgradespec;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

const std::filesystem::path schema_path =
    std::filesystem::path(SUITE_DIR) / "schema" / "case.schema.json";

std::string file_with_steps(const json& steps) {
    json c = {{"id", "tls.example.steps"},
              {"title", "TLS steps"},
              {"requirement", "TLS-CONTINUE-RESPONSE"},
              {"refs", {"RFC2817 3.3"}},
              {"level", "MUST"},
              {"send", {{"template", "tls-upgrade"}}},
              {"outcomes", {{{"verdict", "pass"}, {"when", {{"steps_ok", true}}}}}},
              {"otherwise", {{"verdict", "fail"}, {"why", "no"}}},
              {"after_101", steps}};
    return json{{"family", "tls-upgrade"}, {"title", "TLS"}, {"cases", {c}}}.dump();
}

std::string load_error(const json& steps) {
    try {
        load_case_file(file_with_steps(steps), "tls.json", schema_path);
    } catch (const CatalogueError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("the TLS steps load with their options", "[loader][tls]") {
    auto cases = load_case_file(file_with_steps(json::parse(R"([
        {"start_tls": {}},
        {"start_tls": {"start_only": true}, "why": "TLS must start"},
        {"expect_response_in_tls": {}},
        {"send_raw": {"payload": "not TLS\r\n"}},
        {"send_raw": {"payload_hex": "16 03 01"}},
        {"expect_tls_close": {}}
    ])")),
                                "tls.json", schema_path);
    REQUIRE(cases.size() == 1);
    const auto& steps = cases[0].after_101;
    REQUIRE(steps.size() == 6);
    CHECK(steps[0].kind == Step::Kind::start_tls);
    CHECK_FALSE(steps[0].tls_start_only);
    CHECK(steps[1].kind == Step::Kind::start_tls);
    CHECK(steps[1].tls_start_only);
    CHECK(steps[1].why == "TLS must start");
    CHECK(steps[2].kind == Step::Kind::expect_response_in_tls);
    CHECK(steps[3].kind == Step::Kind::send_raw);
    CHECK(steps[3].bytes == "not TLS\r\n");
    CHECK(steps[4].bytes == std::string("\x16\x03\x01"));
    CHECK(steps[5].kind == Step::Kind::expect_tls_close);
}

TEST_CASE("malformed TLS steps are refused by the schema", "[loader][tls]") {
    CHECK_THAT(load_error(json::parse(R"([{"start_tls": {"alpn": "h2"}}])")),
               Contains("after_101"));
    CHECK_THAT(load_error(json::parse(R"([{"expect_tls_close": {"alerts": 1}}])")),
               Contains("after_101"));
    CHECK_THAT(load_error(json::parse(R"([{"send_raw": {}}])")), Contains("after_101"));
    CHECK_THAT(load_error(json::parse(R"([{"send_raw": {"payload": "a", "payload_hex": "61"}}])")),
               Contains("after_101"));
    CHECK_THAT(load_error(json::parse(R"([{"send_raw": {"payload_hex": "   "}}])")),
               Contains("after_101[0].send_raw.payload_hex"));
    CHECK_THAT(load_error(json::parse(R"([{"send_raw": {"payload_hex": "16 0g"}}])")),
               Contains("after_101[0].send_raw.payload_hex"));
}

// A long payload_hex loads: the schema checks it without ^...$ patterns, which std::regex walks
// with one recursion per character (see "a long then_hex loads").
TEST_CASE("a long send_raw payload_hex loads", "[loader][tls]") {
    const json steps =
        json::array({json{{"send_raw", {{"payload_hex", std::string(2 * 32768, 'a')}}}}});
    auto cases = load_case_file(file_with_steps(steps), "tls.json", schema_path);
    REQUIRE(cases.size() == 1);
    CHECK(cases[0].after_101[0].bytes == std::string(32768, '\xaa'));
}

TEST_CASE("the shipped RFC 2817 family uses the TLS steps", "[loader][tls]") {
    Catalogue catalogue = load_catalogue({SUITE_DIR, {}});
    const Case* continued = nullptr;
    for (const auto& c : catalogue.cases)
        if (c.id == "tls.continue.response") continued = &c;
    REQUIRE(continued);
    CHECK(continued->family == "tls-upgrade");
    CHECK(continued->needs == std::vector<std::string>{"tls-upgrade"});
    REQUIRE(continued->after_101.size() == 2);
    CHECK(continued->after_101[0].kind == Step::Kind::start_tls);
    CHECK(continued->after_101[1].kind == Step::Kind::expect_response_in_tls);
    CHECK(catalogue.templates.count("tls-upgrade") == 1);
}
