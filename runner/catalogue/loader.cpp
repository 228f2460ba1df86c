#include "catalogue/loader.hpp"

#include "catalogue/case_reader.hpp"
#include "catalogue/fingerprint.hpp"
#include "catalogue/json_input.hpp"
#include "catalogue/requirement_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace upgradespec {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The requirements catalogue's file name, in the shipped suite/ and in any --suite DIR.
constexpr const char* requirements_file = "requirements.json";

// json_input's errors, with the same message, as catalogue errors.
template <typename Read> auto catalogue_input(Read read) -> decltype(read()) {
    try {
        return read();
    } catch (const InputError& e) {
        throw CatalogueError(e.what());
    }
}

std::string read_text(const fs::path& path) {
    return catalogue_input([&] { return read_text_file(path); });
}

json parse_json(const std::string& text, const std::string& file) {
    return catalogue_input([&] { return parse_json_text(text, file); });
}

// Names the entry an error context points into: `case "ws.key.missing"`, `requirement
// "WS-ACCEPT"` or `cases[3]`.
std::string entry_label(const json& doc, const std::vector<std::string>& context) {
    if (context.size() < 3) return "";
    const std::string list = context[1] == "[cases]" ? "case" : "requirement";
    if (context[1] != "[cases]" && context[1] != "[requirements]") return "";
    const std::string& index_part = context[2];
    std::size_t index = std::stoul(index_part.substr(1, index_part.size() - 2));
    const json& entries = doc[context[1].substr(1, context[1].size() - 2)];
    if (index < entries.size() && entries[index].contains("id") && entries[index]["id"].is_string())
        return list + " \"" + entries[index]["id"].get<std::string>() + "\"";
    return list + "s[" + std::to_string(index) + "]";
}

// A catalogue file's schema in suite/schema/; its errors name the case or requirement too.
// A file whose validation key is trusted (validated at build time) is not validated again, and
// the schema is parsed only when a file needs it: validating costs more than the rest of loading.
class SchemaValidator {
  public:
    explicit SchemaValidator(const fs::path& schema_path, std::set<std::string> trusted = {})
        : schema_path_(schema_path), schema_text_(read_text(schema_path)),
          trusted_(std::move(trusted)) {}

    // The keys of the files this validator validated (not those it trusted).
    const std::vector<std::string>& validated() const { return validated_; }

    // Throws with the most specific error: the one deepest in the document parsed from `text`.
    void check(const json& doc, std::string_view text, const std::string& file) {
        std::string key = validation_key(schema_text_, text);
        if (trusted_.count(key)) return;
        if (!schema_) schema_.emplace(catalogue_input([&] { return JsonSchema(schema_path_); }));
        validated_.push_back(std::move(key));
        auto violation = schema_->violation(doc);
        if (!violation) return;
        std::string where = entry_label(doc, violation->context);
        throw CatalogueError(file + ": " + (where.empty() ? "" : where + ": ") + "field " +
                             violation->field + ": " + violation->why + " (schema: suite/schema/" +
                             schema_path_.filename().string() + ")");
    }

  private:
    fs::path schema_path_;
    std::string schema_text_;
    std::set<std::string> trusted_;
    std::vector<std::string> validated_;
    std::optional<JsonSchema> schema_;
};

std::vector<Case> read_cases(const std::string& text, const std::string& file,
                             SchemaValidator& validator) {
    const json doc = parse_json(text, file);
    validator.check(doc, text, file);
    std::string family = doc["family"];
    std::vector<Case> cases;
    for (const auto& j : doc["cases"])
        cases.push_back(read_case(j, file, family));
    return cases;
}

std::map<std::string, std::string> load_templates(const std::string& file_text,
                                                  const fs::path& path) {
    json doc = parse_json(file_text, path.string());
    if (!doc.contains("templates") || !doc["templates"].is_object())
        throw CatalogueError(path.string() + ": field templates: missing or not an object");
    std::map<std::string, std::string> templates;
    for (auto& [name, text] : doc["templates"].items()) {
        if (!text.is_string())
            throw CatalogueError(path.string() + ": field templates." + name + ": not a string");
        templates[name] = text.get<std::string>();
    }
    return templates;
}

std::vector<fs::path> case_files(const fs::path& dir) {
    if (!fs::is_directory(dir)) throw CatalogueError(dir.string() + ": not a folder");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file() && entry.path().extension() == ".json" &&
            entry.path().filename() != "templates.json" &&
            entry.path().filename() != requirements_file)
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<Requirement> read_requirements(const std::string& text, const std::string& file,
                                           SchemaValidator& validator) {
    const json doc = parse_json(text, file);
    validator.check(doc, text, file);
    std::vector<Requirement> requirements;
    for (const auto& j : doc.at("requirements"))
        requirements.push_back(requirement_from_json(j.at("id"), j));
    return requirements;
}

