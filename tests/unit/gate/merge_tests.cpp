#include "gate/merge.hpp"

#include "gate_helpers.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using test::result_case;

namespace {

ShardReport shard(int index, int count, std::vector<CaseResult> cases, int selection_size = 3) {
    RunResult run;
    run.tool_version = "0.1.0";
    run.target = "ws://127.0.0.1:1/ws";
    run.started_at = "2026-01-01T10:00:0" + std::to_string(index) + "Z";
    run.duration = std::chrono::microseconds(1000 * index);
    run.catalogue_fingerprint = std::string(64, 'a');
    run.selection_size = selection_size;
    run.shard = Shard{index, count};
    run.cases = std::move(cases);
    return {"shard" + std::to_string(index) + ".json", run};
}

std::vector<ShardReport> three_shards() {
    return {shard(1, 3, {result_case("a", Verdict::pass)}),
            shard(2, 3, {result_case("b", Verdict::fail)}),
            shard(3, 3, {result_case("c", Verdict::pass)})};
}

std::string refusal(const std::vector<ShardReport>& reports) {
    try {
        merge_runs(reports);
    } catch (const MergeError& e) {
        return e.what();
    }
    return "";
}

} // namespace

TEST_CASE("merging every shard gives the whole run", "[gate][merge]") {
    auto reports = three_shards();
    std::swap(reports[0], reports[2]); // the order given does not matter
    const RunResult merged = merge_runs(reports);
    REQUIRE(merged.cases.size() == 3);
    CHECK(merged.cases[0].id == "a"); // shard order
    CHECK(merged.cases[2].id == "c");
    CHECK_FALSE(merged.shard);
    CHECK(merged.selection_size == 3);
    CHECK(merged.started_at == "2026-01-01T10:00:01Z");
    CHECK(merged.duration == std::chrono::microseconds(3000));
    CHECK(merged.catalogue_fingerprint == std::string(64, 'a'));
    CHECK(merged.summary().failed == 1);
    CHECK(exit_code(merged) == 1);
}

TEST_CASE("merge refuses reports of different runs, naming the files and the field",
          "[gate][merge]") {
    auto check = [](auto change, const std::string& field) {
        auto reports = three_shards();
        change(reports[1].run);
        const std::string message = refusal(reports);
        CHECK_THAT(message, Catch::Contains("shard1.json and shard2.json") &&
                                Catch::Contains("field " + field));
    };
    check([](RunResult& r) { r.catalogue_fingerprint = std::string(64, 'b'); },
          "catalogue_fingerprint");
    check([](RunResult& r) { r.target = "ws://elsewhere/ws"; }, "target");
    check([](RunResult& r) { r.tool_version = "0.2.0"; }, "tool.version");
    check([](RunResult& r) { r.strict = true; }, "strict");
    check([](RunResult& r) { r.selection_size = 4; }, "selection_size");
    check([](RunResult& r) { r.baseline_fingerprint = std::string(64, 'c'); },
          "baseline_fingerprint");
    check([](RunResult& r) { r.shard = Shard{2, 4}; }, "shard.count");
    check([](RunResult& r) { r.shard.reset(); }, "shard");
}

TEST_CASE("merge refuses duplicate and missing shards and duplicate cases", "[gate][merge]") {
    auto reports = three_shards();
    reports.pop_back();
    CHECK_THAT(refusal(reports), Catch::Contains("field shard: shard 3/3 missing"));

    reports = three_shards();
    reports[2] = shard(2, 3, {result_case("c", Verdict::pass)});
    reports[2].file = "again.json";
    CHECK_THAT(refusal(reports), Catch::Contains("shard2.json and again.json") &&
                                     Catch::Contains("field shard.index"));

    reports = three_shards();
    reports[2].run.cases.push_back(result_case("a", Verdict::pass));
    CHECK_THAT(refusal(reports), Catch::Contains("shard1.json and shard3.json") &&
                                     Catch::Contains("case \"a\" is in both"));

    reports = three_shards();
    reports[2].run.cases.clear(); // a shard report that lost its cases
    CHECK_THAT(refusal(reports), Catch::Contains("field selection_size"));

    CHECK_THAT(refusal({}), Catch::Contains("no report"));
}

TEST_CASE("an empty shard merges; a lone unsharded report passes through", "[gate][merge]") {
    std::vector<ShardReport> reports = {shard(1, 2, {result_case("a", Verdict::pass)}, 1),
                                        shard(2, 2, {}, 1)};
    CHECK(exit_code(reports[1].run) == 0); // an empty shard passes on its own
    CHECK(merge_runs(reports).cases.size() == 1);

    ShardReport whole = shard(1, 1, {result_case("a", Verdict::pass)}, 1);
    whole.run.shard.reset();
    CHECK(merge_runs({whole}).cases.size() == 1);
}

TEST_CASE("merged runs keep interruption, problems and the stale waivers of the whole run",
          "[gate][merge]") {
    auto reports = three_shards();
    reports[0].run.interrupted = true;
    reports[1].run.target_problem = "died";
    reports[2].run.target_problem = "died";
    // Each shard saw the waiver of "b" as naming a case not in its run... except shard 2.
    reports[0].run.stale_waivers = {{"b", "r", "", false}, {"gone", "r", "", false}};
    reports[2].run.stale_waivers = {{"b", "r", "", false}, {"gone", "r", "", false}};
    reports[1].run.stale_waivers = {{"gone", "r", "", false}, {"a", "r", "", true}};
    const RunResult merged = merge_runs(reports);
    CHECK(merged.interrupted);
    CHECK(merged.target_problem == "died");
    REQUIRE(merged.stale_waivers.size() == 2);
    CHECK(merged.stale_waivers[0].case_id == "gone");
    CHECK(merged.stale_waivers[1].case_id == "a");
    CHECK(exit_code(merged) == 130);
}
