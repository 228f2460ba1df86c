#include "reports/requirements.hpp"

#include "catalogue/requirement_json.hpp"

#include <map>

namespace upgradespec {

namespace {

using nlohmann::json;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::vector<const Case*> cases_of(const std::string& id, const std::vector<Case>& cases) {
    std::vector<const Case*> out;
    for (const auto& c : cases)
        if (c.requirement == id) out.push_back(&c);
    return out;
}

// "UPG" from "UPG-426-UPGRADE-HDR": the family a requirement belongs to.
std::string family_of(const std::string& id) {
    return id.substr(0, id.find('-'));
}

std::string level_line(const Requirement& r) {
    return r.level + (r.level_note.empty() ? "" : " (" + r.level_note + ")");
}

} // namespace

void write_requirement_lines(const std::vector<Requirement>& requirements, std::ostream& out) {
    for (const auto& r : requirements)
        out << r.id << "  " << r.level << "  " << joined(r.sections) << "  " << r.title << "\n";
}

void write_requirements_json(const std::vector<Requirement>& requirements, std::ostream& out) {
    json list = json::array();
    for (const auto& r : requirements)
        list.push_back(requirement_json(r));
    out << json{{"title", "upgradespec requirements"}, {"requirements", std::move(list)}}.dump(2)
        << "\n";
}

void write_requirement_explanation(const Requirement& r, const std::vector<Case>& cases,
                                   std::ostream& out) {
    out << r.id << ": " << r.title << "\n\n";
    out << "level        " << level_line(r) << "\n";
    out << "RFC sections " << joined(r.sections) << "\n\n";
    out << r.rule << "\n\ngraded:\n";
    for (const char* verdict : grading_verdicts)
        if (auto it = r.grading.find(verdict); it != r.grading.end())
            out << "    " << verdict << ": " << it->second << "\n";
    const auto own = cases_of(r.id, cases);
    out << "\ncases (" << own.size() << "):\n";
    for (const Case* c : own)
        out << "    " << c->id << "  " << to_string(c->level) << "  " << c->title << "\n";
    if (own.empty())
        out << "    none: the cross-cutting rules judge it on every response, or "
               "docs/coverage.md says why it has no case\n";
}

void write_requirements_markdown(const std::vector<Requirement>& requirements,
                                 const std::vector<Case>& cases, std::ostream& out) {
    std::map<std::string, std::vector<const Requirement*>> families;
    for (const auto& r : requirements)
        families[family_of(r.id)].push_back(&r);
    out << "# The requirements catalogue\n\n"
        << "Generated from `suite/requirements.json` by `upgradespec requirements --markdown` "
           "(build target `docs`); do not edit by hand.\n"
        << requirements.size() << " requirements in " << families.size()
        << " families. `upgradespec explain ID` shows one with its cases.\n";
    for (const auto& [family, members] : families) {
        out << "\n## " << family << " (" << members.size() << " requirements)\n";
        for (const Requirement* r : members) {
            out << "\n### " << r->id << "\n\n"
                << "**" << r->title << "**  \n"
                << "Level: " << level_line(*r) << ". Sections: " << joined(r->sections) << ".\n\n"
                << r->rule << "\n\n";
            for (const char* verdict : grading_verdicts)
                if (auto it = r->grading.find(verdict); it != r->grading.end())
                    out << "- " << verdict << ": " << it->second << "\n";
            const auto own = cases_of(r->id, cases);
            out << "- cases: ";
            if (own.empty()) out << "none (see docs/coverage.md, or the cross-cutting rules)";
            for (std::size_t i = 0; i < own.size(); ++i)
                out << (i ? ", " : "") << "`" << own[i]->id << "`";
            out << "\n";
        }
    }
}

} // namespace upgradespec
