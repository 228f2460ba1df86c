"""The verdict fixes of issue #10 against fake servers unlike refserver: the answers real servers
gave that were once judged FAIL though they break no MUST (a 404 to a plain GET on the WebSocket
path, a WebSocket-only server that closes on everything else, an application that answers every
request with the same 200), and the violations that were missed (a 417 to an HTTP/1.0 request with
Expect: 100-continue, the body of a declined upgrade run as a request of its own).

Each test runs only the cases concerned (--case) and checks both the verdict and that the finding
says what happened. Every fake listens on 127.0.0.1, serves a bounded number of requests per
connection with bounded waits, and stops when its test ends."""
import base64
import hashlib
import socket
import threading
import unittest

import harness
from test_hostile import WEBSOCKET_GUID, FakeServer, read_request, wait_for_close

TIMEOUT = "1"  # the runner's --timeout: generous, the fakes answer at once
RUN_BOUND_S = 120
MAX_REQUESTS = 16  # per connection: a client that keeps asking cannot hold a fake forever
HEAD_LIMIT = 65536

WS_ENDPOINT_CASE = "upg.426.plain-get-ws-endpoint"
BODY_CASE = "upg.declined.body-not-executed"
HTTP10_EXPECT_CASE = "upg.expect.no-1xx-to-http10"
PIPELINED_CASE = "upg.declined.reusable-pipelined"
QUIET_CASE = "upg.101.nothing-before-the-client-speaks"
BANNER = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nWelcome\n"  # after a 101


class Request:
    """One parsed request head: method, target, version and its fields (names lowercased)."""

    def __init__(self, head):
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        self.method, self.target, self.version = (parts + ["", "", ""])[:3]
        self.fields = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                self.fields[name.strip().lower()] = value.strip()

    def connection_has(self, token):
        return token in [t.strip().lower() for t in self.fields.get("connection", "").split(",")]

    def persistent(self):
        """RFC 9112 9.3: HTTP/1.1 persists unless `close`; HTTP/1.0 only with `keep-alive`."""
        if self.connection_has("close"):
            return False
        if self.version == "HTTP/1.1":
            return True
        return self.connection_has("keep-alive")

    def content_length(self):
        try:
            return max(0, int(self.fields.get("content-length", "0")))
        except ValueError:
            return 0


class Reader:
    """Reads request heads (and, when asked, bodies) from a connection through one buffer, so
    bytes that arrive together (pipelined requests, a body) are never lost between reads."""

    def __init__(self, conn, stop, seconds=2.0):
        self.conn, self.stop, self.buffer = conn, stop, b""
        conn.settimeout(0.1)
        self.polls = int(seconds / 0.1)  # per read: a bounded wait, cut short by the test's end

    def _fill(self):
        """One more chunk into the buffer; False at a close, an error, the deadline or the end."""
        for _ in range(self.polls):
            if self.stop.is_set():
                return False
            try:
                chunk = self.conn.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return False
            if not chunk:
                return False
            self.buffer += chunk
            return True
        return False

    def head(self):
        """The next request head, or None."""
        while b"\r\n\r\n" not in self.buffer:
            if len(self.buffer) > HEAD_LIMIT or not self._fill():
                return None
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        return Request(head)

    def body(self, length):
        """Consumes `length` bytes of body; False when they never came."""
        while len(self.buffer) < length:
            if not self._fill():
                return False
        self.buffer = self.buffer[length:]
        return True


def response(status, reason, body, head_request=False, close=False, keep_alive=False):
    """A framed HTTP/1.1 response; a HEAD's answer has the same fields and no content."""
    fields = "Content-Length: %d\r\nContent-Type: text/plain\r\n" % len(body)
    if close:
        fields += "Connection: close\r\n"
    elif keep_alive:
        fields += "Connection: keep-alive\r\n"
    head = ("HTTP/1.1 %d %s\r\n%s\r\n" % (status, reason, fields)).encode()
    return head if head_request else head + body


def answers_plain_get_on(path, status, reason):
    """A file server behind the WebSocket endpoint: `path` gets `status` (with content, framed,
    the connection kept open for the client to close), every other path a 200."""
    def handler(conn, stop):
        request = Request(read_request(conn).split(b"\r\n\r\n")[0])
        if request.target == path:
            conn.sendall(response(status, reason, b"no such file here\n"))
        else:
            conn.sendall(response(200, "OK", b"a file\n"))
        wait_for_close(conn, stop, seconds=10)
    return handler


