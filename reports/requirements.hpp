#pragma once
// The requirements catalogue in words: the `requirements` listing, one requirement explained
// with its cases (`explain ID`), the JSON records, and docs/requirements.md.
#include "model/case.hpp"
#include "model/requirement.hpp"

#include <ostream>
#include <vector>

namespace upgradespec {

// One line each: id, level, RFC sections, title.
void write_requirement_lines(const std::vector<Requirement>& requirements, std::ostream& out);

// `requirements --json`: every record, in the form of suite/requirements.json.
void write_requirements_json(const std::vector<Requirement>& requirements, std::ostream& out);

// `explain ID` for a requirement: its rule, how it is graded, and the cases that prove it.
void write_requirement_explanation(const Requirement& r, const std::vector<Case>& cases,
                                   std::ostream& out);

// docs/requirements.md: every requirement by family, with its rule, grading and cases.
void write_requirements_markdown(const std::vector<Requirement>& requirements,
                                 const std::vector<Case>& cases, std::ostream& out);

} // namespace upgradespec
