#include "checks/extensions.hpp"
#include "checks/rules.hpp"

#include "observations.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <set>

using namespace upgradespec;
using namespace upgradespec::testing;
using Catch::Matchers::Contains;

namespace {

// The parsed list written back compactly ("a;x=1,b"), or "<malformed>".
std::string parsed(const std::vector<std::string>& lines) {
    auto list = parse_extension_list(lines);
    if (!list) return "<malformed>";
    std::string out;
    for (const auto& e : *list) {
        out += (out.empty() ? "" : ",") + e.name;
        for (const auto& p : e.params)
            out += ";" + p.name + (p.value ? "=" + *p.value : "");
    }
    return out;
}

std::vector<ExtensionElement> list(const std::string& value) {
    auto l = parse_extension_list({value});
    REQUIRE(l);
    return *l;
}

ExtensionElement element(const std::string& value) {
    auto l = list(value);
    REQUIRE(l.size() == 1);
    return l.front();
}

// A WebSocket handshake offering `offers` (one Sec-WebSocket-Extensions line each), answered by a
// 101 carrying `answers` (one line each).
Observation negotiated(const std::vector<std::string>& offers,
                       const std::vector<std::string>& answers, int status = 101) {
    Observation seen = conforming_101();
    for (const auto& o : offers)
        seen.request.fields.emplace_back("Sec-WebSocket-Extensions", o);
    seen.head->status = status;
    for (const auto& a : answers)
        seen.head->fields.emplace_back("Sec-WebSocket-Extensions", a);
    return seen;
}

// The ids of the extension rules that fired, sorted, space-separated.
std::string fired(const Observation& seen) {
    std::set<std::string> ids;
    for (const auto& f : apply_rules(seen))
        ids.insert(f.rule);
    std::string out;
    for (const auto& id : ids)
        out += (out.empty() ? "" : " ") + id;
    return out;
}

std::optional<Finding> finding(const Observation& seen, const std::string& rule) {
    for (auto& f : apply_rules(seen))
        if (f.rule == rule) return f;
    return std::nullopt;
}

} // namespace

TEST_CASE("Sec-WebSocket-Extensions parses by the RFC 6455 9.1 grammar", "[extensions]") {
    CHECK(parsed({"permessage-deflate"}) == "permessage-deflate");
    CHECK(parsed({}) == "");
    CHECK(parsed({""}) == "");
    CHECK(parsed({"a; x=1; y, b"}) == "a;x=1;y,b");
    CHECK(parsed({"a ;\tx = 1 , b"}) == "a;x=1,b");
    CHECK(parsed({"a; x=\"10\""}) == "a;x=10");
    CHECK(parsed({"a; x=\"1\\0\""}) == "a;x=10");
    CHECK(parsed({",a,,b,"}) == "a,b");
    // Several lines form one list (RFC 6455 9.1; Erratum 3433 for responses).
    CHECK(parsed({"a", "b; x"}) == "a,b;x");

    CHECK(parsed({"permessage-deflate;"}) == "<malformed>");
    CHECK(parsed({";;"}) == "<malformed>");
    CHECK(parsed({"permessage-deflate; a=\"b c\""}) == "<malformed>");
    CHECK(parsed({"a; x=\"open"}) == "<malformed>");
    CHECK(parsed({"a; x="}) == "<malformed>");
    CHECK(parsed({"a; =1"}) == "<malformed>");
    CHECK(parsed({"a b"}) == "<malformed>");
    CHECK(parsed({"a", "b;"}) == "<malformed>");
}

TEST_CASE("permessage-deflate offers a server must decline (RFC 7692 7)", "[extensions]") {
    CHECK(valid_deflate_offer(element("permessage-deflate")));
    CHECK(valid_deflate_offer(element("permessage-deflate; client_max_window_bits")));
    CHECK(valid_deflate_offer(element("permessage-deflate; client_max_window_bits=\"10\"")));
    CHECK(valid_deflate_offer(element("permessage-deflate; server_max_window_bits=8; "
                                      "server_no_context_takeover; client_no_context_takeover")));
    CHECK(valid_deflate_offer(element("permessage-deflate; server_max_window_bits=15")));
    for (std::string bad :
         {"foo=1", "x", "server_max_window_bits=7", "server_max_window_bits=16",
          "server_max_window_bits=08", "server_max_window_bits", "client_max_window_bits=0",
          "server_no_context_takeover=1", "server_no_context_takeover; server_no_context_takeover",
          "client_max_window_bits; client_max_window_bits=10"}) {
        INFO(bad);
        CHECK_FALSE(valid_deflate_offer(element("permessage-deflate; " + bad)));
    }
}

