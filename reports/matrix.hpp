#pragma once
// The matrix of a multi-target run (--targets): cases x targets, grouped by family, the verdict
// in each cell and the totals per target. A pure writer over the finished runs.
#include "model/result.hpp"
#include "reports/markdown.hpp"

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace upgradespec {

struct NamedRun {
    std::string name; // the target's name in the targets file
    RunResult run;
    std::string html_report; // this target's HTML report, relative to the matrix page; "" if none
};

// One self-contained page, like write_html's: every cell links to the case in the target's
// HTML report when there is one.
void write_matrix_html(const std::vector<NamedRun>& runs, std::ostream& out);

// Bounded like write_markdown: rows that do not fit are counted and the count said.
void write_matrix_markdown(const std::vector<NamedRun>& runs, std::ostream& out,
                           std::size_t max_bytes = markdown_max_bytes);

} // namespace upgradespec