// Every requirements file of the sources: the shipped one, then each --suite DIR's own.
void load_requirements(const CatalogueSources& sources, Catalogue& catalogue,
                       Fingerprint& fingerprint) {
    SchemaValidator validator(sources.builtin_dir / "schema" / "requirements.schema.json",
                              sources.trusted_keys);
    std::vector<fs::path> files{sources.builtin_dir / requirements_file};
    for (const auto& dir : sources.extra_dirs)
        if (fs::exists(dir / requirements_file)) files.push_back(dir / requirements_file);
    std::map<std::string, std::string> defined_in;
    for (const auto& file : files) {
        const std::string text = read_text(file);
        fingerprint.add(file.filename().string(), text);
        for (auto& r : read_requirements(text, file.string(), validator)) {
            auto [it, fresh] = defined_in.emplace(r.id, file.string());
            if (!fresh)
                throw CatalogueError(file.string() + ": requirement \"" + r.id +
                                     "\": field id: already defined in " + it->second);
            catalogue.requirements.push_back(std::move(r));
        }
    }
    catalogue.validated_keys = validator.validated();
}

// same_status_as compares with a case that ran first: one of depends_on.
void check_compared_cases(const Case& c) {
    auto check = [&](const Predicate& when, const std::string& field) {
        const auto& compared = when.http1.same_status_as;
        if (compared &&
            std::find(c.depends_on.begin(), c.depends_on.end(), *compared) == c.depends_on.end())
            throw CatalogueError(c.file + ": case \"" + c.id + "\": field " + field +
                                 ".same_status_as: \"" + *compared + "\" is not in depends_on");
    };
    for (const auto& outcome : c.outcomes)
        check(outcome.when, "outcomes[].when");
    check(c.otherwise.when, "otherwise");
}

// Cross-case rules the schema cannot say: unique ids, known requirements, templates and
// dependencies.
void check_references(const Catalogue& catalogue) {
    std::map<std::string, const Case*> by_id;
    for (const auto& c : catalogue.cases) {
        auto [it, fresh] = by_id.emplace(c.id, &c);
        if (!fresh)
            throw CatalogueError(c.file + ": case \"" + c.id + "\": field id: already used in " +
                                 it->second->file);
        if (!catalogue.requirement(c.requirement))
            throw CatalogueError(c.file + ": case \"" + c.id + "\": field requirement: \"" +
                                 c.requirement + "\" is not in the requirements catalogue (" +
                                 requirements_file + ")");
        std::vector<const Send*> sends{&c.send};
        for (const auto& follow_up : c.then)
            sends.push_back(&follow_up.send);
        for (const Send* send : sends)
            if (!send->template_name.empty() && !catalogue.templates.count(send->template_name))
                throw CatalogueError(c.file + ": case \"" + c.id +
                                     "\": field send.template: no template named \"" +
                                     send->template_name + "\" in suite/templates.json");
    }
    for (const auto& c : catalogue.cases) {
        for (const auto& dep : c.depends_on)
            if (!by_id.count(dep) || dep == c.id)
                throw CatalogueError(c.file + ": case \"" + c.id +
                                     "\": field depends_on: no other case has the id \"" + dep +
                                     "\"");
        check_compared_cases(c);
    }
}

} // namespace

std::string validation_key(std::string_view schema_text, std::string_view file_text) {
    Fingerprint key;
    key.add("schema", schema_text);
    key.add("file", file_text);
    return key.hex();
}

const Requirement* Catalogue::requirement(const std::string& id) const {
    auto it = std::find_if(requirements.begin(), requirements.end(),
                           [&](const Requirement& r) { return r.id == id; });
    return it == requirements.end() ? nullptr : &*it;
}

std::map<std::string, Requirement> requirements_named(const std::vector<CaseResult>& results,
                                                      const Catalogue& catalogue) {
    std::map<std::string, Requirement> named;
    auto add = [&](const std::string& id) {
        if (const Requirement* r = catalogue.requirement(id)) named.emplace(id, *r);
    };
    for (const auto& c : results) {
        add(c.requirement);
        for (const auto& f : c.findings)
            add(f.requirement);
    }
    return named;
}

std::vector<Requirement> load_requirements_file(const std::string& text, const std::string& file,
                                                const fs::path& schema_path) {
    SchemaValidator validator(schema_path);
    return read_requirements(text, file, validator);
}

std::vector<Case> load_case_file(const std::string& text, const std::string& file,
                                 const fs::path& schema_path) {
    SchemaValidator validator(schema_path);
    return read_cases(text, file, validator);
}

Catalogue load_catalogue(const CatalogueSources& sources) {
    Catalogue catalogue;
    const fs::path templates = sources.builtin_dir / "templates.json";
    const std::string templates_text = read_text(templates);
    catalogue.templates = load_templates(templates_text, templates);
    // File names without their folder: shards on other machines load the same catalogue.
    Fingerprint fingerprint;
    fingerprint.add("templates.json", templates_text);
    load_requirements(sources, catalogue, fingerprint);
    SchemaValidator validator(sources.builtin_dir / "schema" / "case.schema.json",
                              sources.trusted_keys);
    std::vector<fs::path> dirs = sources.extra_dirs;
    if (sources.include_builtin_cases) dirs.insert(dirs.begin(), sources.builtin_dir);
    for (const auto& dir : dirs) {
        for (const auto& file : case_files(dir)) {
            const std::string text = read_text(file);
            fingerprint.add(file.filename().string(), text);
            auto cases = read_cases(text, file.string(), validator);
            std::move(cases.begin(), cases.end(), std::back_inserter(catalogue.cases));
        }
    }
    const auto& validated = validator.validated();
    catalogue.validated_keys.insert(catalogue.validated_keys.end(), validated.begin(),
                                    validated.end());
    check_references(catalogue);
    catalogue.fingerprint = fingerprint.hex();
    return catalogue;
}

} // namespace upgradespec