def closes_without_answer(conn, stop):
    read_request(conn)  # _serve closes the connection: no response at all


def websocket_only_closing(conn, stop):
    """A WebSocket-only server: a valid handshake gets its 101, every other request a close
    without any response (test_hostile's websocket_then answers those with a 200)."""
    reader = Reader(conn, stop)
    request = reader.head()
    if request is None:
        return
    valid = (request.method == "GET" and request.version == "HTTP/1.1"
             and request.fields.get("upgrade", "").lower() == "websocket"
             and request.connection_has("upgrade")
             and request.fields.get("sec-websocket-version") == "13"
             and "sec-websocket-key" in request.fields)
    if not valid:
        return  # closed by _serve, nothing sent
    key = request.fields["sec-websocket-key"].encode()
    accept = base64.b64encode(hashlib.sha1(key + WEBSOCKET_GUID).digest())
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                 b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
    wait_for_close(conn, stop, seconds=10)


def websocket_greeting(greeting, close_after=False):
    """A server that sends `greeting` right after its 101, before the client speaks (then closes,
    with close_after); a request that is no WebSocket handshake gets a 200."""

    def handler(conn, stop):
        request = Reader(conn, stop).head()
        if request is None:
            return
        if "sec-websocket-key" not in request.fields:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
            return
        key = request.fields["sec-websocket-key"].encode()
        accept = base64.b64encode(hashlib.sha1(key + WEBSOCKET_GUID).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n"
                     + greeting)
        if not close_after:
            wait_for_close(conn, stop, seconds=10)

    return handler


class Recorder:
    """A handler factory that also records, per connection, the request lines it served."""

    def __init__(self):
        self.lock = threading.Lock()
        self.connections = []

    def new_connection(self):
        served = []
        with self.lock:
            self.connections.append(served)
        return served

    def all_served(self):
        with self.lock:
            return [list(c) for c in self.connections]


def same_200_to_everything(recorder, body=b"hello from the app\n"):
    """An application that answers every request (any path, any method) with the same 200, HEAD
    without content, reads each body by its Content-Length and keeps the connection alive as
    RFC 9112 9.3 says."""
    def handler(conn, stop):
        served = recorder.new_connection()
        reader = Reader(conn, stop)
        for _ in range(MAX_REQUESTS):
            request = reader.head()
            if request is None or not reader.body(request.content_length()):
                return
            served.append("%s %s %s" % (request.method, request.target, request.version))
            persistent = request.persistent()
            conn.sendall(response(200, "OK", body, head_request=request.method == "HEAD",
                                  close=not persistent))
            if not persistent:
                return
    return handler


def runs_the_body(recorder):
    """A server that reads only request heads: it ignores Content-Length, so a body that is a
    request is answered as one. Every path gets the same 200; HTTP/1.1 persists unless
    `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`."""
    def handler(conn, stop):
        served = recorder.new_connection()
        reader = Reader(conn, stop)
        for _ in range(MAX_REQUESTS):
            request = reader.head()
            if request is None:
                return
            served.append("%s %s %s" % (request.method, request.target, request.version))
            persistent = request.persistent()
            http10_kept = persistent and request.version == "HTTP/1.0"
            conn.sendall(response(200, "OK", b"same answer\n", head_request=request.method == "HEAD",
                                  close=not persistent, keep_alive=http10_kept))
            if not persistent:
                return
    return handler


def expectation_failed_to_http10(conn, stop):
    """Refuses an HTTP/1.0 request's Expect: 100-continue with a 417 (RFC 9110 10.1.1 says to
    ignore it); the connection closes after the answer (HTTP/1.0, no keep-alive)."""
    reader = Reader(conn, stop)
    request = reader.head()
    if request is None:
        return
    if request.fields.get("expect", "").lower() == "100-continue":
        conn.sendall(response(417, "Expectation Failed", b"expectations are not supported\n",
                              close=True))
        return
    reader.body(request.content_length())
    conn.sendall(response(200, "OK", b"ok\n", close=True))


