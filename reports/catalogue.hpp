#pragma once
// The catalogue in words: one case explained (`upgradespec explain ID`) and the whole catalogue
// as a Markdown document (docs/cases.md). Reads cases only; never a socket.
#include "model/case.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace upgradespec {

// What the case sends (`request` holds the bytes for an example target), what passes and why,
// the requirement and its RFC sections.
void write_explanation(const Case& c, const std::string& request, std::ostream& out);

// Every case by family: id, level, requirement, refs, title, and what passes.
void write_catalogue_markdown(const std::vector<Case>& cases, std::ostream& out);

} // namespace upgradespec
