"""Hostile targets cannot bloat the runner: whatever a fake sends after a 101 (h2c or WebSocket),
in a response head or body, or in place of TLS, the run ends with exit 1 or 3, reports that
parse, and a peak resident memory under the stated bound: 64 MiB for one target with default
options, 256 MiB for 16 hostile targets at once. Memory is a count (getrusage of the child),
not a timing. Every fake runs in threads on 127.0.0.1 and stops when its test ends."""
import json
import os
import socket
import ssl
import struct
import subprocess
import tempfile
import unittest

import harness
from test_hostile import (OK, TIMEOUT, FakeServer, garbage, read_request, wait_for_close,
                          websocket_then)

ONE_TARGET_MIB = 64
SIXTEEN_TARGETS_MIB = 256
SEND_LIMIT = 256 << 20  # a fake stops after this much per connection, if the runner still reads


def h2_frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload


DATA, HEADERS, SETTINGS, PING, CONTINUATION = 0x0, 0x1, 0x4, 0x6, 0x9
END_STREAM, END_HEADERS = 0x1, 0x4
# HPACK: a literal field with incremental indexing ("x-big": 4000 bytes, which with its overhead
# fits the default 4096-byte table), dynamic entry 62 afterwards; each 0xbe byte re-emits it: one
# byte in, 4 KB out (RFC 7541 4.1, 6.1, 6.2.1).
BIG_ENTRY = b"\x40\x05x-big\x7f\xa1\x1e" + b"a" * 4000
AMPLIFY = b"\xbe" * 12000  # with BIG_ENTRY, within the 16 KiB frame size


def pump(conn, stop, chunks):
    """Sends each chunk of the iterable until SEND_LIMIT, the client going away or the test end."""
    conn.settimeout(5)  # a client that stops reading without closing must not hold us forever
    sent = 0
    for chunk in chunks:
        if sent >= SEND_LIMIT or stop.is_set():
            return
        conn.sendall(chunk)
        sent += len(chunk)


def forever(chunk):
    while True:
        yield chunk


def h2c_then(after_switch):
    """Answers an h2c upgrade with a 101 and the server preface, then `after_switch(conn, stop)`;
    a WebSocket handshake or a plain request gets a plain 200."""
    def handler(conn, stop):
        request = read_request(conn)
        if b"h2c" not in request.lower():
            conn.sendall(OK)
            return
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
                     + h2_frame(SETTINGS, 0, 0))
        after_switch(conn, stop)
    return handler


def hpack_bomb(conn, stop):
    """Complete header blocks, each of 12000 one-byte references to a 4 KB entry (48 MB each)."""
    conn.sendall(h2_frame(HEADERS, END_HEADERS, 1, BIG_ENTRY + AMPLIFY))
    pump(conn, stop, forever(h2_frame(HEADERS, END_HEADERS, 1, AMPLIFY)))


def continuation_flood(conn, stop):
    """A header block that never ends: CONTINUATION frames of amplifying references forever."""
    conn.sendall(h2_frame(HEADERS, 0, 1, BIG_ENTRY))
    pump(conn, stop, forever(h2_frame(CONTINUATION, 0, 1, AMPLIFY)))


def data_flood(conn, stop):
    """`:status 200`, then DATA on stream 1 forever, flow control ignored."""
    conn.sendall(h2_frame(HEADERS, END_HEADERS, 1, b"\x88"))
    pump(conn, stop, forever(h2_frame(DATA, 0, 1, b"d" * 16384)))


def settings_flood(conn, stop):
    pump(conn, stop, forever(h2_frame(SETTINGS, 0, 0) * 1000))


def ping_flood(conn, stop):
    pump(conn, stop, forever(h2_frame(PING, 0, 0, b"12345678") * 1000))


