#include "catalogue/requirement_json.hpp"

namespace upgradespec {

using nlohmann::json;

json requirement_json(const Requirement& r, bool with_id) {
    json grading = json::object();
    for (const auto& [verdict, text] : r.grading)
        grading[verdict] = text;
    json j = {{"level", r.level},
              {"sections", r.sections},
              {"title", r.title},
              {"rule", r.rule},
              {"grading", std::move(grading)}};
    if (!r.level_note.empty()) j["level_note"] = r.level_note;
    if (with_id) j["id"] = r.id;
    return j;
}

Requirement requirement_from_json(const std::string& id, const json& j) {
    Requirement r{.id = id,
                  .level = j.at("level"),
                  .level_note = j.value("level_note", ""),
                  .sections = j.at("sections").get<std::vector<std::string>>(),
                  .title = j.at("title"),
                  .rule = j.at("rule")};
    for (const auto& [verdict, text] : j.at("grading").items())
        r.grading[verdict] = text.get<std::string>();
    return r;
}

} // namespace upgradespec
