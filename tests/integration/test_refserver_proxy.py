"""refserver --proxy-to against a scripted backend: the conforming reverse proxy (RFC 9110 7.6.1,
7.8, 9.3.6, 15.2, 15.5.22) and, for each prx- defect, the behaviour that breaks its requirement.

The backend is a few threads on 127.0.0.1 that serve each connection the proxy opens by a script;
the client is a plain socket. Every wait is bounded, every thread ends with its test, refserver
is stopped by its PID."""
import base64
import concurrent.futures
import hashlib
import socket
import struct
import subprocess
import threading
import time
import types
import unittest

import harness

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
CLIENT_KEY = "dGhlIHNhbXBsZSBub25jZQ=="
SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
WAIT = 5  # seconds: the bound of every wait for something that should happen
QUIET = 1.5  # seconds: how long "nothing happens" is watched


def accept_for(key):
    return base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()


def client_frame(payload, opcode=0x1, mask=b"\x37\xfa\x21\x3d"):
    """A masked client frame (RFC 6455 5.2), payload < 126 bytes."""
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


def server_frame(payload, opcode=0x1):
    return bytes([0x80 | opcode, len(payload)]) + payload


def split_head(data):
    """(head lines without the request or status line, first line) of a head."""
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return lines[0], lines[1:]


class Message:
    """A parsed head (and its content) as one side received it."""

    def __init__(self, head, body=b""):
        self.raw_head = head
        self.first_line, self.lines = split_head(head)
        self.body = body
        self.fields = [tuple(part.strip() for part in line.split(":", 1)) for line in self.lines]

    @property
    def status(self):
        return int(self.first_line.split(" ")[1])

    def get(self, name):
        """The values of every line named `name`, joined with ', '; None when there is none."""
        values = [v for n, v in self.fields if n.lower() == name.lower()]
        return ", ".join(values) if values else None

    def tokens(self, name):
        return [t.strip().lower() for t in (self.get(name) or "").split(",") if t.strip()]


class Peer:
    """A socket with a receive buffer and bounded reads."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""
        self.eof = False

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, deadline):
        """One read before `deadline`; False when none came (timeout or EOF)."""
        remaining = deadline - time.monotonic()
        if remaining <= 0 or self.eof:
            return False
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionError:
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def read_head(self, seconds=WAIT):
        """The next head, or None when it does not come whole in time."""
        deadline = time.monotonic() + seconds
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill(deadline):
                return None
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        return head + b"\r\n\r\n"

    def read_exact(self, n, seconds=WAIT):
        deadline = time.monotonic() + seconds
        while len(self.buffer) < n:
            if not self._fill(deadline):
                break
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_message(self, seconds=WAIT):
        """A head and its Content-Length content; None when no head came."""
        head = self.read_head(seconds)
        if head is None:
            return None
        message = Message(head)
        length = message.get("Content-Length")
        interim = message.first_line.startswith("HTTP/") and message.status < 200
        if length and not interim:
            message.body = self.read_exact(int(length), seconds)
        return message

    def closed_within(self, seconds):
        """True when the peer closes (EOF or reset) within `seconds`; what it sends first is kept
        in the buffer."""
        deadline = time.monotonic() + seconds
        while not self.eof:
            if not self._fill(deadline) and not self.eof:
                return False
        return True

    def close(self):
        self.sock.close()


class BackendConnection(Peer):
    """One connection the proxy opened to the backend, as its script sees it."""

    def __init__(self, sock):
        super().__init__(sock)
        self.request = None
        self.hang_up = threading.Event()  # the test asks the script to close
        self.saw_eof = threading.Event()  # the proxy closed this connection
        self.received = b""  # what echo_until_closed read (a test may look before it starts)

    def read_request(self):
        self.request = self.read_message()
        return self.request

    def echo_until_closed(self, seconds=10):
        """Sends back what arrives, until EOF, hang_up or `seconds`; everything stays recorded in
        `received`."""
        self.received += self.buffer
        if self.buffer:
            self.send(self.buffer)
        self.buffer = b""
        deadline = time.monotonic() + seconds
        while not self.hang_up.is_set() and time.monotonic() < deadline:
            if self._fill(min(deadline, time.monotonic() + 0.05)):
                self.received += self.buffer
                self.send(self.buffer)
                self.buffer = b""
            elif self.eof:
                self.saw_eof.set()
                return


class Backend:
    """The scripted backend on a free loopback port. `scripts[i]` serves the i-th connection (the
    last one serves any further ones)."""

    def __init__(self, *scripts):
        self.scripts = scripts
        self.connections = []

    def __enter__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.threads = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()
        return self

    def _accept(self):
        for _ in range(int(60 / 0.1)):  # a test is over long before
            if self.stop.is_set():
                return
            try:
                sock, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            conn = BackendConnection(sock)
            script = self.scripts[min(len(self.connections), len(self.scripts) - 1)]
            self.connections.append(conn)
            thread = threading.Thread(target=self._serve, args=(script, conn), daemon=True)
            thread.start()
            self.threads.append(thread)

    @staticmethod
    def _serve(script, conn):
        try:
            script(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def connection(self, i=0, seconds=WAIT):
        """The i-th connection, once its script has read the request."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(self.connections) > i and self.connections[i].request is not None:
                return self.connections[i]
            time.sleep(0.02)
        raise AssertionError("the backend got no request %d" % i)

    def __exit__(self, *exc):
        self.stop.set()
        for conn in self.connections:
            conn.hang_up.set()
        self.acceptor.join(timeout=5)
        for thread in self.threads:
            thread.join(timeout=15)
        self.listener.close()


