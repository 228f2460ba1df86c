"""The CLI against hostile fake servers: it never crashes or hangs, exits 1 or 3 and always writes
valid reports. Every fake runs in threads on 127.0.0.1 and stops when its test ends."""
import base64
import hashlib
import json
import os
import random
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import unittest

import harness

TIMEOUT = 0.3  # the runner's --timeout for every run here
CASE_BOUND_MS = 5 * TIMEOUT * 1000  # a whole case is bounded by 5 x --timeout
SLACK_MS = 700  # scheduling noise on a shared 2-core machine
RUN_BOUND_S = 120  # generous: a hang, not slowness, is what these tests look for
FLOOD_LIMIT = 64 << 20  # the fake stops after this much per connection
NASTY = [b"\x00", b"\x1b", b"\xff", b"<", b"&", b"]]>", b"\x1b[31m", b"\r\n", b"\x7f"]


def garbage(size, seed):
    """Random bytes with the troublesome ones for terminals, XML and C strings mixed in."""
    rng = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        out += rng.choice(NASTY) if rng.random() < 0.3 else bytes([rng.randrange(256)])
    return bytes(out[:size])


def read_request(conn, seconds=0.5, limit=65536):
    """Reads until an empty line, the deadline or `limit` bytes; returns what arrived."""
    conn.settimeout(seconds)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        try:
            chunk = conn.recv(4096)
        except (socket.timeout, OSError):
            break
        if not chunk:
            break
        data += chunk
    return data


def wait_for_close(conn, stop, seconds=30):
    """Holds the connection until the client closes it, the test ends or `seconds` pass."""
    conn.settimeout(0.1)
    for _ in range(int(seconds / 0.1)):
        if stop.is_set():
            return
        try:
            if not conn.recv(65536):
                return
        except socket.timeout:
            continue
        except OSError:
            return


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
WEBSOCKET_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def answer_probe(conn, stop):
    """The runner's liveness probe (a plain GET before the run) gets a plain answer."""
    read_request(conn)
    conn.sendall(OK)