TEST_CASE("only offered extensions are accepted", "[extensions]") {
    CHECK(unoffered_problem({}, {}) == "");
    CHECK(unoffered_problem(list("foo, permessage-deflate"), list("permessage-deflate")) == "");
    CHECK(unoffered_problem(list("Permessage-Deflate"), list("permessage-deflate")) == "");
    CHECK(unoffered_problem(list("foo-unknown-ext"), list("foo-unknown-ext")) == ""); // a case's
    CHECK_THAT(unoffered_problem({}, list("permessage-deflate")), Contains("offered none"));
    CHECK_THAT(unoffered_problem(list("foo"), list("permessage-deflate")),
               Contains("\"permessage-deflate\""));
}

TEST_CASE("the permessage-deflate response element is well formed", "[extensions]") {
    CHECK(deflate_response_problem({}) == "");
    CHECK(deflate_response_problem(list("permessage-deflate")) == "");
    CHECK(deflate_response_problem(
              list("permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
                   "server_max_window_bits=10; client_max_window_bits=\"15\"")) == "");
    CHECK(deflate_response_problem(list("foo; bar=1, permessage-deflate")) == "");

    CHECK_THAT(deflate_response_problem(list("permessage-deflate, permessage-deflate")),
               Contains("2 times"));
    CHECK_THAT(deflate_response_problem(list("permessage-deflate; foo=1")), Contains("\"foo\""));
    CHECK_THAT(deflate_response_problem(list("permessage-deflate; client_max_window_bits")),
               Contains("needs a value"));
    CHECK_THAT(deflate_response_problem(list("permessage-deflate; server_max_window_bits=16")),
               Contains("8 to 15"));
    CHECK_THAT(deflate_response_problem(list("permessage-deflate; server_max_window_bits=09")),
               Contains("no leading zero"));
    CHECK_THAT(deflate_response_problem(list("permessage-deflate; server_no_context_takeover=1")),
               Contains("takes no value"));
    CHECK_THAT(deflate_response_problem(list("permessage-deflate; client_no_context_takeover; "
                                             "Client_No_Context_Takeover")),
               Contains("repeats"));
}

TEST_CASE("client_max_window_bits is answered only when offered", "[extensions]") {
    auto with_window = list("permessage-deflate; client_max_window_bits=10");
    CHECK(client_window_problem(list("permessage-deflate"), list("permessage-deflate")) == "");
    CHECK(client_window_problem(list("permessage-deflate; client_max_window_bits"), with_window) ==
          "");
    // Any offer with it may be the accepted one.
    CHECK(client_window_problem(list("permessage-deflate, permessage-deflate; "
                                     "client_max_window_bits"),
                                with_window) == "");
    CHECK_THAT(client_window_problem(list("permessage-deflate"), with_window),
               Contains("client_max_window_bits"));
    CHECK_THAT(client_window_problem({}, with_window), Contains("no permessage-deflate offer"));
}

TEST_CASE("an accepted server_max_window_bits is echoed, at most the offered value",
          "[extensions]") {
    auto offer = list("permessage-deflate; server_max_window_bits=10");
    CHECK(server_window_problem(offer, {}) == ""); // declined
    CHECK(server_window_problem(offer, list("permessage-deflate; server_max_window_bits=10")) ==
          "");
    CHECK(server_window_problem(offer, list("permessage-deflate; server_max_window_bits=8")) == "");
    CHECK_THAT(server_window_problem(offer, list("permessage-deflate")),
               Contains("without server_max_window_bits=10"));
    CHECK_THAT(server_window_problem(offer, list("permessage-deflate; server_max_window_bits=12")),
               Contains("more than"));
    // A fallback offer without the parameter may be the accepted one (RFC 7692 7.1.3).
    CHECK(server_window_problem(list("permessage-deflate; server_max_window_bits=10, "
                                     "permessage-deflate"),
                                list("permessage-deflate")) == "");
    // Invalid offers prove nothing here: the decline cases judge accepting them.
    CHECK(server_window_problem(list("permessage-deflate; server_max_window_bits=7"),
                                list("permessage-deflate")) == "");
    // Unsolicited is allowed (RFC 7692 7.1.2.1).
    CHECK(server_window_problem(list("permessage-deflate"),
                                list("permessage-deflate; server_max_window_bits=9")) == "");
}

