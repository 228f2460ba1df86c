#include "reports/comparison.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace upgradespec;

namespace {

Comparison sample() {
    Comparison c;
    c.old_file = "old.json";
    c.new_file = "new.json";
    c.old_target = "ws://a/ws";
    c.new_target = "ws://b/ws";
    c.regressions = {{"ws.version", "Version | pipes", Verdict::pass, Verdict::fail},
                     {"ws.origin", "Origin", Verdict::info, Verdict::warn}};
    c.fixes = {{"ws.key", "Key", Verdict::error, Verdict::pass}};
    c.new_cases = {{"ws.new", "New *case*", Verdict::skip}};
    c.unchanged = 10;
    return c;
}

std::string text_of(const Comparison& c) {
    std::ostringstream out;
    write_comparison_text(c, out);
    return out.str();
}

std::string markdown_of(const Comparison& c) {
    std::ostringstream out;
    write_comparison_markdown(c, out);
    return out.str();
}

} // namespace

TEST_CASE("comparison text lists each kind of change and ends with the totals",
          "[reports][comparison]") {
    const std::string text = text_of(sample());
    CHECK_THAT(text, Catch::StartsWith("Comparing old.json (ws://a/ws) with new.json (ws://b/ws)"));
    CHECK_THAT(text, Catch::Contains("\nRegressions (2)\n  ws.version  pass -> fail  Version"));
    CHECK_THAT(text, Catch::Contains("  ws.origin  info -> warn  Origin\n"));
    CHECK_THAT(text, Catch::Contains("\nFixes (1)\n  ws.key  error -> pass  Key\n"));
    CHECK_THAT(text, Catch::Contains("\nNew cases (1)\n  ws.new  skip  New *case*\n"));
    CHECK_FALSE(text.find("Removed cases") != std::string::npos); // empty sections are left out
    CHECK_THAT(text, Catch::EndsWith("\n2 regressions, 1 fix, 0 other changes, 1 new, 0 removed, "
                                     "10 unchanged\n"));
    Comparison other = sample();
    other.same_catalogue = false;
    CHECK_THAT(text_of(other), Catch::Contains("different catalogues"));
}

TEST_CASE("comparison Markdown has a table per kind, cells escaped", "[reports][comparison]") {
    const std::string md = markdown_of(sample());
    CHECK_THAT(md, Catch::StartsWith("## upgradespec: regressions found\n"));
    CHECK_THAT(md, Catch::Contains("### Regressions (2)\n\n| case | before | after | title |\n"
                                   "|---|---|---|---|\n"
                                   "| `ws.version` | pass | fail | Version \\| pipes |\n"));
    CHECK_THAT(md, Catch::Contains("| `ws.new` | skip | New \\*case\\* |"));
    CHECK_THAT(md, Catch::Contains("**2 regressions, 1 fix,"));
    Comparison calm = sample();
    calm.regressions.clear();
    CHECK_THAT(markdown_of(calm), Catch::StartsWith("## upgradespec: no regressions\n"));
}
