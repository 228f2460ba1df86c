#include "ws/handshake.hpp"

#include "encoding/base64.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using namespace upgradespec::ws;

TEST_CASE("the RFC 6455 sample key gives the sample accept", "[handshake]") {
    CHECK(compute_accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK(compute_accept(" \t dGhlIHNhbXBsZSBub25jZQ==   ") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST_CASE("the accept hashes the key string as sent, never re-encoded", "[handshake]") {
    CHECK(compute_accept("AQIDBAUGBwgJCgsMDQ4PEC==") == "OfS0wDaT5NoxF2gqm7Zj2YtetzM=");
    CHECK(compute_accept("AQIDBAUGBwgJCgsMDQ4PEA==") != "OfS0wDaT5NoxF2gqm7Zj2YtetzM=");
}

TEST_CASE("random keys are 16 fresh bytes", "[handshake]") {
    auto a = random_key(), b = random_key();
    CHECK(a.size() == 24);
    CHECK(a != b);
    auto decoded = base64_decode(a);
    REQUIRE(decoded.has_value());
    CHECK(decoded->size() == 16);
    CHECK(base64_decode(b)->size() == 16);
    CHECK(random_bytes(0).empty());
    CHECK(random_bytes(32).size() == 32);
}
