#include "reports/words.hpp"

#include <cstdio>

namespace upgradespec::words {

std::string counts(const Summary& s) {
    std::string text;
    for (const auto& column : count_columns) {
        const int n = s.*column.count;
        if (n == 0) continue;
        text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + std::string(column.label);
    }
    return text.empty() ? "no case" : text;
}

std::string_view standing(const CaseResult& c, bool strict) {
    return is_waived(c) ? "waived" : to_string(effective_verdict(c, strict));
}

std::string_view outcome(int exit_code) {
    switch (exit_code) {
    case 0:
        return "passed";
    case 1:
        return "failed";
    case 3:
        return "target problem";
    case 4:
        return "nothing judged";
    case 130:
        return "interrupted";
    default:
        return "not finished";
    }
}

long long whole_ms(std::chrono::microseconds d) {
    return (d.count() + 500) / 1000;
}

std::string seconds(std::chrono::microseconds d) {
    if (d < std::chrono::seconds(1)) return std::to_string(whole_ms(d)) + " ms";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(d.count()) / 1e6);
    return text;
}

} // namespace upgradespec::words
