#include "catalogue/loader.hpp"
#include "gate/shard.hpp"
#include "model/usage_error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

using namespace upgradespec;

namespace {

Case make_case(std::string id, std::vector<std::string> depends_on = {}) {
    Case c;
    c.id = std::move(id);
    c.depends_on = std::move(depends_on);
    return c;
}

std::map<std::string, int> shard_by_id(const std::vector<Case>& cases, int count) {
    std::map<std::string, int> where;
    for (int index = 1; index <= count; ++index)
        for (const auto& id : plan_shard(cases, {index, count}).reported)
            where[id] = index;
    return where;
}

std::vector<std::string> ids(const std::vector<Case>& cases) {
    std::vector<std::string> out;
    for (const auto& c : cases)
        out.push_back(c.id);
    return out;
}

std::vector<Case> shipped_catalogue() {
    return load_catalogue({SUITE_DIR, {}}).cases;
}

} // namespace

TEST_CASE("parse_shard reads K/N and refuses anything else", "[gate][shard]") {
    CHECK(parse_shard("1/1") == Shard{1, 1});
    CHECK(parse_shard("2/3") == Shard{2, 3});
    for (const char* bad :
         {"", "3", "0/3", "4/3", "1/0", "a/3", "1/b", "1/3x", "-1/3", "1//3", "1/1001", " 1/3"})
        CHECK_THROWS_AS(parse_shard(bad), UsageError);
    CHECK_THROWS_WITH(parse_shard("4/3"), Catch::Contains("--shard \"4/3\""));
}

TEST_CASE("a shard runs its cases' dependencies but reports only its own", "[gate][shard]") {
    const std::vector<Case> cases = {
        make_case("z.base"),
        make_case("a.child", {"z.base"}),
        make_case("m.grandchild", {"a.child"}),
        make_case("y.base"),
        make_case("b.joins-both", {"y.base", "z.base"}),
        make_case("alone"),
    };
    const int count = 1000; // large enough that the ids fall into different shards
    const int shard = shard_of("m.grandchild", count);
    const ShardPlan plan = plan_shard(cases, {shard, count});
    CHECK(plan.reported.count("m.grandchild") == 1);
    for (const auto& id : plan.reported)
        CHECK(shard_of(id, count) == shard);
    // Its dependency chain runs first, in selection order; unrelated cases do not run.
    std::vector<std::string> run = ids(plan.to_run);
    CHECK(std::find(run.begin(), run.end(), "z.base") <
          std::find(run.begin(), run.end(), "a.child"));
    CHECK(std::find(run.begin(), run.end(), "a.child") <
          std::find(run.begin(), run.end(), "m.grandchild"));
    for (const auto& id : run)
        CHECK((plan.reported.count(id) || id == "z.base" || id == "a.child"));
}

TEST_CASE("shards partition the selection, balanced, and each runs what its cases need",
          "[gate][shard]") {
    const std::vector<Case> all = shipped_catalogue();
    for (int count : {1, 2, 3, 5, 8}) {
        const auto where = shard_by_id(all, count);
        std::size_t total = 0, largest = 0;
        for (int index = 1; index <= count; ++index) {
            const ShardPlan plan = plan_shard(all, {index, count});
            total += plan.reported.size();
            largest = std::max(largest, plan.reported.size());
            const std::vector<std::string> run = ids(plan.to_run);
            const std::set<std::string> running(run.begin(), run.end());
            for (const auto& c : plan.to_run)
                for (const auto& dep : c.depends_on)
                    CHECK(running.count(dep) == 1);
        }
        INFO("count " << count);
        CHECK(total == all.size());        // disjoint: no case reported by two shards
        CHECK(where.size() == all.size()); // complete: every case somewhere
        // Hashing single ids spreads them: no shard holds twice its fair share.
        CHECK(largest <= 2 * all.size() / count + 1);
    }
}

TEST_CASE("a shard keeps the selection's order", "[gate][shard]") {
    const std::vector<Case> all = shipped_catalogue();
    const auto part = plan_shard(all, {2, 3}).to_run;
    auto position = [&](const std::string& id) {
        return std::find_if(all.begin(), all.end(), [&](const Case& c) { return c.id == id; }) -
               all.begin();
    };
    for (std::size_t i = 1; i < part.size(); ++i)
        CHECK(position(part[i - 1].id) < position(part[i].id));
}

TEST_CASE("adding a case elsewhere moves no other case", "[gate][shard]") {
    const std::vector<Case> all = shipped_catalogue();
    for (int count : {2, 3, 7}) {
        const auto before = shard_by_id(all, count);
        std::vector<Case> grown = all;
        // A new independent case, and a new case that depends on an existing one.
        grown.insert(grown.begin() + 10, make_case("zz.new.independent"));
        grown.push_back(make_case("aa.new.dependent", {all.front().id}));
        const auto after = shard_by_id(grown, count);
        for (const auto& [id, shard] : before)
            CHECK(after.at(id) == shard);
    }
}

TEST_CASE("removing a case elsewhere moves no other case", "[gate][shard]") {
    const std::vector<Case> all = shipped_catalogue();
    // Remove a case that nothing depends on.
    auto leaf = std::find_if(all.rbegin(), all.rend(), [&](const Case& c) {
        return std::none_of(all.begin(), all.end(), [&](const Case& other) {
            return std::count(other.depends_on.begin(), other.depends_on.end(), c.id) > 0;
        });
    });
    REQUIRE(leaf != all.rend());
    std::vector<Case> shrunk;
    for (const auto& c : all)
        if (c.id != leaf->id) shrunk.push_back(c);
    const auto before = shard_by_id(all, 4), after = shard_by_id(shrunk, 4);
    for (const auto& [id, shard] : after)
        CHECK(before.at(id) == shard);
}

TEST_CASE("shard_of is a fixed function of the key", "[gate][shard]") {
    // FNV-1a 64 values, so a shard never moves between builds or platforms.
    CHECK(shard_of("", 1000) == static_cast<int>(14695981039346656037ull % 1000) + 1);
    CHECK(shard_of("a", 1000) == static_cast<int>(0xaf63dc4c8601ec8cull % 1000) + 1);
    for (int count = 1; count <= 9; ++count) {
        const int s = shard_of("ws.handshake.baseline", count);
        CHECK(s >= 1);
        CHECK(s <= count);
    }
}