def zero_window(conn, stop):
    """SETTINGS_INITIAL_WINDOW_SIZE 0 (RFC 9113 6.5.2): the client may send no DATA at all."""
    conn.sendall(h2_frame(SETTINGS, 0, 0, struct.pack(">HI", 0x4, 0)) +
                 h2_frame(HEADERS, END_HEADERS | END_STREAM, 1, b"\x88"))
    wait_for_close(conn, stop, seconds=10)


def one_byte_per_second(conn, stop):
    for byte in b"\x00\x00\x04\x08\x00\x00\x00\x00\x00" * 100:
        if stop.wait(1):
            return
        conn.sendall(bytes([byte]))


def reset_now(conn, stop):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def megabyte_frames(conn, stop):
    """Binary frames of 1 MiB forever (server frames are unmasked; 127: a 64-bit length)."""
    frame = b"\x82\x7f" + struct.pack(">Q", 1 << 20) + b"b" * (1 << 20)
    pump(conn, stop, forever(frame))


def small_frames(conn, stop):
    """Binary frames of 60 KiB forever: each fits in a read, so they pile up as frames."""
    frame = b"\x82\x7e" + struct.pack(">H", 60000) + b"b" * 60000
    pump(conn, stop, forever(frame))


def endless_head(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    pump(conn, stop, forever(b"X-Line: " + b"x" * 100 + b"\r\n"))


def gigabyte_body(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\n\r\n")
    pump(conn, stop, forever(b"b" * 65536))  # SEND_LIMIT stops it at 256 MiB


def tls_garbage(conn, stop):
    read_request(conn)
    conn.sendall(garbage(8192, seed=conn.fileno()))


class TlsThenGarbage:
    """A real TLS ServerHello record (Python's ssl on memory BIOs), then garbage records."""

    def __init__(self, certificate, key):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(certificate, key)

    def __call__(self, conn, stop):
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self.context.wrap_bio(incoming, outgoing, server_side=True)
        conn.settimeout(2)
        incoming.write(conn.recv(65536))
        try:
            tls.do_handshake()
        except ssl.SSLWantReadError:
            pass
        flight = outgoing.read()
        hello = flight[:5 + int.from_bytes(flight[3:5], "big")]  # the first record: ServerHello
        conn.sendall(hello + b"\x16\x03\x03\x40\x00" + garbage(16384, seed=conn.fileno()))
        wait_for_close(conn, stop, seconds=5)


# mode: (handler, the cases it aims at, the URL scheme)
H2C = ("--case", "h2c.*", "--claim", "h2c")
WEBSOCKET = ("--case", "ws.*", "--case", "wsf.*", "--echo")
MODES = {
    "hpack-amplification": (h2c_then(hpack_bomb), H2C),
    "continuation-flood": (h2c_then(continuation_flood), H2C),
    "h2-data-flood": (h2c_then(data_flood), H2C),
    "settings-flood": (h2c_then(settings_flood), H2C),
    "ping-flood": (h2c_then(ping_flood), H2C),
    "zero-window": (h2c_then(zero_window), H2C),
    "h2c-one-byte-per-second": (h2c_then(one_byte_per_second), H2C),
    "reset-after-h2c-101": (h2c_then(reset_now), H2C),
    "websocket-1mib-frames": (websocket_then(megabyte_frames), WEBSOCKET),
    "websocket-60kib-frames": (websocket_then(small_frames), WEBSOCKET),
    "websocket-one-byte-per-second": (websocket_then(one_byte_per_second), WEBSOCKET),
    "reset-after-websocket-101": (websocket_then(reset_now), WEBSOCKET),
    "endless-head": (endless_head, ("--case", "upg.*")),
    "gigabyte-body": (gigabyte_body, ("--case", "upg.*", "--case", "ver.*")),
}


class Memory(unittest.TestCase):
    def assert_bounded(self, run, bound_mib):
        detail = run.stdout[-1500:] + run.stderr[-1500:]
        self.assertIn(run.code, (1, 3), detail)
        self.assertIsNotNone(run.report, "no JSON report\n" + detail)
        harness.validate_report(run.report)
        self.assertIsNotNone(run.junit, "no JUnit report\n" + detail)
        if not harness.SANITIZED:
            self.assertLess(run.peak_rss_mib, bound_mib)

    def run_mode(self, name):
        handler, cases = MODES[name]
        with FakeServer(handler) as fake:
            run = harness.run_cli(fake.url(), "--timeout", str(TIMEOUT), *cases, timeout=300)
        with self.subTest(mode=name, peak_rss_mib=round(run.peak_rss_mib, 1)):
            self.assert_bounded(run, ONE_TARGET_MIB)
        return run

    def test_each_hostile_mode_stays_under_64_mib(self):
        for name in MODES:
            self.run_mode(name)

    def test_a_flood_ends_the_case_as_not_judged_with_what_arrived(self):
        """A cap hit ends the case at once: an error naming the flood, a marked cut, and the
        other cases still run."""
        floods = {"hpack-amplification": "the decoded header list is over 64 KiB",
                  "continuation-flood": "a header block over 256 KiB",
                  "h2-data-flood": "more than 1 MiB of frames after the switch",
                  # unread or kept, as the reads happen to cut the frame: both are the 1 MiB cap
                  "websocket-1mib-frames": "more than 1 MiB",
                  "websocket-60kib-frames": "more than 1 MiB of frames after the switch"}
        for name, what in floods.items():
            run = self.run_mode(name)
            flooded = [c for c in run.report["cases"]
                       if any("flooded the connection: " + what in f["message"]
                              for f in c["findings"])]
            self.assertTrue(flooded, name)
            for case in flooded:
                self.assertEqual(case["verdict"], "error", (name, case["id"]))
                notes = [e["text"] for e in case["transcript"] if e["direction"] == "note"]
                self.assertTrue(any(n.startswith("cut here: ") for n in notes), (name, notes))
                self.assertIn("received", case["findings"][0]["message"])
            self.assertGreater(len(run.report["cases"]), len(flooded), name)

    def test_tls_garbage_before_and_after_the_server_hello(self):
        with tempfile.TemporaryDirectory() as tmp:
            certificate, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", certificate],
                           check=True, capture_output=True, timeout=60)
            for handler in (tls_garbage, TlsThenGarbage(certificate, key)):
                with FakeServer(handler, probe=False) as fake:
                    run = harness.run_cli(fake.url(path="/ws").replace("ws://", "wss://"),
                                          "--timeout", str(TIMEOUT), "--insecure", timeout=120)
                self.assert_bounded(run, ONE_TARGET_MIB)
                self.assertEqual(run.code, 3)

    def test_sixteen_hostile_targets_at_once_stay_under_256_mib(self):
        names = list(MODES)
        fakes = [FakeServer(MODES[names[i % len(names)]][0]) for i in range(16)]
        with tempfile.TemporaryDirectory() as tmp:
            try:
                for fake in fakes:
                    fake.__enter__()
                targets = os.path.join(tmp, "targets.json")
                with open(targets, "w") as f:
                    json.dump({"targets": [{"name": "t%d" % i, "url": fake.url()}
                                           for i, fake in enumerate(fakes)]}, f)
                reports = os.path.join(tmp, "r.json")
                code, stdout, stderr, rss = harness.run_measured(
                    [harness.UPGRADESPEC, "--targets", targets, "--json", reports, "--timeout",
                     str(TIMEOUT), "--claim", "h2c", "--echo", "--case", "h2c.*", "--case", "ws*",
                     "--case", "upg.*"], timeout=600)
            finally:
                for fake in fakes:
                    fake.__exit__(None, None, None)
            self.assertIn(code, (1, 3), stdout[-1500:] + stderr[-1500:])
            for i in range(16):
                with open(os.path.join(tmp, "r.t%d.json" % i)) as f:
                    harness.validate_report(json.load(f))
            if not harness.SANITIZED:
                self.assertLess(rss, SIXTEEN_TARGETS_MIB)


if __name__ == "__main__":
    unittest.main()
