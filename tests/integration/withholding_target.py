"""A fake target that answers at once, except that it never answers the requests of a few
independent cases: the runner waits out its deadline on each. The scheduling test and
scripts/bench.sh use it to show that such waits overlap instead of adding up.

Run alone (scripts/bench.sh does): `python3 withholding_target.py` prints its port, then serves on
127.0.0.1 until its standard input closes."""
import socket
import sys
import threading
import time

# Request lines it never answers, and the cases that send them. ver.absolute-form.plain depends on
# upg.plain.baseline, so it sits one dependency deeper than the other two.
WITHHELD = {
    b"GET http://": "ver.absolute-form.plain",
    b" HTTP/3.0\r\n": "ver.major.http3",
    b" HTTP/1.9\r\n": "ver.minor-higher.nine",
}
ANSWERED = "upg.plain.baseline"
CASES = [ANSWERED] + list(WITHHELD.values())
MAX_SECONDS = 600  # the fake stops on its own after this long whatever happens
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"


def read_head(conn, stop):
    conn.settimeout(0.1)
    data = b""
    for _ in range(300):  # 30 s at most
        if b"\r\n\r\n" in data or stop.is_set() or len(data) > 65536:
            break
        try:
            chunk = conn.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            break
        data += chunk
    return data


def serve(conn, stop):
    with conn:
        head = read_head(conn, stop)
        request_line = head.split(b"\n", 1)[0] + b"\n"
        if any(marker in request_line for marker in WITHHELD):
            stop.wait(MAX_SECONDS)  # silence until the runner gives up and the fake stops
            return
        conn.sendall(OK)


class WithholdingTarget:
    """Listens on 127.0.0.1; every connection is served in a thread until stop()."""

    def __enter__(self):
        self.stop = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.threads = []
        self.acceptor = threading.Thread(target=self._accept, daemon=True)
        self.acceptor.start()
        return self

    def url(self):
        return "ws://127.0.0.1:%d/ws" % self.port

    def _accept(self):
        deadline = time.monotonic() + MAX_SECONDS
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            thread = threading.Thread(target=serve, args=(conn, self.stop), daemon=True)
            thread.start()
            self.threads.append(thread)
        self.sock.close()

    def __exit__(self, *exc):
        self.stop.set()
        self.acceptor.join(timeout=5)
        for thread in self.threads:
            thread.join(timeout=5)


if __name__ == "__main__":
    with WithholdingTarget() as target:
        print(target.port, flush=True)
        sys.stdin.read()  # until the caller closes our input