def run_cases(fake, *cases, path="/ws", extra=()):
    args = [arg for case in cases for arg in ("--case", case)]
    return harness.run_cli("--no-echo", "--timeout", TIMEOUT, *extra, *args, fake.url(path),
                           timeout=RUN_BOUND_S)


class VerdictTest(unittest.TestCase):
    def case_of(self, run, case_id):
        detail = run.stdout[-3000:] + run.stderr[-2000:]
        self.assertIsNotNone(run.report, "no JSON report\n" + detail)
        cases = run.cases()
        self.assertIn(case_id, cases, detail)
        return cases[case_id]

    def own_finding(self, case):
        """The case's own finding (the first), whose requirement is the case's."""
        finding = case["findings"][0]
        self.assertEqual(finding["requirement"], case["requirement"])
        return finding

    def assert_own_fail(self, case, *phrases):
        """The case fails by its own finding, whose message holds every phrase."""
        self.assertEqual(case["verdict"], "fail", case["findings"])
        finding = self.own_finding(case)
        self.assertEqual(finding["verdict"], "fail")
        for phrase in phrases:
            self.assertIn(phrase, finding["message"])

    def assert_no_fail(self, case):
        failing = [f for f in case["findings"] if f["verdict"] in ("fail", "error")]
        self.assertEqual(failing, [], case["observed"])

    def transcript_received(self, case):
        return b"".join(harness.event_bytes(e) for e in case["transcript"]
                        if e["direction"] == "received")


class PlainGetOnTheWebSocketPathAnswered404(VerdictTest):
    """Issue #10, false FAIL 1: only a 426 is bound by UPG-426-UPGRADE-HDR; a file server's 404
    (or another status, or a close) to a plain GET on the WebSocket path is only recorded."""

    def test_a_404_is_recorded_as_info_not_failed(self):
        with FakeServer(answers_plain_get_on("/ws", 404, "Not Found")) as fake:
            run = run_cases(fake, WS_ENDPOINT_CASE)
        case = self.case_of(run, WS_ENDPOINT_CASE)
        self.assertEqual(case["verdict"], "info", case["findings"])
        self.assertEqual(self.own_finding(case)["verdict"], "info")
        message = self.own_finding(case)["message"]
        self.assertIn("no 426 to judge", message)
        self.assertIn("another answer", message)
        self.assertIn("UPG-426-UPGRADE-HDR does not bind", message)
        self.assertIn("404 Not Found", case["observed"])
        self.assertTrue(self.transcript_received(case).startswith(b"HTTP/1.1 404 Not Found\r\n"))
        self.assertEqual(run.code, 0, run.stdout[-3000:])

    def test_other_statuses_outside_the_rule_are_recorded_as_info(self):
        for status, reason in ((401, "Unauthorized"), (403, "Forbidden"),
                               (405, "Method Not Allowed"), (301, "Moved Permanently"),
                               (500, "Internal Server Error"), (503, "Service Unavailable")):
            with self.subTest(status=status):
                with FakeServer(answers_plain_get_on("/ws", status, reason)) as fake:
                    run = run_cases(fake, WS_ENDPOINT_CASE)
                case = self.case_of(run, WS_ENDPOINT_CASE)
                self.assertEqual(case["verdict"], "info", case["findings"])
                self.assertIn("no 426 to judge", self.own_finding(case)["message"])
                self.assertIn("%d %s" % (status, reason), case["observed"])

    def test_a_close_without_answer_is_recorded_as_info(self):
        with FakeServer(closes_without_answer) as fake:
            run = run_cases(fake, WS_ENDPOINT_CASE)
        case = self.case_of(run, WS_ENDPOINT_CASE)
        self.assertEqual(case["verdict"], "info", case["findings"])
        self.assertIn("no 426 to judge: the connection closed without a response",
                      self.own_finding(case)["message"])
        self.assertIn("connection closed without a response", case["observed"])


