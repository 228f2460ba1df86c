#include "catalogue/loader.hpp"
#include "checks/rules.hpp"

#include "temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

using namespace upgradespec;
using nlohmann::json;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using upgradespec::testing::TempDir;

namespace {

const fs::path suite_dir = SUITE_DIR;
const fs::path schema_path = suite_dir / "schema" / "requirements.schema.json";

json valid_requirement(const std::string& id = "VENDOR-ONE") {
    return {{"id", id},
            {"level", "MUST"},
            {"sections", {"RFC9110 7.8"}},
            {"title", "A vendor's own requirement"},
            {"rule", "The server does what the vendor's own profile says it does, every time."},
            {"grading", {{"pass", "the answer is the one the vendor expects"}}}};
}

json requirements_doc(const std::vector<json>& entries) {
    return {{"title", "vendor requirements"}, {"requirements", entries}};
}

json case_naming(const std::string& requirement) {
    json c = {{"id", "vendor.one.case"},
              {"title", "A vendor case"},
              {"requirement", requirement},
              {"refs", {"RFC9110 7.8"}},
              {"level", "MUST"},
              {"send", {{"template", "plain-get"}}},
              {"outcomes", {{{"verdict", "pass"}, {"when", {{"status", 200}}}}}},
              {"otherwise", {{"verdict", "warn"}, {"why", "unexpected answer"}}}};
    return {{"family", "vendor"}, {"title", "Vendor cases"}, {"cases", {c}}};
}

std::string catalogue_error(const TempDir& folder) {
    try {
        load_catalogue({suite_dir, {folder.path()}});
    } catch (const CatalogueError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("every shipped case and every cross-cutting rule names a known requirement",
          "[requirements]") {
    Catalogue catalogue = load_catalogue({suite_dir, {}});
    REQUIRE(catalogue.requirements.size() >= 100);
    std::set<std::string> ids;
    for (const auto& r : catalogue.requirements) {
        CHECK(ids.insert(r.id).second);
        CHECK(r.grading.count("pass") == 1);
    }
    for (const auto& c : catalogue.cases)
        CHECK(catalogue.requirement(c.requirement) != nullptr);
    for (const auto& rule : all_rules()) {
        INFO(rule.id);
        CHECK(ids.count(std::string(rule.requirement)) == 1);
    }
}

TEST_CASE("a requirement's fields are read", "[requirements]") {
    json entry = valid_requirement();
    entry["level_note"] = "MUST for the status, SHOULD for the body";
    entry["grading"]["warn"] = "an empty body";
    auto list = load_requirements_file(requirements_doc({entry}).dump(), "r.json", schema_path);
    REQUIRE(list.size() == 1);
    const Requirement& r = list.front();
    CHECK(r.id == "VENDOR-ONE");
    CHECK(r.level == "MUST");
    CHECK(r.level_note == "MUST for the status, SHOULD for the body");
    CHECK(r.sections == std::vector<std::string>{"RFC9110 7.8"});
    CHECK(r.title == "A vendor's own requirement");
    CHECK(r.grading.at("warn") == "an empty body");
}

TEST_CASE("a schema error names the file, the requirement and the field", "[requirements]") {
    json entry = valid_requirement();
    entry["level"] = "MUSTNT";
    try {
        load_requirements_file(requirements_doc({entry}).dump(), "r.json", schema_path);
        FAIL("an unknown level loaded");
    } catch (const CatalogueError& e) {
        CHECK_THAT(e.what(), Contains("r.json"));
        CHECK_THAT(e.what(), Contains("requirement \"VENDOR-ONE\""));
        CHECK_THAT(e.what(), Contains("field requirements[0].level"));
        CHECK_THAT(e.what(), Contains("requirements.schema.json"));
    }
}

TEST_CASE("a case naming an unknown requirement names the file, the case and the field",
          "[requirements]") {
    TempDir folder;
    folder.write("vendor.json", case_naming("VENDOR-NOWHERE").dump());
    const std::string message = catalogue_error(folder);
    CHECK_THAT(message, Contains((folder.path() / "vendor.json").string()));
    CHECK_THAT(message, Contains("case \"vendor.one.case\""));
    CHECK_THAT(message, Contains("field requirement"));
    CHECK_THAT(message, Contains("VENDOR-NOWHERE"));
}

TEST_CASE("a --suite folder brings its own requirements", "[requirements]") {
    TempDir folder;
    folder.write("vendor.json", case_naming("VENDOR-ONE").dump());
    folder.write("requirements.json", requirements_doc({valid_requirement()}).dump());
    Catalogue catalogue = load_catalogue({suite_dir, {folder.path()}});
    REQUIRE(catalogue.requirement("VENDOR-ONE") != nullptr);
    CHECK(catalogue.cases.back().id == "vendor.one.case");

    SECTION("but cannot redefine a shipped one") {
        folder.write("requirements.json",
                     requirements_doc({valid_requirement("UPG-426-UPGRADE-HDR")}).dump());
        const std::string message = catalogue_error(folder);
        CHECK_THAT(message, Contains("requirement \"UPG-426-UPGRADE-HDR\""));
        CHECK_THAT(message, Contains("already defined in"));
    }
}

TEST_CASE("a run carries the entries of the requirements its cases and findings name",
          "[requirements]") {
    Catalogue catalogue = load_catalogue({suite_dir, {}});
    CaseResult c;
    c.requirement = "WS-ACCEPT";
    c.findings.push_back(
        {"UPG-101-CONNECTION", Verdict::fail, "no upgrade in Connection", "rule.101-connection"});
    c.findings.push_back({"NOT-IN-THE-CATALOGUE", Verdict::info, "", ""});
    auto named = requirements_named({c}, catalogue);
    CHECK(named.size() == 2);
    CHECK(named.at("WS-ACCEPT").title == catalogue.requirement("WS-ACCEPT")->title);
    CHECK(named.count("UPG-101-CONNECTION") == 1);
}

// A FAIL must point at a MUST that the transcript shows broken: an answer a case did not foresee
// is a warning ("check by hand"), never a failure.
TEST_CASE("no case fails what it did not foresee, and every failure names a MUST",
          "[requirements][verdicts]") {
    Catalogue catalogue = load_catalogue({suite_dir, {}});
    for (const auto& c : catalogue.cases) {
        INFO(c.file << ": case " << c.id);
        CHECK(c.otherwise.verdict != Verdict::fail);
        const Requirement* r = catalogue.requirement(c.requirement);
        REQUIRE(r != nullptr);
        for (const auto& o : c.outcomes) {
            if (o.verdict != Verdict::fail) continue;
            INFO("why: " << o.why);
            CHECK(o.why.find("RFC ") != std::string::npos); // the rule it breaks, by its RFC
            CHECK(r->level == "MUST");
        }
    }
}

// The grading tells a reader what each verdict of a requirement means: every failure and warning
// its cases can give is described there.
TEST_CASE("a requirement's grading describes each fail and warn its cases can give",
          "[requirements][verdicts]") {
    Catalogue catalogue = load_catalogue({suite_dir, {}});
    for (const auto& c : catalogue.cases) {
        INFO(c.file << ": case " << c.id << ", requirement " << c.requirement);
        const Requirement* r = catalogue.requirement(c.requirement);
        REQUIRE(r != nullptr);
        std::vector<Outcome> outcomes = c.outcomes;
        outcomes.push_back(c.otherwise);
        for (const auto& o : outcomes)
            if (o.verdict == Verdict::fail || o.verdict == Verdict::warn)
                CHECK(r->grading.count(std::string(to_string(o.verdict))) == 1);
    }
}

// The cross-cutting rules follow the cases' rule: a rule that can fail enforces a MUST, the worst
// verdict a rule gives is described in its requirement's grading, and its findings name the RFC
// sections of that requirement.
TEST_CASE("a rule that can fail enforces a MUST", "[requirements][verdicts]") {
    Catalogue catalogue = load_catalogue({suite_dir, {}});
    for (const auto& rule : all_rules()) {
        INFO(rule.id << " enforces " << rule.requirement);
        const Requirement* r = catalogue.requirement(std::string(rule.requirement));
        REQUIRE(r != nullptr);
        if (rule.at_most == Verdict::fail) CHECK(r->level == "MUST");
        CHECK(r->grading.count(std::string(to_string(rule.at_most))) == 1);
        // Its RFC sections ("RFC 9110 7.8, RFC 6455 4.1") are among the requirement's.
        std::stringstream sections{std::string(rule.rfc)};
        for (std::string section; std::getline(sections, section, ',');) {
            section.erase(0, section.find_first_not_of(' '));
            REQUIRE(section.rfind("RFC ", 0) == 0);
            const std::string as_listed = "RFC" + section.substr(4); // "RFC9110 7.8"
            CHECK(std::count(r->sections.begin(), r->sections.end(), as_listed) == 1);
        }
    }
}
