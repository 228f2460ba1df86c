#include "ws/message.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;
using Catch::Matchers::Contains;

namespace {

ReceivedFrame data(int opcode, std::string payload, bool fin = true, bool rsv1 = false) {
    ReceivedFrame f;
    f.opcode = opcode;
    f.payload = std::move(payload);
    f.fin = fin;
    f.rsv1 = rsv1;
    return f;
}

} // namespace

TEST_CASE("a message is its fragments up to FIN, control frames between them passed over",
          "[ws][message]") {
    ws::MessageAssembler assembler;
    std::string broken;
    CHECK_FALSE(assembler.add(data(1, "frag-", false, true), broken));
    CHECK_FALSE(assembler.add(data(9, "ping"), broken));
    auto whole = assembler.add(data(0, "ment"), broken);
    CHECK(broken.empty());
    REQUIRE(whole);
    CHECK(whole->opcode == 1);
    CHECK(whole->compressed); // RSV1 of the first frame
    CHECK(whole->payload == "frag-ment");
    // The next message starts afresh.
    whole = assembler.add(data(2, "bin"), broken);
    REQUIRE(whole);
    CHECK(whole->payload == "bin");
    CHECK_FALSE(whole->compressed);
}

TEST_CASE("frames that break RFC 6455 5.4, and a message past the limit, are reported",
          "[ws][message]") {
    ws::MessageAssembler assembler(8);
    std::string broken;
    CHECK_FALSE(assembler.add(data(0, "orphan"), broken));
    CHECK_THAT(broken, Contains("no message to continue"));

    broken.clear();
    CHECK_FALSE(assembler.add(data(1, "one", false), broken));
    auto second = assembler.add(data(1, "two"), broken);
    CHECK_THAT(broken, Contains("before the message's last fragment"));
    REQUIRE(second); // the new data frame starts a message of its own
    CHECK(second->payload == "two");

    broken.clear();
    CHECK_FALSE(assembler.add(data(1, "0123456789"), broken));
    CHECK_THAT(broken, Contains("grew past 8 bytes"));
}

TEST_CASE("whole_messages keeps the whole ones, in order", "[ws][message]") {
    auto messages = ws::whole_messages({data(0, "orphan"), data(1, "a", false), data(10, "pong"),
                                        data(0, "b"), data(1, "open", false)});
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].payload == "ab");
}