class WebSocketOnlyServerThatCloses(VerdictTest):
    """Issue #10, false FAIL 2: a WebSocket-only server closes, without a response, every request
    that is not a handshake. Closing is allowed at any time (RFC 9112 9.5); nothing was run and
    no 1xx was sent: at most a warning that the request got no answer. The liveness probes (before
    the run, after the destructive body case) find it alive by its answer to a handshake."""

    @classmethod
    def setUpClass(cls):
        with FakeServer(websocket_only_closing, probe=False) as fake:
            cls.run_ = run_cases(fake, BODY_CASE, HTTP10_EXPECT_CASE)

    def closed_case(self, case_id):
        case = self.case_of(self.run_, case_id)
        self.assertIn("connection closed without a response", case["observed"])
        self.assertEqual(self.transcript_received(case), b"")
        self.assertTrue({"eof", "reset"} & {e["direction"] for e in case["transcript"]},
                        case["transcript"])
        self.assert_no_fail(case)
        self.assertEqual(case["verdict"], "warn", case["findings"])
        finding = self.own_finding(case)
        self.assertEqual(finding["verdict"], "warn")
        self.assertIn("closed without any response", finding["message"])
        return finding

    def test_the_server_is_judged_and_said_to_be_websocket_only(self):
        self.assertNotEqual(self.run_.code, 3, self.run_.stderr)
        self.assertIn("a WebSocket-only server", " ".join(self.run_.report["detected"]))

    def test_the_declined_upgrade_body_case_warns(self):
        self.assertIn("nothing was run", self.closed_case(BODY_CASE)["message"])

    def test_the_http10_expect_case_warns(self):
        self.assertIn("no 1xx was sent", self.closed_case(HTTP10_EXPECT_CASE)["message"])


class SameAnswerToEveryRequest(VerdictTest):
    """Issue #10, false FAIL 3: an application answers every request with the same 200 and keeps
    connections alive. Equal answers say nothing of their order; a GET's content and a HEAD's
    none tell them apart, so the pipelined case passes."""

    def run_pipelined(self, **app):
        recorder = Recorder()
        with FakeServer(same_200_to_everything(recorder, **app)) as fake:
            run = run_cases(fake, PIPELINED_CASE, path="/")
        case = self.case_of(run, PIPELINED_CASE)
        self.assert_no_fail(case)
        # The fake answered both requests on the case's connection, GET first, HEAD behind it.
        served = [c for c in recorder.all_served() if len(c) == 2]
        self.assertEqual(len(served), 1, recorder.all_served())
        self.assertEqual([line.split(" ")[0] for line in served[0]], ["GET", "HEAD"])
        return run, case

    def test_a_get_and_a_pipelined_head_answered_alike_pass(self):
        run, case = self.run_pipelined()
        self.assertEqual(case["verdict"], "pass", case["findings"])
        self.assertEqual(self.own_finding(case)["verdict"], "pass")
        # What happened: the GET's 200 with its content, then the HEAD's 200 without.
        self.assertRegex(case["observed"], r"^HTTP/1.1 200 OK \(Content-Length: 19\), 19-byte body; "
                                           r"request 2: HTTP/1.1 200 OK \(Content-Length: 19\), empty body")
        self.assertEqual(run.code, 0, run.stdout[-3000:])

    def test_with_no_content_the_order_cannot_be_told_and_is_not_judged(self):
        run, case = self.run_pipelined(body=b"")
        self.assertEqual(case["verdict"], "info", case["findings"])
        message = self.own_finding(case)["message"]
        self.assertIn("both requests were answered", message)
        self.assertIn("order cannot be told", message)
        self.assertIn("request 2: HTTP/1.1 200 OK", case["observed"])


class ExpectationFailedToHttp10(VerdictTest):
    """Issue #10, missed violation: a server that receives a 100-continue expectation in an
    HTTP/1.0 request MUST ignore it (RFC 9110 10.1.1); a 417 refuses it."""

    def test_a_417_fails_under_rfc9110_10_1_1(self):
        with FakeServer(expectation_failed_to_http10) as fake:
            run = run_cases(fake, HTTP10_EXPECT_CASE, path="/")
        case = self.case_of(run, HTTP10_EXPECT_CASE)
        self.assert_own_fail(case, "RFC 9110 10.1.1", "MUST ignore that expectation", "417")
        self.assertIn("417 Expectation Failed", case["observed"])
        self.assertEqual(run.code, 1, run.stdout[-3000:])


