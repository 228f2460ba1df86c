#include "encoding/utc_time.hpp"

namespace upgradespec {

namespace {

std::string utc_text(std::time_t when, const char* format) {
    std::tm utc{};
    gmtime_r(&when, &utc);
    char text[32];
    std::strftime(text, sizeof text, format, &utc);
    return text;
}

} // namespace

std::string utc_timestamp(std::time_t when) {
    return utc_text(when, "%Y-%m-%dT%H:%M:%SZ");
}

std::string utc_date(std::time_t when) {
    return utc_text(when, "%Y-%m-%d");
}

} // namespace upgradespec
