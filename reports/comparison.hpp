#pragma once
// `compare` output: the console text and a Markdown page of a Comparison (gate/compare.hpp).
#include "gate/compare.hpp"

#include <ostream>

namespace upgradespec {

// Sections for regressions, fixes, other changes, new and removed cases (empty ones left
// out), then the last line "N regressions, N fixes, N other changes, N new, N removed,
// N unchanged".
void write_comparison_text(const Comparison& comparison, std::ostream& out);

// The same as GitHub-flavoured Markdown (tables), fit for a pull-request comment.
void write_comparison_markdown(const Comparison& comparison, std::ostream& out);

} // namespace upgradespec
