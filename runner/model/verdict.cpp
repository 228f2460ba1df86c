#include "model/verdict.hpp"

#include <array>
#include <utility>

namespace upgradespec {

namespace {
constexpr std::array<std::pair<Verdict, std::string_view>, 6> verdict_names{{
    {Verdict::pass, "pass"},
    {Verdict::info, "info"},
    {Verdict::skip, "skip"},
    {Verdict::warn, "warn"},
    {Verdict::fail, "fail"},
    {Verdict::error, "error"},
}};
constexpr std::array<std::pair<Level, std::string_view>, 3> level_names{{
    {Level::must, "MUST"},
    {Level::should, "SHOULD"},
    {Level::may, "MAY"},
}};
} // namespace

std::string_view to_string(Verdict v) {
    for (auto& [value, name] : verdict_names)
        if (value == v) return name;
    return "error";
}

std::string_view to_string(Level l) {
    for (auto& [value, name] : level_names)
        if (value == l) return name;
    return "MUST";
}

std::optional<Verdict> parse_verdict(std::string_view text) {
    for (auto& [value, name] : verdict_names)
        if (name == text) return value;
    return std::nullopt;
}

std::optional<Level> parse_level(std::string_view text) {
    for (auto& [value, name] : level_names)
        if (name == text) return value;
    return std::nullopt;
}

Verdict worst(Verdict a, Verdict b) {
    return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

} // namespace upgradespec
