#include "gate/baseline.hpp"

#include "catalogue/fingerprint.hpp"
#include "catalogue/json_input.hpp"

#include <map>
#include <set>

namespace upgradespec {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool is_leap(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// The schema checks the shape YYYY-MM-DD; this checks the day exists.
bool real_date(const std::string& text) {
    const int year = std::stoi(text.substr(0, 4)), month = std::stoi(text.substr(5, 2));
    const int day = std::stoi(text.substr(8, 2));
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1) return false;
    return day <= days[month - 1] + (month == 2 && is_leap(year) ? 1 : 0);
}

const Waiver* find_waiver(const Baseline& baseline, const std::string& id) {
    for (const auto& w : baseline.waivers)
        if (w.case_id == id) return &w;
    return nullptr;
}

bool expired(const Waiver& w, std::string_view today) {
    return !w.expires.empty() && w.expires < today; // YYYY-MM-DD sorts as text
}

} // namespace

Baseline load_baseline(const fs::path& file, const fs::path& schema_path) {
    const std::string name = file.string();
    const std::string text = read_text_file(file);
    const json doc = parse_json_text(text, name);
    check_schema(doc, schema_path, name);
    Baseline baseline;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < doc["waivers"].size(); ++i) {
        const json& w = doc["waivers"][i];
        const std::string field = "waivers[" + std::to_string(i) + "]";
        Waiver waiver{w["case"], w["reason"], w.value("expires", "")};
        if (!waiver.expires.empty() && !real_date(waiver.expires))
            input_error(name, field + ".expires", "\"" + waiver.expires + "\" is not a date");
        if (!seen.insert(waiver.case_id).second)
            input_error(name, field + ".case", "case \"" + waiver.case_id + "\" is waived twice");
        baseline.waivers.push_back(std::move(waiver));
    }
    baseline.fingerprint = sha256_hex(text);
    return baseline;
}

void apply_waiver(CaseResult& c, const Baseline& baseline, bool strict, std::string_view today) {
    c.waiver.reset();
    const Waiver* w = find_waiver(baseline, c.id);
    if (!w) return;
    CaseWaiver waiver{w->reason, w->expires, WaiverStatus::idle};
    switch (effective_verdict(c, strict)) {
    case Verdict::fail:
        waiver.status = expired(*w, today) ? WaiverStatus::expired : WaiverStatus::waived;
        break;
    case Verdict::pass:
    case Verdict::info:
    case Verdict::warn: // a warn that is not a failure (without --strict)
        waiver.status = WaiverStatus::stale;
        break;
    case Verdict::skip:
    case Verdict::error:
        break; // not judged: the waiver neither applies nor is proven stale
    }
    if (waiver.status == WaiverStatus::expired)
        c.findings.push_back({c.requirement, c.verdict,
                              "the baseline's waiver expired on " + w->expires +
                                  " (it said: " + w->reason + "); this failure counts again",
                              "baseline.waiver-expired"});
    c.waiver = std::move(waiver);
}

void apply_baseline(RunResult& run, const Baseline& baseline, std::string_view today) {
    run.baseline_fingerprint = baseline.fingerprint;
    run.stale_waivers.clear();
    std::map<std::string, const CaseResult*> by_id;
    for (auto& c : run.cases) {
        apply_waiver(c, baseline, run.strict, today);
        by_id.emplace(c.id, &c);
    }
    for (const auto& w : baseline.waivers) {
        auto found = by_id.find(w.case_id);
        if (found == by_id.end())
            run.stale_waivers.push_back({w.case_id, w.reason, w.expires, false});
        else if (found->second->waiver->status == WaiverStatus::stale)
            run.stale_waivers.push_back({w.case_id, w.reason, w.expires, true});
    }
}

Baseline baseline_from_run(const RunResult& run, const Baseline& previous, std::string_view today) {
    Baseline next;
    const std::string recorded =
        "recorded by upgradespec --update-baseline on " + std::string(today);
    for (const auto& c : run.cases) {
        const Waiver* old = find_waiver(previous, c.id);
        const Verdict v = effective_verdict(c, run.strict);
        if (v == Verdict::skip || v == Verdict::error) {
            if (old) next.waivers.push_back(*old); // not judged this time: keep what we knew
            continue;
        }
        if (v != Verdict::fail) continue;
        if (old && !expired(*old, today)) {
            next.waivers.push_back(*old);
        } else if (old) {
            next.waivers.push_back({c.id, recorded + " (the previous waiver expired on " +
                                              old->expires + "; it said: " + old->reason + ")"});
        } else {
            next.waivers.push_back({c.id, recorded});
        }
    }
    return next;
}

json to_json(const Baseline& baseline) {
    json waivers = json::array();
    for (const auto& w : baseline.waivers) {
        json entry = {{"case", w.case_id}, {"reason", w.reason}};
        if (!w.expires.empty()) entry["expires"] = w.expires;
        waivers.push_back(std::move(entry));
    }
    return {{"version", 1}, {"waivers", std::move(waivers)}};
}

void write_baseline(const Baseline& baseline, std::ostream& out) {
    out << to_json(baseline).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
}

} // namespace upgradespec
