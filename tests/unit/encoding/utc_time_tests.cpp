#include "encoding/utc_time.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;

TEST_CASE("the UTC clock as a timestamp and as a date", "[utc]") {
    CHECK(utc_timestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(utc_date(0) == "1970-01-01");
    CHECK(utc_timestamp(1751292309) == "2025-06-30T14:05:09Z");
    CHECK(utc_date(1751292309) == "2025-06-30");
    CHECK(utc_timestamp().size() == 20);
    CHECK(utc_date().size() == 10);
}
