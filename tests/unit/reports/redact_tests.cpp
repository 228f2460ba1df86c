#include "reports/redact.hpp"

#include <catch2/catch.hpp>

using namespace upgradespec;

TEST_CASE("credentials in request heads are redacted, names and everything else kept", "[redact]") {
    std::string sent = "GET /ws HTTP/1.1\r\nHost: a\r\nauthorization: Bearer s3cret\r\n"
                       "Cookie: session=abc; x=1\r\nProxy-Authorization : Basic eA==\r\n"
                       "X-Cookie-Note: not secret\r\n\r\nCookie: in the body stays";
    std::string redacted = redact_request(sent);
    CHECK(redacted == "GET /ws HTTP/1.1\r\nHost: a\r\nauthorization: <redacted>\r\n"
                      "Cookie: <redacted>\r\nProxy-Authorization : <redacted>\r\n"
                      "X-Cookie-Note: not secret\r\n\r\nCookie: in the body stays");
}

TEST_CASE("bytes that are not a request head pass through unchanged", "[redact]") {
    CHECK(redact_request("") == "");
    std::string frame("\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58", 11);
    CHECK(redact_request(frame) == frame);
    CHECK(redact_request("GET / HTTP/1.1\r\nCookie: a=b") ==
          "GET / HTTP/1.1\r\nCookie: <redacted>");
}

TEST_CASE("a run's sent events are redacted, received ones kept", "[redact]") {
    RunResult run;
    CaseResult c;
    c.transcript = {{Direction::sent, {}, "GET / HTTP/1.1\r\nCookie: a=b\r\n\r\n"},
                    {Direction::received, {}, "HTTP/1.1 200 OK\r\nSet-Cookie: a=b\r\n\r\n"}};
    run.cases.push_back(c);
    redact_secrets(run);
    CHECK(run.cases[0].transcript[0].bytes == "GET / HTTP/1.1\r\nCookie: <redacted>\r\n\r\n");
    CHECK(run.cases[0].transcript[1].bytes == "HTTP/1.1 200 OK\r\nSet-Cookie: a=b\r\n\r\n");
}
