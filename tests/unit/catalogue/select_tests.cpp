#include "catalogue/loader.hpp"
#include "catalogue/select.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace upgradespec;

namespace {

Case make_case(std::string id, std::vector<std::string> tags, Level level = Level::must,
               std::vector<std::string> depends_on = {}) {
    Case c;
    c.id = std::move(id);
    c.tags = std::move(tags);
    c.level = level;
    c.depends_on = std::move(depends_on);
    return c;
}

const std::vector<Case> all = {
    make_case("ws.handshake.baseline", {"websocket", "baseline"}),
    make_case("ws.key.missing", {"websocket", "key"}, Level::must, {"ws.handshake.baseline"}),
    make_case("ws.key.short", {"websocket", "key"}, Level::should, {"ws.key.missing"}),
    make_case("wsf.ping", {"frames"}, Level::must, {"ws.handshake.baseline"}),
    make_case("ver.http10", {"version"}, Level::may),
    make_case("ver.http2", {"version", "h2c"}, Level::should),
};

std::vector<std::string> ids(const std::vector<Case>& cases) {
    std::vector<std::string> out;
    for (const auto& c : cases)
        out.push_back(c.id);
    return out;
}

using Ids = std::vector<std::string>;

} // namespace

TEST_CASE("an empty selection takes every case in catalogue order", "[select]") {
    CHECK(ids(select_cases(all, {})) == ids(all));
}

TEST_CASE("id globs: *, ? and [..], any of them", "[select]") {
    CHECK(ids(select_cases(all, {{"ver.*"}})) == Ids{"ver.http10", "ver.http2"});
    CHECK(ids(select_cases(all, {{"ver.http?"}})) == Ids{"ver.http2"});
    CHECK(ids(select_cases(all, {{"ver.http[1]*"}})) == Ids{"ver.http10"});
    CHECK(ids(select_cases(all, {{"ver.http2", "ver.http10"}})) == Ids{"ver.http10", "ver.http2"});
    // A glob matches the whole id, not a prefix.
    CHECK(select_cases(all, {{"ver"}}).empty());
    CHECK(select_cases(all, {{"nothing.*"}}).empty());
}

TEST_CASE("tags and levels select any of theirs; criteria combine with and", "[select]") {
    CHECK(ids(select_cases(all, {{}, {"version"}})) == Ids{"ver.http10", "ver.http2"});
    CHECK(ids(select_cases(all, {{}, {"h2c", "baseline"}})) ==
          Ids{"ws.handshake.baseline", "ver.http2"});
    CHECK(ids(select_cases(all, {{}, {}, {Level::may}})) == Ids{"ver.http10"});
    CHECK(ids(select_cases(all, {{"ver.*"}, {}, {Level::should}})) == Ids{"ver.http2"});
    CHECK(ids(select_cases(all, {{"ver.*"}, {"h2c"}, {Level::must}})).empty());
    CHECK(select_cases(all, {{}, {"no-such-tag"}}).empty());
}

TEST_CASE("dependencies are pulled in, transitively, in catalogue order", "[select]") {
    CHECK(ids(select_cases(all, {{"ws.key.short"}})) ==
          Ids{"ws.handshake.baseline", "ws.key.missing", "ws.key.short"});
    CHECK(ids(select_cases(all, {{"wsf.*"}})) == Ids{"ws.handshake.baseline", "wsf.ping"});
    // A dependency is pulled in even when the level filter would exclude it.
    CHECK(ids(select_cases(all, {{}, {}, {Level::should}})) ==
          Ids{"ws.handshake.baseline", "ws.key.missing", "ws.key.short", "ver.http2"});
}

TEST_CASE("selecting a shipped frame case brings its baseline", "[select]") {
    Catalogue catalogue = load_catalogue({SUITE_DIR, {}});
    auto chosen = ids(select_cases(catalogue.cases, {{"wsf.ping-pong"}}));
    std::sort(chosen.begin(), chosen.end()); // file order puts websocket-frames.json first
    CHECK(chosen == Ids{"ws.handshake.baseline", "wsf.ping-pong"});
}