TEST_CASE("an accepted server_no_context_takeover is echoed", "[extensions]") {
    auto offer = list("permessage-deflate; server_no_context_takeover");
    CHECK(server_no_context_problem(offer, {}) == "");
    CHECK(server_no_context_problem(offer,
                                    list("permessage-deflate; server_no_context_takeover")) == "");
    CHECK_THAT(server_no_context_problem(offer, list("permessage-deflate")),
               Contains("server_no_context_takeover"));
    CHECK(server_no_context_problem(list("permessage-deflate; server_no_context_takeover, "
                                         "permessage-deflate"),
                                    list("permessage-deflate")) == "");
    // Unsolicited is allowed (RFC 7692 7.1.1.1).
    CHECK(server_no_context_problem(list("permessage-deflate"),
                                    list("permessage-deflate; server_no_context_takeover")) == "");
}

TEST_CASE("permessage-deflate is not accepted beside another RSV1 extension", "[extensions]") {
    CHECK(rsv1_conflict_problem(list("permessage-deflate")) == "");
    CHECK(rsv1_conflict_problem(list("x-webkit-deflate-frame")) == "");
    CHECK(rsv1_conflict_problem(list("permessage-deflate, foo")) == "");
    CHECK_THAT(rsv1_conflict_problem(list("permessage-deflate, x-webkit-deflate-frame")),
               Contains("x-webkit-deflate-frame"));
    CHECK_THAT(rsv1_conflict_problem(list("deflate-frame, permessage-deflate")),
               Contains("deflate-frame"));
    CHECK_THAT(rsv1_conflict_problem(list("permessage-deflate, permessage-bzip2")),
               Contains("permessage-bzip2"));
}

TEST_CASE("the extension rules judge every 101 under their own requirement",
          "[extensions][rules]") {
    CHECK(fired(negotiated({}, {})) == "");
    CHECK(fired(negotiated({"permessage-deflate"}, {"permessage-deflate"})) == "");
    auto full = negotiated({"permessage-deflate; server_max_window_bits=10; "
                            "server_no_context_takeover; client_max_window_bits"},
                           {"permessage-deflate; server_max_window_bits=10; "
                            "server_no_context_takeover; client_max_window_bits=12"});
    CHECK(fired(full) == "");
    // A parameter on a line of its own is an element of its own, not a parameter.
    full.head->fields.back().second = "permessage-deflate; server_max_window_bits=10";
    full.head->fields.emplace_back("Sec-WebSocket-Extensions", "server_no_context_takeover");
    CHECK(fired(full) == "rule.extensions-negotiated rule.pmd-server-no-context-ack");

    auto unoffered = finding(negotiated({}, {"permessage-deflate"}), "rule.extensions-negotiated");
    REQUIRE(unoffered);
    CHECK(unoffered->requirement == "WS-EXT-UNOFFERED");
    CHECK(unoffered->verdict == Verdict::fail);

    auto twice =
        finding(negotiated({"permessage-deflate"}, {"permessage-deflate", "permessage-deflate"}),
                "rule.pmd-response-wellformed");
    REQUIRE(twice);
    CHECK(twice->requirement == "PMD-RESP-WELLFORMED");

    auto window = finding(
        negotiated({"permessage-deflate"}, {"permessage-deflate; client_max_window_bits=15"}),
        "rule.pmd-client-window-offered");
    REQUIRE(window);
    CHECK(window->requirement == "PMD-CLIENT-MAX-WINDOW-NOT-OFFERED");

    auto server_window = finding(
        negotiated({"permessage-deflate; server_max_window_bits=10"}, {"permessage-deflate"}),
        "rule.pmd-server-window-ack");
    REQUIRE(server_window);
    CHECK(server_window->requirement == "PMD-SERVER-MAX-WINDOW-ACK");

    auto no_context = finding(
        negotiated({"permessage-deflate; server_no_context_takeover"}, {"permessage-deflate"}),
        "rule.pmd-server-no-context-ack");
    REQUIRE(no_context);
    CHECK(no_context->requirement == "PMD-SERVER-NO-CONTEXT-ACK");

    auto conflict = finding(negotiated({"permessage-deflate, x-webkit-deflate-frame"},
                                       {"permessage-deflate, x-webkit-deflate-frame"}),
                            "rule.pmd-rsv1-conflict");
    REQUIRE(conflict);
    CHECK(conflict->requirement == "PMD-RSV1-CONFLICT");
}

TEST_CASE("several response lines are one list (Erratum 3433)", "[extensions][rules]") {
    CHECK(fired(negotiated({"foo, permessage-deflate; server_no_context_takeover"},
                           {"foo", "permessage-deflate; server_no_context_takeover"})) == "");
    CHECK(fired(negotiated({"permessage-deflate"}, {"permessage-deflate", "permessage-deflate"})) ==
          "rule.pmd-response-wellformed");
    CHECK(fired(negotiated({"permessage-deflate"}, {"", "permessage-deflate"})) == "");
}