class BodyOfADeclinedUpgradeRunAsARequest(VerdictTest):
    """Issue #10, missed violation: a server that reads only heads runs the body of a declined
    upgrade (a complete request) as a request of its own, and answers it like every other path.
    RFC 9112 9.3: it MUST read the entire body or close the connection after responding."""

    def test_the_hidden_request_answered_fails_under_rfc9112_9_3(self):
        recorder = Recorder()
        with FakeServer(runs_the_body(recorder)) as fake:
            run = run_cases(fake, BODY_CASE, path="/")
        case = self.case_of(run, BODY_CASE)
        # The fake did run the hidden request: POST, the smuggled GET, then the second POST.
        cases_connection = [c for c in recorder.all_served() if len(c) > 1]
        self.assertEqual(len(cases_connection), 1, recorder.all_served())
        lines = cases_connection[0]
        self.assertEqual(len(lines), 3, lines)
        self.assertTrue(lines[0].startswith("POST "), lines)
        self.assertRegex(lines[1], r"^GET /smuggled-\S+ HTTP/1\.[01]$")
        self.assertTrue(lines[2].startswith("POST "), lines)
        self.assert_own_fail(case, "RFC 9112 9.3",
                             "MUST read the entire request body or close the connection",
                             "answered as a request of its own")
        # Three answers arrived on the one connection.
        self.assertEqual(self.transcript_received(case).count(b"HTTP/1.1 200 OK\r\n"), 3)
        self.assertEqual(run.code, 1, run.stdout[-3000:])


if __name__ == "__main__":
    unittest.main()


class DataRightAfterThe101(VerdictTest):
    """Issue #10: after a WebSocket 101 the server may send frames at once (RFC 6455 4.2.2). A
    greeting passes; a malformed frame, or the malformed header of one that never completes,
    fails under the frame rule; a frame still arriving is left to check by hand."""

    def quiet_case(self, greeting, close_after=False):
        with FakeServer(websocket_greeting(greeting, close_after)) as fake:
            run = run_cases(fake, QUIET_CASE)
        return self.case_of(run, QUIET_CASE)

    def test_a_greeting_frame_passes(self):
        case = self.quiet_case(b"\x81\x05hello")
        self.assertEqual(case["verdict"], "pass", case["findings"])
        notes = [e["text"] for e in case["transcript"] if e["direction"] == "note"]
        self.assertTrue(any("a frame arrived before the client spoke" in n for n in notes), notes)

    def assert_frame_rule_fails(self, case, phrase):
        """The case fails by the frame rule alone, whose message holds `phrase`."""
        self.assertEqual(case["verdict"], "fail", case["findings"])
        failed = [f for f in case["findings"] if f["verdict"] == "fail"]
        self.assertEqual([f["requirement"] for f in failed], ["WSF-SERVER-FRAME-WELLFORMED"])
        self.assertIn(phrase, failed[0]["message"])

    def test_a_frame_with_a_reserved_bit_fails_under_the_frame_rule(self):
        case = self.quiet_case(b"\xa1\x05hello")  # FIN, RSV2, text: no extension agreed
        self.assert_frame_rule_fails(case, "RFC 6455 5.2")

    def assert_banner_fails(self, case):
        # "HT" read as a frame header: RSV1 set, a fragmented Close, with no extension agreed.
        self.assert_frame_rule_fails(case, "reserved bits")

    def test_an_http_response_after_the_101_fails_by_its_frame_header(self):
        case = self.quiet_case(BANNER)
        self.assert_banner_fails(case)
        self.assertIn("make no whole WebSocket frame", self.own_finding(case)["message"])

    def test_an_http_response_then_a_close_fails_too(self):
        case = self.quiet_case(BANNER, close_after=True)
        self.assert_banner_fails(case)
        self.assertIn("closed the connection", self.own_finding(case)["message"])

    def test_a_frame_still_arriving_is_left_to_check_by_hand(self):
        case = self.quiet_case(b"\x81\x7e\x00\xffabc")  # a text frame of 255 bytes, 3 sent
        self.assert_no_fail(case)
        self.assertEqual(case["verdict"], "warn", case["findings"])
        self.assertIn("make no whole WebSocket frame", self.own_finding(case)["message"])
