// The TLS upgrade's cross-cutting rules (checks/tls_rules.cpp), through apply_rules.
#include "checks/rules.hpp"

#include "observations.hpp"

#include <catch2/catch.hpp>

#include <optional>

using namespace upgradespec;
using namespace upgradespec::testing;
using Catch::Matchers::Contains;

namespace {

SentRequest tls_upgrade_request() {
    return request({{"Host", "127.0.0.1:8080"}, {"Upgrade", "TLS/1.0"}, {"Connection", "Upgrade"}});
}

Observation tls_101(const std::string& upgrade) {
    return answered(head(101, {{"Upgrade", upgrade}, {"Connection", "Upgrade"}}), "",
                    tls_upgrade_request());
}

// A 426 naming `upgrade`, then a second request whose answer was `later`.
Observation tls_426_then(const std::string& upgrade, Observation later) {
    Observation seen = answered(
        head(426, {{"Upgrade", upgrade}, {"Connection", "Upgrade"}, {"Content-Length", "12"}}),
        "TLS required", request({{"Host", "127.0.0.1:8080"}}));
    seen.later.push_back(std::move(later));
    return seen;
}

} // namespace

TEST_CASE("rule.101-layer-order: TLS comes first among several protocols", "[rules][tls]") {
    auto f = fired(tls_101("HTTP/1.1, TLS/1.0"), "rule.101-layer-order");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK(f->requirement == "UPG-101-LAYER-ORDER");
    CHECK_THAT(f->message, Contains("TLS/1.0 after HTTP/1.1"));

    CHECK_FALSE(fired(tls_101("TLS/1.0, HTTP/1.1"), "rule.101-layer-order"));
    CHECK_FALSE(fired(tls_101("tls/1.0, http/1.1"), "rule.101-layer-order"));
    CHECK_FALSE(fired(tls_101("TLS/1.0"), "rule.101-layer-order")); // one layer: no order
    CHECK_FALSE(fired(conforming_101(), "rule.101-layer-order"));   // no TLS at all
    Observation refused = tls_101("HTTP/1.1, TLS/1.0");
    refused.head->status = 200; // only a 101 switches layers
    CHECK_FALSE(fired(refused, "rule.101-layer-order"));
}

TEST_CASE("rule.426-no-tls-start: after a TLS 426 the next answer is still HTTP", "[rules][tls]") {
    Observation tls_records;
    tls_records.malformed = "closed after 7 bytes of a response head";
    auto f = fired(tls_426_then("TLS/1.0, HTTP/1.1", tls_records), "rule.426-no-tls-start");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::fail);
    CHECK(f->requirement == "TLS-426-NO-IMMEDIATE-HANDSHAKE");
    CHECK_THAT(f->message, Contains("closed after 7 bytes"));

    Observation http = answered(head(200, {{"Content-Length", "2"}}), "ok");
    CHECK_FALSE(fired(tls_426_then("TLS/1.0, HTTP/1.1", http), "rule.426-no-tls-start"));
    Observation closed;
    closed.closed = true;
    CHECK_FALSE(fired(tls_426_then("TLS/1.0, HTTP/1.1", closed), "rule.426-no-tls-start"));
    // Garbage after a 426 that names no TLS is some other rule's business.
    CHECK_FALSE(fired(tls_426_then("websocket", tls_records), "rule.426-no-tls-start"));
}

TEST_CASE("rule.tls-upgrade-offered: offering RFC 2817 is noted, never failed", "[rules][tls]") {
    auto f = fired(tls_101("TLS/1.0, HTTP/1.1"), "rule.tls-upgrade-offered");
    REQUIRE(f);
    CHECK(f->verdict == Verdict::info);
    CHECK(f->requirement == "TLS-OPTIONAL-UPGRADE");
    CHECK_THAT(f->message, Contains("Opossum") && Contains("TLS/1.0 in a 101"));

    Observation advertised = tls_426_then("TLS/1.2", Observation{});
    CHECK(fired(advertised, "rule.tls-upgrade-offered"));
    CHECK_FALSE(fired(conforming_426(), "rule.tls-upgrade-offered"));
    CHECK_FALSE(fired(conforming_101(), "rule.tls-upgrade-offered"));
    CHECK_FALSE(fired(tls_101("TLSX/1.0"), "rule.tls-upgrade-offered"));
}
