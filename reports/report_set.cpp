#include "reports/report_set.hpp"

#include "reports/html.hpp"
#include "reports/json.hpp"
#include "reports/junit.hpp"
#include "reports/markdown.hpp"
#include "reports/write_file.hpp"

namespace upgradespec {

bool write_report_file(const std::string& path, const std::function<void(std::ostream&)>& writer,
                       std::ostream& errors) {
    if (path.empty()) return true;
    std::string error;
    if (write_file(path, writer, error)) return true;
    errors << "upgradespec: cannot write " << path << ": " << error << "\n";
    return false;
}

bool write_report_set(const RunResult& run, const ReportPaths& paths, std::ostream& errors) {
    bool ok = true;
    auto write = [&](const std::string& path, auto writer) {
        ok = write_report_file(
                 path, [&](std::ostream& out) { writer(run, out); }, errors) &&
             ok;
    };
    write(paths.junit, write_junit);
    write(paths.json, write_json);
    write(paths.html, write_html);
    write(paths.markdown, [](const RunResult& r, std::ostream& out) { write_markdown(r, out); });
    return ok;
}

} // namespace upgradespec
