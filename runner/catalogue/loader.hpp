#pragma once
// Loads the catalogue: suite/*.json, validated against suite/schema/case.schema.json.
#include "model/case.hpp"

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace upgradespec {

// A catalogue problem; the message names the file, the case id and the field.
class CatalogueError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Catalogue {
    std::vector<Case> cases;                      // in file order, files sorted by name
    std::map<std::string, std::string> templates; // name -> raw request text
    std::string fingerprint; // SHA-256 hex over templates.json and the case files (name, bytes)
};

struct CatalogueSources {
    std::filesystem::path builtin_dir;             // the shipped suite/ (templates.json, schema/)
    std::vector<std::filesystem::path> extra_dirs; // --suite DIR: more case files
    bool include_builtin_cases = true;
};

// Throws CatalogueError on the first file that does not load or validate.
Catalogue load_catalogue(const CatalogueSources& sources);

// Loads one case file's text (for tests and `--suite` files); `file` names it in errors.
std::vector<Case> load_case_file(const std::string& text, const std::string& file,
                                 const std::filesystem::path& schema_path);

} // namespace upgradespec
