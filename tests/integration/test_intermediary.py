"""The intermediary family: the runner plays both ends around refserver --proxy-to, the client
and (--backend) the origin. Every prx case passes against the conforming proxy and is broken by
the defect of its requirement (the mutation proof); both legs of a case are in every report; a
proxy that forwards nowhere near the backend is a set-up problem, not a wall of failures."""
import socket
import threading
import time
import unittest

import harness

FAMILY = "intermediary"


def through_proxy(*defects, args=(), proxy_to=None):
    """A run against refserver --proxy-to the runner's backend (or `proxy_to` instead)."""
    backend = "127.0.0.1:%d" % harness.closed_port()
    options = ("--proxy-to", proxy_to or backend)
    with harness.RefServer(*defects, options=options) as proxy:
        return harness.run_cli("--strict", "--timeout", "1", "--backend", backend, *args,
                               proxy.url())


def family(run):
    return {cid: case for cid, case in run.cases().items() if case["family"] == FAMILY}


class IntermediaryMutation(harness.MutationChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.defects = [d for d in harness.list_defects() if harness.is_prx_defect(d[0])]
        cls.baseline = through_proxy()
        cls.runs = harness.run_each_defect(cls.defects, lambda name: through_proxy(name))
        cls.proven = set(family(cls.baseline))

    def test_there_are_proxy_defects(self):
        self.assertGreaterEqual(len(self.defects), 8)

    def test_the_conforming_proxy_passes_every_case(self):
        self.assertEqual(self.baseline.code, 0, self.baseline.stdout[-3000:])
        verdicts = {cid: case["verdict"] for cid, case in family(self.baseline).items()}
        self.assertGreaterEqual(len(verdicts), 15)
        self.assertEqual({cid for cid, v in verdicts.items() if v != "pass"}, set(), verdicts)

    def test_the_other_families_are_skipped_behind_a_proxy(self):
        others = [case for case in self.baseline.report["cases"] if case["family"] != FAMILY]
        self.assertTrue(others)
        for case in others:
            self.assertEqual(case["verdict"], "skip", case["id"])
            self.assertIn("proxy in front of the runner's backend", case["observed"] +
                          " ".join(f["message"] for f in case["findings"]))

    def test_security_cases_are_tagged(self):
        security = {cid for cid, case in family(self.baseline).items() if "security" in case["tags"]}
        for cid in ("prx.tunnel.after-426", "prx.h2c.not-tunnelled", "prx.unasked-101",
                    "prx.tunnel.before-101"):
            self.assertIn(cid, security)

    def test_both_legs_are_in_the_transcript_in_time_order(self):
        case = self.baseline.cases()["prx.tunnel.frames-both-ways"]
        events = case["transcript"]
        legs = [(e.get("leg", "client"), e["direction"]) for e in events]
        # The client's handshake, the backend's view of it and its 101, the frame each way.
        for needed in [("client", "sent"), ("backend", "received"), ("backend", "sent"),
                       ("client", "received")]:
            self.assertIn(needed, legs)
        offsets = [e["offset_ms"] for e in events]
        self.assertEqual(offsets, sorted(offsets))
        backend_bytes = b"".join(harness.event_bytes(e) for e in events
                                 if e.get("leg") == "backend" and e["direction"] == "received")
        self.assertIn(b"Upgradespec-Case: ", backend_bytes)  # the forwarded request
        self.assertIn(b"\x81", backend_bytes)  # the client's text frame, masked by the proxy's peer
        junit = self.baseline.junit.decode()
        self.assertIn("backend &lt;&lt;&lt; GET", junit.replace("<<<", "&lt;&lt;&lt;"))
        self.assertIn("client  &gt;&gt;&gt; GET", junit.replace(">>>", "&gt;&gt;&gt;"))

    def test_a_smuggled_byte_is_shown_where_it_arrived(self):
        run = self.runs["prx-tunnel-after-non-101"]
        case = run.cases()["prx.tunnel.after-426"]
        arrived = b"".join(harness.event_bytes(e) for e in case["transcript"]
                           if e.get("leg") == "backend" and e["direction"] == "received")
        self.assertIn(b"X-Upgradespec-Smuggled : ", arrived)
        self.assertIn("smuggling", case["findings"][0]["message"])


class FloodingProxy:
    """A hostile proxy: it floods the runner's backend from 40 connections (endless heads, bodies
    far over their bound, a request every few bytes) and answers each client 502 only after a
    while, so the flood lands while the run waits."""

    def __init__(self, backend_port):
        self.backend_port = backend_port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.threads = []
        self.sent = 0  # bytes the floods got into the backend's connections
        self.lock = threading.Lock()

    def __enter__(self):
        self._start(self._accept)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=10)
        self.sock.close()

    def _start(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self.threads.append(thread)

    def _accept(self):
        deadline = time.monotonic() + 60
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                client, _ = self.sock.accept()
            except socket.timeout:
                continue
            self._start(self._answer, client)
            for flood in range(40):
                self._start(self._flood, flood % 3)

    def _answer(self, client):
        with client:
            client.settimeout(5)
            try:
                client.recv(65536)
                self.stop.wait(1.5)
                client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass

    def _flood(self, kind):
        chunks = [b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 65536,  # a head that never ends
                  b"POST / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n" + b"b" * 65536,
                  b"GET / HTTP/1.1\r\n\r\n" * 3000]  # requests faster than answers are read
        deadline = time.monotonic() + 3
        try:
            with socket.create_connection(("127.0.0.1", self.backend_port), timeout=2) as s:
                while not self.stop.is_set() and time.monotonic() < deadline:
                    s.sendall(chunks[kind])
                    with self.lock:
                        self.sent += len(chunks[kind])
        except OSError:
            pass  # the backend closed it: that is its bound


class Hostile(unittest.TestCase):
    def test_a_flooding_proxy_cannot_bloat_the_runner(self):
        port = harness.closed_port()
        with FloodingProxy(port) as proxy:
            run = harness.run_cli("--timeout", "1", "--backend", "127.0.0.1:%d" % port,
                                  "ws://127.0.0.1:%d/ws" % proxy.port)
        self.assertGreater(proxy.sent, 4 << 20)  # the flood did land
        self.assertIn(run.code, (1, 3), run.stdout[-2000:] + run.stderr)
        self.assertIsNotNone(run.report)
        if not harness.SANITIZED:
            self.assertLess(run.peak_rss_mib, 64)


class SetUp(unittest.TestCase):
    def test_without_a_backend_the_family_is_skipped_with_the_reason(self):
        with harness.RefServer() as server:
            run = harness.run_cli("--case", "prx.*", server.url())
        self.assertEqual(run.code, 4)  # nothing judged
        for case in family(run).values():
            self.assertEqual(case["verdict"], "skip")
            self.assertIn("--backend HOST:PORT", case["observed"] +
                          " ".join(f["message"] for f in case["findings"]))

    def test_a_proxy_forwarding_elsewhere_is_a_set_up_problem(self):
        nowhere = "127.0.0.1:%d" % harness.closed_port()
        run = through_proxy(proxy_to=nowhere)
        self.assertEqual(run.code, 3, run.stdout[-2000:])
        self.assertIn("is the proxy forwarding to 127.0.0.1:", run.report["target_problem"])
        self.assertIn("502", run.report["target_problem"])  # what the proxy answered instead
        self.assertEqual({c["verdict"] for c in family(run).values()}, {"error"})

    def test_a_backend_port_in_use_is_named(self):
        with socket.socket() as taken, harness.RefServer() as server:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            port = taken.getsockname()[1]
            run = harness.run_cli("--backend", "127.0.0.1:%d" % port, server.url())
        self.assertEqual(run.code, 3)
        self.assertIn("could not listen on 127.0.0.1:%d (--backend)" % port,
                      run.report["target_problem"])

    def test_a_malformed_backend_is_a_usage_error(self):
        for value in ("nonsense", "127.0.0.1:0", "127.0.0.1:70000", ":80"):
            with self.subTest(value=value):
                run = harness.run_cli("--backend", value, "ws://127.0.0.1:1/ws")
                self.assertEqual(run.code, 2)
                self.assertIn("--backend", run.stderr)


if __name__ == "__main__":
    unittest.main()