TEST_CASE("the extension rules leave aside what they cannot judge", "[extensions][rules]") {
    // Not a 101.
    CHECK(fired(negotiated({}, {"permessage-deflate"}, 200)) == "");
    // A malformed offer: the case that sent it judges the answer.
    CHECK(fired(negotiated({"permessage-deflate;"}, {"permessage-deflate; foo"})) == "");
    // A malformed answer: reported once, as naming nothing that was offered.
    auto broken = negotiated({"permessage-deflate"}, {"permessage-deflate; x=\"a b\""});
    CHECK(fired(broken) == "rule.extensions-negotiated");
    CHECK_THAT(finding(broken, "rule.extensions-negotiated")->message, Contains("does not parse"));
}

namespace {

// What a permessage-deflate sender puts in its frames: each message raw-DEFLATEd with a sync
// flush, the trailing 00 00 FF FF removed (RFC 7692 7.2.1), one compression context for all.
std::vector<std::string> compressed_messages(const std::vector<std::string>& texts,
                                             int window_bits = 15) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, -window_bits, 8, Z_DEFAULT_STRATEGY) ==
            Z_OK);
    std::vector<std::string> out;
    for (std::string text : texts) {
        std::string message(text.size() + 64, '\0');
        z.next_in = reinterpret_cast<Bytef*>(text.data());
        z.avail_in = static_cast<uInt>(text.size());
        z.next_out = reinterpret_cast<Bytef*>(message.data());
        z.avail_out = static_cast<uInt>(message.size());
        REQUIRE(deflate(&z, Z_SYNC_FLUSH) == Z_OK);
        message.resize(message.size() - z.avail_out);
        REQUIRE(message.substr(message.size() - 4) == std::string("\x00\x00\xff\xff", 4));
        out.push_back(message.substr(0, message.size() - 4));
    }
    deflateEnd(&z);
    return out;
}

ReceivedFrame compressed_frame(const std::string& payload, bool fin = true) {
    ReceivedFrame f = frame(1, payload);
    f.rsv1 = true;
    f.fin = fin;
    return f;
}

} // namespace

TEST_CASE("rule.pmd-server-messages-inflate: the server's messages inflate as agreed",
          "[extensions][rules]") {
    const std::string text = "a message that the second one repeats, a message";
    auto messages = compressed_messages({text, text});
    REQUIRE(messages[1].size() < messages[0].size()); // the second refers back into the first

    Observation taken_over = negotiated({"permessage-deflate"}, {"permessage-deflate"});
    taken_over.frames = {compressed_frame(messages[0]), compressed_frame(messages[1])};
    CHECK(fired(taken_over) == "");

    // The same bytes where the 101 agreed that each message starts with an empty window.
    Observation alone = negotiated({"permessage-deflate; server_no_context_takeover"},
                                   {"permessage-deflate; server_no_context_takeover"});
    alone.frames = taken_over.frames;
    auto broken = finding(alone, "rule.pmd-server-messages-inflate");
    REQUIRE(broken);
    CHECK(broken->verdict == Verdict::fail);
    CHECK(broken->requirement == "PMD-CONTEXT-OBEYED");
    CHECK_THAT(broken->message, Contains("message 2") && Contains("server_no_context_takeover"));

    // Fragments with a Ping between them are one message; an uncompressed one is left alone.
    Observation fragmented = negotiated({"permessage-deflate"}, {"permessage-deflate"});
    const std::string& whole = messages[0];
    ReceivedFrame rest = frame(0, whole.substr(5));
    fragmented.frames = {compressed_frame(whole.substr(0, 5), false), frame(9, "ping"), rest,
                         frame(1, "plain text")};
    CHECK(fired(fragmented) == "");

    Observation garbage = negotiated({"permessage-deflate"}, {"permessage-deflate"});
    garbage.frames = {compressed_frame(std::string("\xff\xff\xff\xff", 4))};
    CHECK_THAT(finding(garbage, "rule.pmd-server-messages-inflate")->message,
               Contains("does not inflate"));

    // Without permessage-deflate agreed, RSV1 is rule.server-frame-wellformed's to judge.
    Observation declined = negotiated({"permessage-deflate"}, {});
    declined.frames = {compressed_frame(messages[0])};
    CHECK_FALSE(finding(declined, "rule.pmd-server-messages-inflate"));
}