# Backend scripts: each serves one connection.

def answer(response):
    def script(conn):
        conn.read_request()
        conn.send(response)
    return script


def switch(extra=b"", upgrade="websocket", accept=True):
    """A 101 (with the accept for the key received), `extra` right after it, then an echo."""
    def script(conn):
        request = conn.read_request()
        head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: %s\r\nConnection: Upgrade\r\n" % upgrade
        key = request.get("Sec-WebSocket-Key") if request else None
        if accept and key:
            head += "Sec-WebSocket-Accept: %s\r\n" % accept_for(key)
        conn.send(head.encode() + b"\r\n" + extra)
        conn.echo_until_closed()
    return script


def decline_then_listen(response):
    """A final answer to an upgrade, then whatever arrives on the connection is recorded."""
    def script(conn):
        conn.read_request()
        conn.send(response)
        conn.echo_until_closed(seconds=QUIET + 1)
    return script


def close_silently(conn):
    conn.read_request()


def reset_at_once(conn):
    """Closes before reading: the kernel sends a reset for the unread request."""
    time.sleep(0.1)
    conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def send_garbage(conn):
    conn.read_request()
    conn.send(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")


def ok(body=b"fine", extra=b""):
    return (b"HTTP/1.1 200 OK\r\n" + extra + b"Content-Length: %d\r\n\r\n" % len(body)) + body


UPGRADE_REQUIRED = (b"HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    b"Sec-WebSocket-Version: 13\r\nContent-Length: 14\r\n\r\nUse WebSocket\n")


def ws_request(version="HTTP/1.1", key=CLIENT_KEY, case="prx.ws", path="/chat"):
    return ("GET %s %s\r\nHost: backend.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nUpgradespec-Case: %s\r\n\r\n"
            % (path, version, key, case)).encode()


H2C_REQUEST = (b"GET / HTTP/1.1\r\nHost: backend.example\r\nConnection: Upgrade, HTTP2-Settings\r\n"
               b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n"
               b"Upgradespec-Case: prx.h2c\r\n\r\n")

PLAIN_REQUEST = b"GET /plain HTTP/1.1\r\nHost: backend.example\r\nUpgradespec-Case: prx.plain\r\n\r\n"

HOP_REQUEST = (b"GET /hop HTTP/1.1\r\nHost: backend.example\r\n"
               b"Connection: X-Private\r\nX-Private: secret\r\nKeep-Alive: timeout=5\r\n"
               b"Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgradespec-Case: prx.hop\r\n"
               b"Accept: */*\r\n\r\n")


# Defects added to every Proxy started by this thread: the conforming tests run against each
# defect to show that they catch it (ConformingTestsCatchEachDefect).
injected = threading.local()


class Proxy:
    """refserver --proxy-to the backend (with defects), and client connections to it."""

    def __init__(self, backend, *defects):
        defects += getattr(injected, "defects", ())
        self.server = harness.RefServer(*defects,
                                         options=("--proxy-to", "127.0.0.1:%d" % backend.port))

    def __enter__(self):
        self.server.__enter__()
        self.clients = []
        return self

    def connect(self):
        host, port = self.server.address.rsplit(":", 1)
        client = Peer(socket.create_connection((host, int(port)), timeout=WAIT))
        self.clients.append(client)
        return client

    def __exit__(self, *exc):
        for client in self.clients:
            client.close()
        self.server.stop()


def exchange(request, *scripts, defects=(), closes=True):
    """One request through the proxy: (the backend's view of it, the client's answer, whether
    the proxy closed the client connection). `closes`: what the test expects, so that the wait
    is short when the conforming proxy keeps the connection."""
    with Backend(*scripts) as backend, Proxy(backend, *defects) as proxy:
        client = proxy.connect()
        client.send(request)
        response = client.read_message()
        closed = client.closed_within(WAIT if closes else 0.3)
        return backend.connection(0).request, response, closed


WELCOME = server_frame(b"welcome")
EARLY = client_frame(b"early")


def websocket_session(*defects):
    """A WebSocket upgrade through the proxy, with an early frame each way: (backend, proxy,
    client, the 101, the bytes the client got right after it). The caller calls tear_down."""
    backend = Backend(switch(extra=WELCOME)).__enter__()
    try:
        proxy = Proxy(backend, *defects).__enter__()
    except Exception:
        backend.__exit__(None, None, None)
        raise
    client = proxy.connect()
    client.send(ws_request() + EARLY)
    response = client.read_message()
    first = client.read_exact(len(WELCOME)) if response and response.status == 101 else b""
    return backend, proxy, client, response, first


def tear_down(backend, proxy):
    proxy.__exit__(None, None, None)
    backend.__exit__(None, None, None)


class ConformingProxy(unittest.TestCase):
    """Points 1-7 of the proxy's behaviour, against refserver --proxy-to without defects."""

    def test_hop_by_hop_fields_are_removed_and_the_others_kept_in_order(self):
        request, response, _ = exchange(HOP_REQUEST, answer(ok()), closes=False)
        self.assertEqual(request.first_line, "GET /hop HTTP/1.1")
        # The proxy's own Connection (and Upgrade) fields are another test's.
        own = ("Connection:", "Upgrade:")
        self.assertEqual([line for line in request.lines if not line.startswith(own)],
                         ["Host: backend.example", "Upgradespec-Case: prx.hop", "Accept: */*"])
        self.assertEqual(response.status, 200)

    def test_a_follow_up_request_goes_on_a_new_backend_connection_cleaned_the_same_way(self):
        with Backend(answer(ok(b"one")), answer(ok(b"two"))) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(HOP_REQUEST)
            first = client.read_message()
            client.send(HOP_REQUEST.replace(b"/hop", b"/again"))
            second = client.read_message()
            self.assertEqual((first.status, first.body, second.status, second.body),
                             (200, b"one", 200, b"two"))
            self.assertEqual(len(backend.connections), 2)
            again = backend.connection(1).request
            self.assertEqual(again.first_line, "GET /again HTTP/1.1")
            self.assertIsNone(again.get("X-Private"))
            self.assertFalse(client.closed_within(0.3))

    def test_the_answer_loses_its_hop_by_hop_fields_and_is_framed_by_content_length(self):
        chunked = (b"HTTP/1.1 200 OK\r\nConnection: close, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 1\r\n"
                   b"Set-Cookie: a=1\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        _, response, closed = exchange(PLAIN_REQUEST, answer(chunked), closes=False)
        self.assertEqual(response.lines, ["Set-Cookie: a=1", "Content-Length: 11"])
        self.assertEqual(response.body, b"hello world")
        self.assertFalse(closed)

    def test_content_is_forwarded_with_content_length(self):
        request = (b"POST /submit HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n"
                   b"4\r\nwiki\r\n0\r\n\r\n")
        forwarded, response, _ = exchange(request, answer(ok()), closes=False)
        self.assertEqual(forwarded.get("Content-Length"), "4")
        self.assertIsNone(forwarded.get("Transfer-Encoding"))
        self.assertEqual(forwarded.body, b"wiki")
        self.assertEqual(response.status, 200)

    def test_no_upgrade_is_added_to_a_plain_request(self):
        forwarded, _, _ = exchange(PLAIN_REQUEST, answer(ok()), closes=False)
        self.assertIsNone(forwarded.get("Upgrade"))
        self.assertEqual(forwarded.tokens("Connection"), ["close"])

    # The HTTP/1.0 and h2c upgrades are judged by what would break them: the upgrade carried
    # out, forwarded and its 101 relayed. A forwarded Upgrade alone is the add-upgrade test's, a
    # relayed 101 alone the unasked-101 test's.
    def test_an_http10_upgrade_is_not_carried_out(self):
        forwarded, response, _ = exchange(ws_request("HTTP/1.0"), switch(), closes=False)
        self.assertEqual(forwarded.first_line, "GET /chat HTTP/1.1")
        self.assertEqual(forwarded.get("Sec-WebSocket-Key"), CLIENT_KEY)
        carried_out = "websocket" in forwarded.tokens("Upgrade") and response.status == 101
        self.assertFalse(carried_out, response.raw_head)

    def test_h2c_is_not_carried_out(self):
        forwarded, response, _ = exchange(H2C_REQUEST, switch(upgrade="h2c"), closes=False)
        self.assertIsNone(forwarded.get("HTTP2-Settings"))
        self.assertEqual(forwarded.get("Upgradespec-Case"), "prx.h2c")
        carried_out = "h2c" in forwarded.tokens("Upgrade") and response.status == 101
        self.assertFalse(carried_out, response.raw_head)

    def test_a_426_keeps_its_upgrade(self):
        # Whether the connection then goes on is the declined-upgrade tests'.
        forwarded, response, _ = exchange(ws_request(), answer(UPGRADE_REQUIRED), closes=False)
        self.assertEqual(forwarded.get("Upgrade"), "websocket")
        self.assertEqual(response.status, 426)
        self.assertEqual(response.get("Upgrade"), "websocket")
        self.assertIn("upgrade", response.tokens("Connection"))
        self.assertEqual(response.get("Sec-WebSocket-Version"), "13")
        self.assertEqual(response.body, b"Use WebSocket\n")

    def test_the_websocket_upgrade_is_forwarded_and_its_101_relayed_intact(self):
        backend, proxy, client, response, first = websocket_session()
        try:
            forwarded = backend.connection(0).request
            self.assertEqual(forwarded.lines, [
                "Host: backend.example", "Sec-WebSocket-Key: " + CLIENT_KEY,
                "Sec-WebSocket-Version: 13", "Upgradespec-Case: prx.ws", "Upgrade: websocket",
                "Connection: Upgrade"])
            self.assertEqual(response.first_line, "HTTP/1.1 101 Switching Protocols")
            self.assertEqual(response.get("Sec-WebSocket-Accept"), SAMPLE_ACCEPT)
            self.assertEqual(response.get("Upgrade"), "websocket")
            self.assertEqual(response.tokens("Connection"), ["upgrade"])
        finally:
            tear_down(backend, proxy)

    def test_frames_are_tunnelled_both_ways(self):
        backend, proxy, client, response, first = websocket_session()
        try:
            self.assertEqual(response.status, 101)
            self.assertEqual(first, WELCOME)  # sent by the backend right after its 101
            frame = client_frame(b"ping me")
            client.send(frame)
            # The early frame (sent right after the request) and this one, through the echo.
            self.assertEqual(client.read_exact(len(EARLY + frame)), EARLY + frame)
            self.assertEqual(backend.connection(0).received, EARLY + frame)
        finally:
            tear_down(backend, proxy)

    def test_the_backend_closing_closes_the_client(self):
        backend, proxy, client, response, _ = websocket_session()
        try:
            self.assertEqual(response.status, 101)
            backend.connection(0).hang_up.set()
            self.assertTrue(client.closed_within(3))
        finally:
            tear_down(backend, proxy)

    def test_the_client_closing_closes_the_backend(self):
        backend, proxy, client, response, _ = websocket_session()
        try:
            self.assertEqual(response.status, 101)
            client.sock.shutdown(socket.SHUT_WR)
            self.assertTrue(backend.connection(0).saw_eof.wait(3))
            self.assertTrue(client.closed_within(3))
        finally:
            tear_down(backend, proxy)

    def test_after_a_declined_upgrade_the_next_bytes_are_http(self):
        with Backend(decline_then_listen(UPGRADE_REQUIRED)) as backend, \
                Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(ws_request())
            self.assertEqual(client.read_message().status, 426)
            client.send(client_frame(b"smuggled"))
            refusal = client.read_message()
            self.assertEqual(refusal.status, 400)
            self.assertEqual(refusal.tokens("Connection"), ["close"])
            self.assertTrue(refusal.body)
            self.assertTrue(client.closed_within(WAIT))
            conn = backend.connection(0)
            self.assertTrue(conn.saw_eof.wait(WAIT))
            self.assertEqual(conn.received, b"")
            self.assertEqual(len(backend.connections), 1)

    def test_bytes_after_an_upgrade_wait_for_the_answer(self):
        early = b"bytes before any answer\r\n\r\n"
        with Backend(silent) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(ws_request() + early)  # in one write: the proxy holds them both
            conn = backend.connection(0)
            time.sleep(QUIET)
            self.assertEqual(conn.received, b"")  # the backend has not answered: no tunnel

    def test_after_a_declined_upgrade_a_request_is_forwarded_anew(self):
        with Backend(answer(UPGRADE_REQUIRED), answer(ok())) as backend, \
                Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(ws_request())
            self.assertEqual(client.read_message().status, 426)
            client.send(PLAIN_REQUEST)
            self.assertEqual(client.read_message().status, 200)
            self.assertEqual(backend.connection(1).request.first_line, "GET /plain HTTP/1.1")

    def test_an_unasked_101_gets_502_and_both_connections_close(self):
        with Backend(switch()) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(PLAIN_REQUEST)
            response = client.read_message()
            self.assertEqual(response.status, 502)
            self.assertTrue(response.body)
            self.assertTrue(client.closed_within(WAIT))
            self.assertTrue(backend.connection(0).saw_eof.wait(WAIT))

    def test_a_101_to_another_protocol_gets_502(self):
        _, response, closed = exchange(ws_request(), switch(upgrade="h2c"))
        self.assertEqual(response.status, 502)
        self.assertTrue(closed)

    def test_a_backend_that_closes_without_answering_gets_502(self):
        _, response, closed = exchange(PLAIN_REQUEST, close_silently)
        self.assertEqual(response.status, 502)
        self.assertEqual(int(response.get("Content-Length")), len(response.body))
        self.assertTrue(closed)

    def test_a_backend_that_resets_gets_502(self):
        with Backend(reset_at_once) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(PLAIN_REQUEST)
            self.assertEqual(client.read_message().status, 502)

    def test_a_backend_that_speaks_no_http_gets_502(self):
        _, response, closed = exchange(PLAIN_REQUEST, send_garbage)
        self.assertEqual(response.status, 502)
        self.assertTrue(closed)

    def test_an_unreachable_backend_gets_502(self):
        with Proxy(types.SimpleNamespace(port=harness.closed_port())) as proxy:
            client = proxy.connect()
            client.send(PLAIN_REQUEST)
            response = client.read_message()
            self.assertEqual(response.status, 502)
            self.assertTrue(client.closed_within(WAIT))

    def test_bytes_that_are_no_request_get_400(self):
        with Backend(answer(ok())) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(b"\x16\x03\x01\x00\xa5\x01\x00\x00")  # a TLS ClientHello's first bytes
            response = client.read_message()
            self.assertEqual(response.status, 400)
            self.assertTrue(client.closed_within(WAIT))
            self.assertEqual(backend.connections, [])

    def test_interim_answers_are_relayed(self):
        early = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        with Backend(answer(early + ok())) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(PLAIN_REQUEST)
            hints = client.read_message()
            self.assertEqual(hints.status, 103)
            self.assertEqual(hints.get("Link"), "</style.css>; rel=preload")
            self.assertEqual(client.read_message().status, 200)

    def test_an_http10_client_gets_its_answer_and_the_close(self):
        _, response, closed = exchange(b"GET /old HTTP/1.0\r\n\r\n", answer(ok()))
        self.assertEqual(response.status, 200)
        self.assertTrue(closed)

    def test_proxy_to_with_tls_is_a_usage_error(self):
        for tls in (["--tls"], ["--tls-port", "0"]):
            out = subprocess.run([harness.REFSERVER, "--proxy-to", "127.0.0.1:9", *tls],
                                 capture_output=True, timeout=10)
            self.assertEqual(out.returncode, 2)
            self.assertIn(b"does not go with --tls", out.stderr)

    def test_proxy_to_must_be_loopback(self):
        out = subprocess.run([harness.REFSERVER, "--proxy-to", "192.0.2.1:80"],
                             capture_output=True, timeout=10)
        self.assertEqual(out.returncode, 2)
        self.assertIn(b"loopback", out.stderr)


def silent(conn):
    """Reads the request and answers nothing, until the proxy gives up (or the test ends)."""
    conn.read_request()
    conn.echo_until_closed(seconds=10)


class ProxyBounds(unittest.TestCase):
    """The proxy's limits: heads of 64 KiB, contents of 1 MiB, 5 s for the backend. (Not part of
    the defect matrix: a defect does not change them.)"""

    def test_a_request_head_over_64_kib_gets_431(self):
        with Backend(answer(ok())) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(b"GET / HTTP/1.1\r\nHost: b\r\n" + b"X-Big: %s\r\n" % (b"a" * 1000) * 70)
            response = client.read_message()
            self.assertEqual(response.status, 431)
            self.assertTrue(client.closed_within(WAIT))
            self.assertEqual(backend.connections, [])

    def test_request_content_over_1_mib_gets_413(self):
        with Backend(answer(ok())) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(b"POST / HTTP/1.1\r\nHost: b\r\nContent-Length: 1048577\r\n\r\n")
            self.assertEqual(client.read_message().status, 413)
            self.assertEqual(backend.connections, [])

    def test_a_client_that_expects_100_continue_gets_it(self):
        with Backend(answer(ok())) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            client.send(b"PUT /x HTTP/1.1\r\nHost: b\r\nExpect: 100-continue\r\n"
                        b"Content-Length: 5\r\n\r\n")
            self.assertEqual(client.read_message().status, 100)
            client.send(b"hello")
            self.assertEqual(client.read_message().status, 200)
            self.assertEqual(backend.connection(0).request.body, b"hello")

    def test_backend_content_over_1_mib_gets_502(self):
        big = b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * (1024 * 1024 + 1)
        _, response, closed = exchange(PLAIN_REQUEST, answer(big))
        self.assertEqual(response.status, 502)
        self.assertTrue(closed)

    def test_a_silent_backend_gets_502_after_its_deadline(self):
        with Backend(silent) as backend, Proxy(backend) as proxy:
            client = proxy.connect()
            started = time.monotonic()
            client.send(PLAIN_REQUEST)
            response = client.read_message(seconds=10)
            self.assertEqual(response.status, 502)
            self.assertLess(time.monotonic() - started, 8)
            self.assertTrue(backend.connection(0).saw_eof.wait(WAIT))


class ProxyDefects(unittest.TestCase):
    """Each prx- defect, shown by the behaviour that breaks its requirement (the conforming side
    of the same exchange is in ConformingProxy)."""

    def test_every_proxy_defect_has_a_test_here(self):
        listed = {name for name, _, _ in harness.list_defects() if name.startswith("prx-")}
        tested = {name[len("test_"):].replace("_", "-") for name in dir(self)
                  if name.startswith("test_prx_")}
        self.assertEqual(listed, tested)
        self.assertEqual(len(listed), 13)

    def test_prx_forward_connection_listed(self):
        with Backend(answer(ok())) as backend, \
                Proxy(backend, "prx-forward-connection-listed") as proxy:
            client = proxy.connect()
            for _ in range(2):  # the follow-up request too
                client.send(HOP_REQUEST)
                self.assertEqual(client.read_message().status, 200)
            for i in range(2):
                forwarded = backend.connection(i).request
                self.assertEqual(forwarded.get("X-Private"), "secret")
                self.assertEqual(forwarded.get("Connection"), "close")
                self.assertIsNone(forwarded.get("Keep-Alive"))

    def test_prx_forward_known_hop_by_hop(self):
        forwarded, _, _ = exchange(HOP_REQUEST, answer(ok()), closes=False,
                                   defects=("prx-forward-known-hop-by-hop",))
        self.assertEqual(forwarded.get("Keep-Alive"), "timeout=5")
        self.assertEqual(forwarded.get("Proxy-Connection"), "keep-alive")
        self.assertEqual(forwarded.get("TE"), "trailers")
        self.assertIsNone(forwarded.get("X-Private"))

    def test_prx_add_upgrade(self):
        forwarded, response, _ = exchange(PLAIN_REQUEST, switch(), defects=("prx-add-upgrade",))
        self.assertEqual(forwarded.get("Upgrade"), "websocket")
        self.assertEqual(forwarded.get("Connection"), "upgrade")
        self.assertEqual(response.status, 502)  # the 101 is still refused: not asked

    def test_prx_forward_http10_upgrade(self):
        forwarded, response, _ = exchange(ws_request("HTTP/1.0"), switch(), closes=False,
                                          defects=("prx-forward-http10-upgrade",))
        self.assertEqual(forwarded.first_line, "GET /chat HTTP/1.1")
        self.assertEqual(forwarded.get("Upgrade"), "websocket")
        self.assertEqual(response.status, 101)

    def test_prx_tunnel_after_non_101(self):
        with Backend(decline_then_listen(UPGRADE_REQUIRED)) as backend, \
                Proxy(backend, "prx-tunnel-after-non-101") as proxy:
            client = proxy.connect()
            client.send(ws_request())
            self.assertEqual(client.read_message().status, 426)
            smuggled = client_frame(b"smuggled")
            client.send(smuggled)
            # The frame reaches the backend's connection raw and comes back: no 400.
            self.assertEqual(client.read_exact(len(smuggled)), smuggled)
            self.assertEqual(len(backend.connections), 1)

    def test_prx_tunnel_before_answer(self):
        early = b"bytes before any answer\r\n\r\n"
        with Backend(silent) as backend, \
                Proxy(backend, "prx-tunnel-before-answer") as proxy:
            client = proxy.connect()
            client.send(ws_request() + early)  # in one write: the proxy holds them both
            conn = backend.connection(0)
            deadline = time.monotonic() + WAIT
            while early not in conn.received and time.monotonic() < deadline:
                time.sleep(0.02)
            self.assertIn(early, conn.received)  # no answer yet, and the bytes are through

    def test_prx_tunnel_h2c(self):
        preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
        with Backend(switch(upgrade="h2c")) as backend, \
                Proxy(backend, "prx-tunnel-h2c") as proxy:
            client = proxy.connect()
            client.send(H2C_REQUEST)
            response = client.read_message()
            forwarded = backend.connection(0).request
            self.assertEqual(forwarded.get("Upgrade"), "h2c")
            self.assertEqual(forwarded.get("HTTP2-Settings"), "AAMAAABkAAQAoAAAAAIAAAAA")
            self.assertEqual(forwarded.tokens("Connection"), ["upgrade", "http2-settings"])
            self.assertEqual(response.status, 101)
            self.assertEqual(response.get("Upgrade"), "h2c")
            client.send(preface)
            self.assertEqual(client.read_exact(len(preface)), preface)

    def test_prx_strip_426_upgrade(self):
        _, response, _ = exchange(ws_request(), answer(UPGRADE_REQUIRED), closes=False,
                                  defects=("prx-strip-426-upgrade",))
        self.assertEqual(response.status, 426)
        self.assertIsNone(response.get("Upgrade"))

    def test_prx_rewrite_accept(self):
        backend, proxy, client, response, _ = websocket_session("prx-rewrite-accept")
        try:
            key = backend.connection(0).request.get("Sec-WebSocket-Key")
            self.assertNotEqual(key, CLIENT_KEY)
            self.assertEqual(len(base64.b64decode(key)), 16)
            self.assertEqual(response.status, 101)
            self.assertEqual(response.get("Sec-WebSocket-Accept"), accept_for(key))
            self.assertNotEqual(response.get("Sec-WebSocket-Accept"), SAMPLE_ACCEPT)
        finally:
            tear_down(backend, proxy)

    def test_prx_corrupt_frames(self):
        backend, proxy, client, response, first = websocket_session("prx-corrupt-frames")
        try:
            self.assertEqual(response.status, 101)
            self.assertEqual(first, WELCOME[:-1] + bytes([WELCOME[-1] ^ 1]))
            frame = client_frame(b"intact")
            client.send(frame)
            conn = backend.connection(0)
            deadline = time.monotonic() + WAIT
            while frame not in conn.received and time.monotonic() < deadline:
                time.sleep(0.02)
            self.assertIn(frame, conn.received)  # client to backend is not touched
        finally:
            tear_down(backend, proxy)

    def test_prx_drop_close(self):
        backend, proxy, client, response, _ = websocket_session("prx-drop-close")
        try:
            self.assertEqual(response.status, 101)
            backend.connection(0).hang_up.set()
            self.assertFalse(client.closed_within(QUIET))
        finally:
            tear_down(backend, proxy)
        backend, proxy, client, response, _ = websocket_session("prx-drop-close")
        try:
            self.assertEqual(response.status, 101)
            client.sock.shutdown(socket.SHUT_WR)
            self.assertFalse(backend.connection(0).saw_eof.wait(QUIET))
        finally:
            tear_down(backend, proxy)

    def test_prx_relay_unasked_101(self):
        with Backend(switch(extra=server_frame(b"hi"))) as backend, \
                Proxy(backend, "prx-relay-unasked-101") as proxy:
            client = proxy.connect()
            client.send(PLAIN_REQUEST)
            self.assertEqual(client.read_message().status, 101)
            self.assertEqual(client.read_exact(4), server_frame(b"hi"))

    def test_prx_no_error_response(self):
        with Backend(close_silently) as backend, \
                Proxy(backend, "prx-no-error-response") as proxy:
            client = proxy.connect()
            client.send(PLAIN_REQUEST)
            self.assertTrue(client.closed_within(WAIT))
            self.assertEqual(client.buffer, b"")
            self.assertEqual(backend.connection(0).request.first_line, "GET /plain HTTP/1.1")


# The conforming tests that each defect fails: those of its requirements, and no others.
BROKEN_BY = {
    "prx-forward-connection-listed": {
        "test_hop_by_hop_fields_are_removed_and_the_others_kept_in_order",
        "test_a_follow_up_request_goes_on_a_new_backend_connection_cleaned_the_same_way"},
    "prx-forward-known-hop-by-hop": {
        "test_hop_by_hop_fields_are_removed_and_the_others_kept_in_order"},
    "prx-add-upgrade": {"test_no_upgrade_is_added_to_a_plain_request"},
    "prx-forward-http10-upgrade": {"test_an_http10_upgrade_is_not_carried_out"},
    "prx-tunnel-after-non-101": {"test_after_a_declined_upgrade_the_next_bytes_are_http",
                                 "test_after_a_declined_upgrade_a_request_is_forwarded_anew"},
    "prx-tunnel-h2c": {"test_h2c_is_not_carried_out"},
    "prx-strip-426-upgrade": {"test_a_426_keeps_its_upgrade"},
    "prx-rewrite-accept": {"test_the_websocket_upgrade_is_forwarded_and_its_101_relayed_intact"},
    "prx-corrupt-frames": {"test_frames_are_tunnelled_both_ways"},
    "prx-drop-close": {"test_the_backend_closing_closes_the_client",
                       "test_the_client_closing_closes_the_backend"},
    "prx-relay-unasked-101": {"test_an_unasked_101_gets_502_and_both_connections_close",
                              "test_a_101_to_another_protocol_gets_502"},
    "prx-no-error-response": {"test_a_backend_that_closes_without_answering_gets_502",
                              "test_a_backend_that_resets_gets_502"},
    "prx-tunnel-before-answer": {"test_bytes_after_an_upgrade_wait_for_the_answer"},
}


def failing_conforming_tests(defect):
    """The ConformingProxy tests that fail against refserver --proxy-to with `defect`."""
    injected.defects = (defect,)
    try:
        failed = set()
        for name in unittest.TestLoader().getTestCaseNames(ConformingProxy):
            result = unittest.TestResult()
            ConformingProxy(name).run(result)
            if not result.wasSuccessful():
                failed.add(name)
        return failed
    finally:
        injected.defects = ()


class ConformingTestsCatchEachDefect(unittest.TestCase):
    """The conforming tests can fail: each defect fails exactly those of its requirements."""

    def test_each_defect_fails_the_conforming_tests_of_its_requirements_only(self):
        self.assertEqual(set(BROKEN_BY), {n for n, _, _ in harness.list_defects()
                                          if n.startswith("prx-")})
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            failed = dict(zip(BROKEN_BY, pool.map(failing_conforming_tests, BROKEN_BY)))
        for defect, expected in BROKEN_BY.items():
            with self.subTest(defect=defect):
                self.assertEqual(failed[defect], expected)


class DefectsOnlyInProxyMode(unittest.TestCase):
    def test_a_proxy_defect_leaves_the_origin_server_alone(self):
        with harness.RefServer("prx-add-upgrade", "prx-no-error-response") as server:
            host, port = server.address.rsplit(":", 1)
            client = Peer(socket.create_connection((host, int(port)), timeout=WAIT))
            try:
                client.send(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
                response = client.read_message()
                self.assertEqual(response.status, 200)
                self.assertIsNone(response.get("Upgrade"))
            finally:
                client.close()


if __name__ == "__main__":
    unittest.main()
