#pragma once
// Loads the catalogue: the requirements (suite/requirements.json) and the case files
// (suite/*.json), each validated against its schema in suite/schema/ (unless it was validated
// when the runner was built: see CatalogueSources::trusted_keys).
#include "model/case.hpp"
#include "model/requirement.hpp"
#include "model/result.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace upgradespec {

// A catalogue problem; the message names the file, the case id and the field.
class CatalogueError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Catalogue {
    std::vector<Requirement> requirements;        // in file order
    std::vector<Case> cases;                      // in file order, files sorted by name
    std::map<std::string, std::string> templates; // name -> raw request text
    std::string fingerprint; // SHA-256 hex over templates.json, requirements and case files
    std::vector<std::string> validated_keys; // validation_key() of each file this load
                                             // validated against its schema (none trusted)

    // The requirement with this id, or nullptr.
    const Requirement* requirement(const std::string& id) const;
};

struct CatalogueSources {
    std::filesystem::path builtin_dir;             // the shipped suite/ (templates.json, schema/)
    std::vector<std::filesystem::path> extra_dirs; // --suite DIR: more case files, and more
                                                   // requirements in DIR/requirements.json
    bool include_builtin_cases = true;
    // validation_key() of files validated when the runner was built (the shipped suite): such a
    // file, unchanged under an unchanged schema, is not validated again.
    std::set<std::string> trusted_keys;
};

// What makes a file count as validated: SHA-256 over its schema's text and its own text.
std::string validation_key(std::string_view schema_text, std::string_view file_text);

// Throws CatalogueError on the first file that does not load or validate.
Catalogue load_catalogue(const CatalogueSources& sources);

// The catalogue's entry for every requirement these results or their findings name.
std::map<std::string, Requirement> requirements_named(const std::vector<CaseResult>& results,
                                                      const Catalogue& catalogue);

// Reads one requirements file's text (suite/requirements.json's form); `file` names it in errors.
std::vector<Requirement> load_requirements_file(const std::string& text, const std::string& file,
                                                const std::filesystem::path& schema_path);

// Loads one case file's text (for tests and `--suite` files); `file` names it in errors.
std::vector<Case> load_case_file(const std::string& text, const std::string& file,
                                 const std::filesystem::path& schema_path);

} // namespace upgradespec
