#pragma once
// One entry of the requirements catalogue (suite/requirements.json): what a rule says, where
// it is written, and how the suite grades it. Plain data, read by the loader and the writers.
#include <array>
#include <map>
#include <string>
#include <vector>

namespace upgradespec {

struct Requirement {
    std::string id;
    std::string level;      // MUST, SHOULD, MAY or hazard (a known problem with no keyword)
    std::string level_note; // which part binds how, when parts bind at different levels
    std::vector<std::string> sections; // "RFC9110 7.8"
    std::string title;                 // one line: what a conforming server does
    std::string rule;                  // the rule in the project's words
    // How the suite grades it: verdict word ("pass", "fail", ...) -> when it is given.
    std::map<std::string, std::string> grading;

    bool operator==(const Requirement&) const = default;
};

// The verdict words of `grading`, in the order a reader wants them.
inline constexpr std::array<const char*, 5> grading_verdicts{"pass", "fail", "warn", "info",
                                                             "skip"};

} // namespace upgradespec
