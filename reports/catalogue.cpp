#include "reports/catalogue.hpp"

#include "describe/outcome.hpp"
#include "describe/step.hpp"
#include "reports/escape.hpp"

#include <map>
#include <sstream>

namespace upgradespec {

namespace {

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
    std::string out;
    for (const auto& item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}

std::string outcome_line(const Outcome& o) {
    std::string line = std::string(to_string(o.verdict)) + " when " + describe(o.when);
    return o.why.empty() ? line : line + ": " + o.why;
}

// A Markdown table cell: a pipe would end the cell.
std::string cell(std::string text) {
    std::string out;
    for (char ch : text)
        out += ch == '|' ? std::string("\\|") : std::string(1, ch);
    return out;
}

void indented(std::ostream& out, const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        out << "    " << line << "\n";
}

// An intermediary case's other end: how the runner's backend answers what the proxy forwards.
void write_backend(const BackendScript& backend, std::ostream& out) {
    out << "\nthe backend (--backend) answers each request of this case the proxy forwards:\n";
    for (const auto& answer : backend.answers) {
        out << "    "
            << (answer.if_field.empty() ? "any request" : "a request with " + answer.if_field)
            << (answer.close       ? ": closes the connection without answering\n"
                : answer.silent_ms ? ": stays silent " + std::to_string(answer.silent_ms) +
                                         " ms, then closes without answering\n"
                                   : std::string(":\n"));
        if (!answer.respond.empty()) indented(out, printable(answer.respond));
    }
    if (!backend.marker.empty())
        out << "    and watches for \"" << readable(backend.marker) << "\" on every connection\n";
}

} // namespace

void write_explanation(const Case& c, const std::string& request, std::ostream& out) {
    out << c.id << ": " << readable(c.title) << "\n\n";
    out << "requirement  " << c.requirement << " (" << to_string(c.level) << ")\n";
    out << "RFC sections " << joined(c.refs) << "\n";
    out << "family       " << c.family << " (" << c.file << ")\n";
    if (!c.tags.empty()) out << "tags         " << joined(c.tags) << "\n";
    if (!c.needs.empty()) out << "needs        " << joined(c.needs) << "\n";
    if (!c.depends_on.empty())
        out << "depends on   " << joined(c.depends_on) << " (skipped unless they pass)\n";
    if (c.connect)
        out << "\nconnects with TLS to the target's TLS endpoint, ALPN offering "
            << (c.connect->alpn.empty() ? "nothing" : joined(c.connect->alpn))
            << (c.connect->listener ? "; opens a loopback listener ({listener_authority})" : "")
            << "\n";
    if (!c.h2.empty()) {
        out << "\nspeaks HTTP/2 at once (no HTTP/1.1 request):\n";
        for (const auto& step : c.h2)
            out << "    " << describe_step(step) << "\n";
    } else {
        out << "\nsends (for an example target; {ws_key} and {nonce} are fresh on every run):\n";
        indented(out, printable(request));
    }
    for (std::size_t i = 0; i < c.then.size(); ++i)
        out << "then request " << i + 2
            << (c.then[i].pipelined ? " (pipelined, in the same write)"
                                    : " (after the first response)")
            << "\n";
    if (c.send.hold_body_ms > 0)
        out << "the body is held back " << c.send.hold_body_ms << " ms (or until a 1xx arrives)\n";
    if (c.read_until_close) out << "after the responses, reads on until the target closes\n";
    if (c.backend) write_backend(*c.backend, out);
    if (!c.after_101.empty()) {
        out << "\nafter a 101:\n";
        for (const auto& step : c.after_101)
            out << "    " << describe_step(step) << "\n";
    }
    out << "\noutcomes (the first that holds decides):\n";
    for (const auto& o : c.outcomes)
        out << "    " << outcome_line(o) << "\n";
    out << "    otherwise " << to_string(c.otherwise.verdict) << ": " << c.otherwise.why << "\n";
    out << "\npasses when  " << describe_expected(c) << "\n";
}

void write_catalogue_markdown(const std::vector<Case>& cases, std::ostream& out) {
    std::map<std::string, std::vector<const Case*>> families;
    for (const auto& c : cases)
        families[c.family].push_back(&c);
    out << "# The case catalogue\n\n"
        << "Generated from `suite/*.json` by `upgradespec doc` (build target `docs`); do not edit "
           "by hand.\n"
        << cases.size() << " cases in " << families.size()
        << " families. `upgradespec explain ID` shows one "
        << "case in full, with the bytes it sends.\n";
    for (const auto& [family, members] : families) {
        out << "\n## " << family << " (" << members.size() << " cases)\n\n";
        out << "| id | level | requirement | RFC | what is tested | passes when "
               "|\n|---|---|---|---|---|---|\n";
        for (const Case* c : members)
            out << "| `" << c->id << "` | " << to_string(c->level) << " | " << c->requirement
                << " | " << joined(c->refs) << " | " << cell(c->title) << " | "
                << cell(describe_expected(*c)) << " |\n";
    }
}

} // namespace upgradespec
