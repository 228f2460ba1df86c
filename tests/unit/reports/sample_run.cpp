#include "sample_run.hpp"

namespace upgradespec::test {

namespace {

using std::chrono::microseconds;

CaseResult make_case(std::string id, std::string family, Verdict verdict, Level level) {
    CaseResult c;
    c.id = id;
    c.title = "Title of " + id;
    c.family = std::move(family);
    c.requirement = "REQ-" + id;
    c.level = level;
    c.refs = {"RFC6455 4.2.2", "RFC9110 7.8"};
    c.tags = {"websocket", "426"};
    c.verdict = verdict;
    c.findings.push_back({c.requirement, verdict, "outcome of " + id, ""});
    c.expected = "expected of " + id;
    c.observed = "observed of " + id;
    c.duration = microseconds(12'345);
    return c;
}

} // namespace

RunResult sample_run(bool strict) {
    RunResult run;
    run.tool_version = "0.1.0";
    run.target = "ws://127.0.0.1:8080/chat";
    run.started_at = "2024-05-01T10:00:00Z";
    run.duration = microseconds(1'500'000);
    run.strict = strict;

    auto pass = make_case("ws.accept", "websocket", Verdict::pass, Level::must);
    pass.transcript = {
        {Direction::sent, microseconds(100), "GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"},
        {Direction::received, microseconds(2'500), "HTTP/1.1 101 Switching Protocols\r\n\r\n"},
    };
    run.cases.push_back(pass);

    auto fail = make_case("ws.version", "websocket", Verdict::fail, Level::must);
    fail.findings.push_back(
        {"UPG-426-UPGRADE", Verdict::fail, non_utf8_message, "rule.426-upgrade"});
    fail.findings.push_back({"UPG-OTHER", Verdict::pass, "a rule that held", "rule.held"});
    fail.observed = "HTTP/1.1 400 <Bad> \x1b[2J\xff";
    fail.transcript = {
        {Direction::sent, microseconds(50), "GET / HTTP/1.1\r\n\r\n"},
        {Direction::received, microseconds(1'234'567), hostile_bytes},
    };
    fail.deadline_waits = 1;
    run.cases.push_back(fail);

    run.cases.push_back(make_case("ws.origin", "websocket", Verdict::warn, Level::should));
    run.cases.push_back(make_case("http.version.09", "http-version", Verdict::info, Level::may));

    auto skip = make_case("http.version.2", "http-version", Verdict::skip, Level::must);
    skip.findings = {{skip.requirement, Verdict::skip, "needs a TLS-upgrade claim", ""}};
    run.cases.push_back(skip);

    auto error = make_case("http.upgrade.refused", "http-version", Verdict::error, Level::must);
    error.findings = {{error.requirement, Verdict::error, "connect: connection refused", ""}};
    run.cases.push_back(error);

    auto h2c = make_case("h2c.settings", "h2c", Verdict::pass, Level::must);
    h2c.transcript = {
        {Direction::note, microseconds(0), "switching to h2c"},
        {Direction::eof, microseconds(9'000), ""},
        {Direction::reset, microseconds(9'001), ""},
    };
    run.cases.push_back(h2c);

    // Two of the requirements the run names have catalogue entries; a title with markup checks
    // that every writer escapes it.
    run.requirements["REQ-ws.version"] = {
        .id = "REQ-ws.version",
        .level = "MUST",
        .sections = {"RFC6455 4.2.2", "RFC6455 4.4"},
        .title = "An unsupported version is refused <with> the supported one",
        .rule = "The server MUST refuse a version it does not speak and list the ones it does.",
        .grading = {{"pass", "a 426 listing 13"}, {"fail", "a 101"}}};
    run.requirements["UPG-426-UPGRADE"] = {.id = "UPG-426-UPGRADE",
                                           .level = "MUST",
                                           .level_note = "MUST for the field",
                                           .sections = {"RFC9110 15.5.22"},
                                           .title = "A 426 names the protocol to switch to",
                                           .rule = "A 426 MUST carry Upgrade naming a protocol.",
                                           .grading = {{"pass", "an Upgrade field"}}};
    return run;
}

} // namespace upgradespec::test
