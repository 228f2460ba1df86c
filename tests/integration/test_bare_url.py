"""A run on a bare URL (no flags) against servers unlike refserver. What the runner finds out before
the cases: whether the WebSocket endpoint echoes; the echo cases then run without --echo against an
echo server, are skipped against one that does not echo, and --no-echo turns the probe off; the
reports say what was detected. A WebSocket-only server that refuses every plain request is
compared with its own refusal instead of being skipped. An answer whose body ends at the close
still counts as an answer."""
import json
import os
import unittest

import harness
from test_hostile import FakeServer, read_request, wait_for_close, websocket_then

# Accepts every WebSocket handshake, then reads and never answers; other requests get 200.
handshake_without_echo = websocket_then(lambda conn, stop: wait_for_close(conn, stop, seconds=10))


def refuses_at_once_without_length(conn, stop):
    """Answers the request head at once with a 400 whose body ends only at the close, then keeps
    the connection open (as autobahn does for an Expect request)."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nnot upgrading")
    wait_for_close(conn, stop, seconds=5)


def websocket_only(conn, stop):
    """Refuses every request with the same 426 and a close (as python3-websockets does)."""
    read_request(conn)
    conn.sendall(b"HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nConnection: upgrade, close\r\n"
                 b"Content-Length: 20\r\n\r\nWebSocket only here\n")


# The cases that compare a request offering an upgrade with the plain GET (upg.plain.baseline).
COMPARED = ("upg.unknown-protocol.ignored", "h2c.optional.ignore-or-switch", "tls.upgrade.optional",
            "ver.absolute-form.plain")


def echo_cases():
    """The cases over HTTP/1.1 that need an echoing endpoint (the HTTP/2 ones need TLS too)."""
    cases = set()
    for name in ("websocket.json", "websocket-frames.json", "permessage-deflate.json"):
        with open(os.path.join(harness.SOURCE, "suite", name)) as f:
            cases |= {c["id"] for c in json.load(f)["cases"] if "websocket-echo" in c.get("needs", [])}
    return cases


def only(cases):
    return [arg for case in sorted(cases) for arg in ("--case", case)]


def skipped_for_echo(run):
    return {i for i, c in run.cases().items()
            if c["verdict"] == "skip" and "echo" in c["findings"][0]["message"]}


class EchoDetection(unittest.TestCase):
    def setUp(self):
        self.echoing = echo_cases()
        self.assertGreaterEqual(len(self.echoing), 5)

    def test_an_echo_endpoint_is_detected_and_its_echo_cases_run(self):
        with harness.RefServer() as server:
            run = harness.run_cli(*only(self.echoing), server.url())
        self.assertEqual(len(run.report["detected"]), 1)
        self.assertIn("echoes", run.report["detected"][0])
        self.assertIn("detected: the WebSocket endpoint echoes", run.stdout)
        self.assertEqual(skipped_for_echo(run) & self.echoing, set())
        self.assertTrue(all(harness.passed(run.cases()[i]) for i in self.echoing))

    def test_no_echo_turns_the_probe_off(self):
        with harness.RefServer() as server:
            run = harness.run_cli("--no-echo", *only(self.echoing), server.url())
        self.assertEqual(run.report["detected"], [])
        self.assertEqual(skipped_for_echo(run) & self.echoing, self.echoing)

    def test_an_endpoint_that_does_not_echo_skips_the_echo_cases_and_says_why(self):
        with FakeServer(handshake_without_echo) as fake:
            run = harness.run_cli("--timeout", "0.3", *only(self.echoing), fake.url())
        self.assertEqual(len(run.report["detected"]), 1)
        self.assertIn("did not echo", run.report["detected"][0])
        self.assertEqual(skipped_for_echo(run) & self.echoing, self.echoing)

    def test_a_head_during_the_held_body_is_an_answer_though_its_body_ends_at_the_close(self):
        with FakeServer(refuses_at_once_without_length) as fake:
            run = harness.run_cli("--timeout", "1", "--case", "upg.expect.100-before-101", fake.url())
        case = run.cases()["upg.expect.100-before-101"]
        self.assertEqual(case["verdict"], "pass", case["findings"])

    def test_a_websocket_only_server_is_compared_with_its_own_refusal(self):
        with FakeServer(websocket_only) as fake:
            run = harness.run_cli("--timeout", "1", "--case", "upg.plain.baseline",
                                  *only(COMPARED), fake.url())
        cases = run.cases()
        self.assertEqual(cases["upg.plain.baseline"]["verdict"], "info")
        verdicts = {i: cases[i]["verdict"] for i in COMPARED}
        self.assertEqual(set(verdicts.values()), {"pass", "info"}, verdicts)

    def test_echo_and_no_echo_exclude_each_other(self):
        run = harness.run_cli("--echo", "--no-echo", "--list")
        self.assertEqual(run.code, 2)


if __name__ == "__main__":
    unittest.main()
