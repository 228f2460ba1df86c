#include "engine/schedule.hpp"

#include "catalogue/loader.hpp"

#include <algorithm>
#include <map>

namespace upgradespec {

using std::chrono::milliseconds;

milliseconds deliberate_wait(const Case& c) {
    milliseconds wait{c.send.hold_body_ms};
    for (const auto* steps : {&c.after_101, &c.h2})
        for (const auto& step : *steps)
            if (step.kind == Step::Kind::expect_open) wait += milliseconds(step.quiet_ms);
    if (c.backend)
        for (const auto& answer : c.backend->answers)
            wait += milliseconds(answer.silent_ms);
    return wait;
}

namespace {

std::string error_in(const Case& c, const std::string& what) {
    return c.file + ": case \"" + c.id + "\": field depends_on: " + what;
}

// Own wait plus the longest critical wait among the dependents; throws on a cycle.
milliseconds critical_of(std::size_t index, const std::vector<Case>& cases,
                         const std::vector<std::vector<std::size_t>>& dependents,
                         std::vector<std::optional<milliseconds>>& memo,
                         std::vector<bool>& visiting) {
    if (memo[index]) return *memo[index];
    if (visiting[index]) throw CatalogueError(error_in(cases[index], "a dependency cycle"));
    visiting[index] = true;
    milliseconds longest{0};
    for (std::size_t d : dependents[index])
        longest = std::max(longest, critical_of(d, cases, dependents, memo, visiting));
    visiting[index] = false;
    memo[index] = deliberate_wait(cases[index]) + longest;
    return *memo[index];
}

} // namespace

Schedule::Schedule(const std::vector<Case>& cases)
    : dependents_(cases.size()), waiting_for_(cases.size(), 0), critical_(cases.size()) {
    std::map<std::string, std::size_t> by_id;
    for (std::size_t i = 0; i < cases.size(); ++i)
        by_id[cases[i].id] = i;
    for (std::size_t i = 0; i < cases.size(); ++i)
        for (const auto& dep : cases[i].depends_on) {
            auto found = by_id.find(dep);
            if (found == by_id.end())
                throw CatalogueError(
                    error_in(cases[i], "\"" + dep + "\" is not among the cases to run"));
            dependents_[found->second].push_back(i);
            ++waiting_for_[i];
        }
    std::vector<std::optional<milliseconds>> memo(cases.size());
    std::vector<bool> visiting(cases.size(), false);
    for (std::size_t i = 0; i < cases.size(); ++i)
        critical_[i] = critical_of(i, cases, dependents_, memo, visiting);
    for (std::size_t i = 0; i < cases.size(); ++i)
        if (waiting_for_[i] == 0) make_ready(i);
}

std::optional<std::size_t> Schedule::next() {
    if (ready_.empty()) return std::nullopt;
    std::size_t index = ready_.begin()->second;
    ready_.erase(ready_.begin());
    return index;
}

void Schedule::done(std::size_t index) {
    for (std::size_t d : dependents_[index])
        if (--waiting_for_[d] == 0) make_ready(d);
}

void Schedule::hold(std::size_t index) {
    ready_.erase({-critical_[index].count(), index});
    ++waiting_for_[index];
}

void Schedule::release(std::size_t index) {
    if (--waiting_for_[index] == 0) make_ready(index);
}

void Schedule::make_ready(std::size_t index) {
    ready_.insert({-critical_[index].count(), index});
}

} // namespace upgradespec