def websocket_then(after_switch):
    """A handler that accepts every WebSocket handshake, then runs `after_switch(conn, stop)`;
    a request without a Sec-WebSocket-Key gets a plain 200."""
    def handler(conn, stop):
        request = read_request(conn)
        key = [line.split(b":", 1)[1].strip() for line in request.split(b"\r\n")
               if line.lower().startswith(b"sec-websocket-key:")]
        if not key:
            conn.sendall(OK)
            return
        accept = base64.b64encode(hashlib.sha1(key[0] + WEBSOCKET_GUID).digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                     b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        after_switch(conn, stop)
    return handler


class FakeServer:
    """A listening socket on 127.0.0.1 whose connections are each served by `handler(conn, stop)`
    in a thread. After `max_accepts` connections the listening socket is closed (a dying server).
    The first connection, the runner's liveness probe, gets a plain answer unless `probe` is
    False: the hostility starts with the cases."""

    def __init__(self, handler, max_accepts=2000, probe=True):
        self.handler, self.max_accepts, self.probe = handler, max_accepts, probe
        self.stop = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.accepted = 0
        self.threads = []

    def __enter__(self):
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self.acceptor.start()
        return self

    def url(self, path="/ws"):
        return "ws://127.0.0.1:%d%s" % (self.port, path)

    def _accept_loop(self):
        deadline = time.monotonic() + RUN_BOUND_S * 2
        while not self.stop.is_set() and self.accepted < self.max_accepts and time.monotonic() < deadline:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            self.accepted += 1
            if self.accepted == self.max_accepts:
                # Refuse before answering the last one: a client that hears this answer and
                # connects again must find the port closed, not a backlog that is reset later.
                self.sock.close()
            thread = threading.Thread(target=self._serve, args=(conn, self.accepted), daemon=True)
            thread.start()
            self.threads.append(thread)
        self.sock.close()  # a dying fake refuses every later connection

    def _serve(self, conn, number):
        handler = answer_probe if self.probe and number == 1 else self.handler
        try:
            handler(conn, self.stop)
        except OSError:
            pass  # the client went away: that is its right
        finally:
            conn.close()

    def __exit__(self, *exc):
        self.stop.set()
        self.acceptor.join(timeout=5)
        for thread in self.threads:
            thread.join(timeout=5)


# The fakes' behaviours: each gets a fresh connection and the stop event.

def silent(conn, stop):
    wait_for_close(conn, stop)


def instant_close(conn, stop):
    pass  # _serve closes it


def reset(conn, stop):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def send_garbage(conn, stop):
    read_request(conn)
    conn.sendall(garbage(4096, seed=conn.fileno()))


def flood(conn, stop):
    read_request(conn)
    conn.settimeout(5)  # a client that stops reading without closing must not hold us forever
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n")
    chunk = b"flood" * 13107  # about 64 KiB
    sent = 0
    while sent < FLOOD_LIMIT and not stop.is_set():
        conn.sendall(chunk)
        sent += len(chunk)


def trickle(conn, stop):
    read_request(conn)
    response = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000
    for byte in response:  # 100 s at most; the test ends long before
        if stop.wait(0.1):
            return
        conn.sendall(bytes([byte]))


def liar_101(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\n\r\n" + garbage(2048, seed=conn.fileno()))
    wait_for_close(conn, stop, seconds=10)


def plain_400(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


def run_against(fake, *extra):
    """Runs the whole catalogue against `fake`; returns the Run and its wall-clock seconds."""
    started = time.monotonic()
    run = harness.run_cli(fake.url(), "--echo", "--timeout", str(TIMEOUT), *extra, timeout=RUN_BOUND_S)
    return run, time.monotonic() - started


def received_bytes(case):
    return sum(len(harness.event_bytes(e)) for e in case["transcript"] if e["direction"] == "received")


class Hostile(unittest.TestCase):
    def assert_survived(self, run, elapsed):
        """What every hostile run must show: a verdict exit code, bounded time, valid reports."""
        detail = run.stdout[-2000:] + run.stderr[-2000:]
        self.assertGreaterEqual(run.code, 0, "killed by a signal\n" + detail)
        self.assertIn(run.code, (0, 1, 3), detail)
        self.assertLess(elapsed, RUN_BOUND_S)
        self.assertIsNotNone(run.report, "no JSON report\n" + detail)
        harness.validate_report(run.report)
        self.assertIsNotNone(run.junit, "no JUnit report\n" + detail)
        self.assertEqual(len(harness.junit_testcases(run.junit)), len(run.report["cases"]))
        self.assertGreater(len(run.report["cases"]), 0)
        # Colour is off on a pipe, so an escape here would be the target's bytes reaching a terminal.
        self.assertNotIn("\x1b", run.stdout + run.stderr)

    def judged(self, run):
        """The cases that ran: not skipped, and not left unjudged because the target failed the
        liveness probe after a destructive case (a hostile fake fails it too)."""
        return [c for c in run.report["cases"] if c["verdict"] != "skip" and c["observed"] != "not judged"]

    def test_silent_server_ends_every_case_by_deadline(self):
        with FakeServer(silent) as fake:
            run, elapsed = run_against(fake, "--jobs", "8")
        self.assert_survived(run, elapsed)
        waited = {c["id"]: c["deadline_waits"] for c in self.judged(run)}
        self.assertTrue(waited)
        self.assertEqual([i for i, n in waited.items() if n == 0], [])

    def test_a_target_that_dies_after_a_destructive_case_is_named(self):
        # Connection 1 is the liveness probe, connection 2 the first destructive case; then the
        # fake stops listening, so the probe after that case finds nobody.
        with FakeServer(plain_400, max_accepts=2) as fake:
            run, elapsed = run_against(fake, "--jobs", "1", "--case", "ver.http09", "--case", "ver.h2-preface.cleartext")
        self.assert_survived(run, elapsed)
        self.assertEqual(run.code, 3)
        self.assertIn("after ver.http09", run.report["target_problem"])
        later = run.cases()["ver.h2-preface.cleartext"]
        self.assertEqual(later["verdict"], "error")
        self.assertIn("not judged", later["findings"][0]["message"])

    def test_an_interrupted_run_keeps_what_finished_and_writes_every_report(self):
        with FakeServer(silent) as fake, tempfile.TemporaryDirectory() as tmp:
            json_path, junit_path = os.path.join(tmp, "r.json"), os.path.join(tmp, "j.xml")
            proc = subprocess.Popen([harness.UPGRADESPEC, "--json", json_path, "--junit", junit_path,
                                     "--timeout", "30", "--jobs", "2", fake.url()],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                time.sleep(1.5)  # the probe was answered; the cases now wait on a silent server
                started = time.monotonic()
                proc.send_signal(signal.SIGINT)
                proc.communicate(timeout=30)
                stopped_in = time.monotonic() - started
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=5)
            self.assertEqual(proc.returncode, 130)
            # At once, not after the cases' 30 s deadlines: a hang bound, with room for slow builds.
            self.assertLess(stopped_in, 20)
            with open(json_path) as f:
                report = json.load(f)
            self.assertEqual(sum(c["deadline_waits"] for c in report["cases"]), 0)
            harness.validate_report(report)
            with open(junit_path, "rb") as f:
                harness.junit_testcases(f.read())
            self.assertTrue(report["interrupted"])
            reasons = [f["message"] for c in report["cases"] for f in c["findings"]]
            self.assertIn("not run: the run was interrupted", reasons)

    def test_more_interrupts_while_the_reports_are_written_change_nothing(self):
        """After the first SIGINT the run ends and writes its reports; a burst of further SIGINTs
        (an impatient user) must neither kill it nor leave a report half written."""
        with FakeServer(silent) as fake, tempfile.TemporaryDirectory() as tmp:
            paths = {kind: os.path.join(tmp, "r." + kind) for kind in ("json", "xml", "html", "md")}
            proc = subprocess.Popen([harness.UPGRADESPEC, "--json", paths["json"], "--junit",
                                     paths["xml"], "--html", paths["html"], "--markdown",
                                     paths["md"], "--timeout", "30", fake.url()],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                time.sleep(1.5)  # the cases now wait on a silent server
                for _ in range(5000):  # bounded: at most 5000 signals, 1 ms apart
                    if proc.poll() is not None:
                        break
                    proc.send_signal(signal.SIGINT)
                    time.sleep(0.001)
                proc.wait(timeout=30)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=5)
            self.assertEqual(proc.returncode, 130)
            with open(paths["json"]) as f:
                harness.validate_report(json.load(f))
            with open(paths["xml"], "rb") as f:
                harness.junit_testcases(f.read())
            with open(paths["html"]) as f:
                self.assertTrue(f.read().rstrip().endswith("</html>"))
            with open(paths["md"]) as f:
                self.assertIn("upgradespec", f.read())
            self.assertEqual(sorted(os.listdir(tmp)), sorted(os.path.basename(p) for p in paths.values()))

    def interrupt_at_once(self, *args):
        """Starts upgradespec, sends SIGINT as soon as it holds the signal (its first line), and
        returns (exit code, JSON report)."""
        proc = subprocess.Popen([harness.UPGRADESPEC, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            status = "/proc/%d/status" % proc.pid
            for _ in range(2000):  # bounded: 2000 x 1 ms
                with open(status) as f:
                    blocked = [l for l in f if l.startswith("SigBlk:")]
                if blocked and int(blocked[0].split()[1], 16) & (1 << (signal.SIGINT - 1)):
                    break
                time.sleep(0.001)
            else:
                self.fail("upgradespec never held SIGINT")
            proc.send_signal(signal.SIGINT)
            proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=5)
        return proc.returncode

    def test_an_interrupt_before_the_run_starts_still_writes_every_report(self):
        with FakeServer(silent) as fake, tempfile.TemporaryDirectory() as tmp:
            json_path, junit_path = os.path.join(tmp, "r.json"), os.path.join(tmp, "j.xml")
            code = self.interrupt_at_once("--json", json_path, "--junit", junit_path,
                                          "--timeout", "5", fake.url())
            self.assertEqual(code, 130)
            with open(json_path) as f:
                report = json.load(f)
            harness.validate_report(report)
            self.assertTrue(report["interrupted"])
            with open(junit_path, "rb") as f:
                harness.junit_testcases(f.read())

    def test_an_interrupt_before_a_multi_target_run_starts_still_writes_every_report(self):
        with FakeServer(silent) as one, FakeServer(silent) as two, \
                tempfile.TemporaryDirectory() as tmp:
            targets = os.path.join(tmp, "targets.json")
            with open(targets, "w") as f:
                json.dump({"targets": [{"name": "one", "url": one.url()},
                                       {"name": "two", "url": two.url()}]}, f)
            code = self.interrupt_at_once("--targets", targets, "--json",
                                          os.path.join(tmp, "r.json"), "--timeout", "5")
            self.assertEqual(code, 130)
            for name in ("one", "two"):
                with open(os.path.join(tmp, "r.%s.json" % name)) as f:
                    report = json.load(f)
                harness.validate_report(report)
                self.assertTrue(report["interrupted"])

    def test_a_target_silent_from_the_start_is_not_judged(self):
        with FakeServer(silent, probe=False) as fake:
            run, elapsed = run_against(fake)
        self.assert_survived(run, elapsed)
        self.assertEqual(run.code, 3)
        self.assertIn("did not answer a plain GET before the run", run.report["target_problem"])
        self.assertEqual({c["verdict"] for c in run.report["cases"]} - {"skip"}, {"error"})
        self.assertEqual(sum(c["deadline_waits"] for c in run.report["cases"]), 0)  # one probe, not 100 waits

    def test_silent_server_is_not_taken_for_one_that_closed(self):
        # A deadline is not a close: `"when": {"closed": true}` outcomes (a malformed request
        # "gets 400 or a close") must not pass against a server that just never answers.
        with FakeServer(silent) as fake:
            run, elapsed = run_against(fake, "--jobs", "8")
        self.assert_survived(run, elapsed)
        said_closed = {c["id"]: c["verdict"] for c in self.judged(run) if "connection closed" in c["observed"]}
        self.assertEqual(said_closed, {})

    def test_instant_close(self):
        with FakeServer(instant_close) as fake:
            run, elapsed = run_against(fake)
        self.assert_survived(run, elapsed)
        self.assertEqual([c["id"] for c in run.report["cases"] if received_bytes(c) > 0], [])
        unended = [c["id"] for c in self.judged(run) if c["verdict"] != "error"
                   and not {"eof", "reset"} & {e["direction"] for e in c["transcript"]}]
        self.assertEqual(unended, [])  # each case saw the close (a late RST is a reset)

    def test_reset(self):
        with FakeServer(reset) as fake:
            run, elapsed = run_against(fake)
        self.assert_survived(run, elapsed)
        events = {e["direction"] for c in run.report["cases"] for e in c["transcript"]}
        self.assertIn("reset", events)
        self.assertEqual([c["id"] for c in run.report["cases"] if received_bytes(c) > 0], [])

    def test_garbage_keeps_reports_well_formed(self):
        with FakeServer(send_garbage) as fake:
            run, elapsed = run_against(fake)
        self.assert_survived(run, elapsed)
        self.assertTrue(any(received_bytes(c) > 0 for c in run.report["cases"]))

    def test_flood_is_cut_at_the_read_limit(self):
        with FakeServer(flood) as fake:
            run, elapsed = run_against(fake, "--case", "ws.version.*", "--case", "upg.426.*")
        self.assert_survived(run, elapsed)
        # A 200 to a refused handshake is no answer the cases foresaw: check by hand, never a pass.
        versions = {i: c["verdict"] for i, c in run.cases().items() if i.startswith("ws.version.")}
        self.assertEqual(set(versions.values()) - {"skip"}, {"warn"}, versions)
        # The transcript keeps at most 64 KiB received per case and says where it stopped.
        sizes = {c["id"]: received_bytes(c) for c in self.judged(run)}
        self.assertEqual(set(sizes.values()), {64 << 10}, sizes)
        for case in self.judged(run):
            notes = [e["text"] for e in case["transcript"] if e["direction"] == "note"]
            self.assertTrue(any("not kept" in n for n in notes), notes)

    def test_trickle_is_ended_by_the_case_deadline(self):
        with FakeServer(trickle) as fake:
            run, elapsed = run_against(fake, "--jobs", "8")
        self.assert_survived(run, elapsed)
        waits = harness.deliberate_waits_ms()
        slow = {c["id"]: c["duration_ms"] for c in run.report["cases"]
                if c["duration_ms"] > CASE_BOUND_MS + waits[c["id"]] + SLACK_MS}
        self.assertEqual(slow, {})
        judged = self.judged(run)
        self.assertEqual([c["id"] for c in judged if c["deadline_waits"] == 0], [])
        # Cases run 8 at once, each within its bound; allow for dependency chains and start-up.
        batches = -(-len(judged) // 8) + 2
        longest_wait = max(waits.values())
        self.assertLess(elapsed, batches * (CASE_BOUND_MS + SLACK_MS) / 1000 + longest_wait / 1000 + 5)

    def test_101_liar(self):
        with FakeServer(liar_101) as fake:
            run, elapsed = run_against(fake)
        self.assert_survived(run, elapsed)
        self.assertIn("fail", {c["verdict"] for c in run.report["cases"]})

    def test_server_dying_mid_run(self):
        served = 5
        with FakeServer(plain_400, max_accepts=served) as fake:
            run, elapsed = run_against(fake, "--jobs", "1")
        self.assert_survived(run, elapsed)
        self.assertEqual(run.code, 3)
        judged = [c for c in run.report["cases"] if c["verdict"] != "skip"]
        answered = [c for c in judged if any(e["direction"] == "received" for e in c["transcript"])]
        lost = [c for c in judged if c["verdict"] == "error"
                and ("could not connect" in c["observed"] or c["observed"] == "not judged")]
        served_cases = served - 1  # the liveness probe before the run took the first connection
        self.assertEqual(len(answered), served_cases)
        odd = [(c["id"], c["observed"]) for c in judged if c not in answered and c not in lost]
        self.assertEqual(len(lost), len(judged) - served_cases, odd)
        self.assertRegex(run.report["target_problem"] or "", "could not be judged|could not be reached after")


if __name__ == "__main__":
    unittest.main()
