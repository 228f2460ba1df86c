#pragma once
// The report files of one run, written together: every format whose path is set.
#include "model/result.hpp"

#include <functional>
#include <ostream>
#include <string>

namespace upgradespec {

struct ReportPaths {
    std::string junit, json, html, markdown; // empty: not written
};

// Writes `writer`'s output to `path` whole (write_file); on failure says why on `errors`
// ("upgradespec: cannot write PATH: WHY") and returns false.
bool write_report_file(const std::string& path, const std::function<void(std::ostream&)>& writer,
                       std::ostream& errors);

// Writes every report of `paths` that is set; false when one could not be written (the others
// are still written).
bool write_report_set(const RunResult& run, const ReportPaths& paths, std::ostream& errors);

} // namespace upgradespec
