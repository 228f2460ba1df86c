"""A fake target that answers at once, except that it never answers the requests of a few
independent cases: the runner waits out its deadline on each. The scheduling test and
scripts/bench.sh use it to show that such waits overlap instead of adding up.

Run alone (scripts/bench.sh does): `python3 withholding_target.py` prints its port, then serves on
127.0.0.1 until its standard input closes."""
import sys

from test_hostile import OK, FakeServer, read_request, wait_for_close

# Request lines it never answers, and the cases that send them. ver.absolute-form.plain depends on
# upg.plain.baseline, so it sits one dependency deeper than the other two.
WITHHELD = {
    b"GET http://": "ver.absolute-form.plain",
    b" HTTP/3.0\r\n": "ver.major.http3",
    b" HTTP/1.9\r\n": "ver.minor-higher.nine",
}
ANSWERED = "upg.plain.baseline"
CASES = [ANSWERED] + list(WITHHELD.values())
MAX_SECONDS = 120  # a withheld answer is never sent; the connection is let go after this long


def serve(conn, stop):
    """Answers at once, or never: until the runner gives up and the fake stops."""
    head = read_request(conn)
    request_line = head.split(b"\n", 1)[0] + b"\n"
    if any(marker in request_line for marker in WITHHELD):
        wait_for_close(conn, stop, seconds=MAX_SECONDS)
        return
    conn.sendall(OK)


def WithholdingTarget():
    """A FakeServer on 127.0.0.1 (url(), port) serving every connection with serve()."""
    return FakeServer(serve, probe=False)


if __name__ == "__main__":
    with WithholdingTarget() as target:
        print(target.port, flush=True)
        sys.stdin.read()  # until the caller closes our input
