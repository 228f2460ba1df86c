"""Shared helpers for the integration tests: start refserver, run the upgradespec CLI.

Every process started here is stopped by its PID; every wait is bounded.
"""
import base64
import concurrent.futures
import json
import os
import select
import socket
import subprocess
import tempfile
import time
import xml.dom.minidom

BUILD = os.environ.get("UPGRADESPEC_BUILD", os.path.join(os.path.dirname(__file__), "..", "..", "build"))
SOURCE = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
UPGRADESPEC = os.path.join(BUILD, "runner", "upgradespec")
REFSERVER = os.path.join(BUILD, "fixtures", "refserver", "refserver")
# What refserver has, told to the runner, so every case of the catalogue runs: the options of a
# full conformance run (warnings count as failures).
FULL_RUN = ("--strict", "--echo", "--allowed-origin", "https://good.example", "--subprotocol", "chat",
            "--claim", "h2c", "--spec", "rfc7540", "--http11-required-path", "/http11-only")

REPORT_SCHEMA = os.path.join(SOURCE, "suite", "schema", "report.schema.json")

# Under AddressSanitizer (scripts/sanitize.sh sets this) shadow memory and the quarantine of freed
# blocks (256 MiB) dominate the resident size: it says nothing of the runner's own memory, so the
# RSS bounds hold for the normal build (scripts/test.sh) and everything else is checked in both.
SANITIZED = bool(os.environ.get("UPGRADESPEC_SANITIZERS"))


class RefServer:
    """refserver on a free loopback port, as a context manager."""

    def __init__(self, *defects, options=()):
        self.args = [REFSERVER, "--port", "0", *options]
        for d in defects:
            self.args += ["--defect", d]
        self.proc = None
        self.address = None
        self.tls_port = None  # with --tls-port: the port of the TLS listener beside it

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError("refserver did not start: %r %s" % (line, self.args))
        self.address = line.split()[-1]
        if "--tls-port" in self.args:
            # Printed right after the first line (or refserver exits: EOF). No select here: the
            # first readline may already hold this line in Python's buffer.
            line = self.proc.stdout.readline().decode()
            if not line.startswith("tls listening on "):
                self.stop()
                raise RuntimeError("refserver did not open its TLS port: %r" % line)
            self.tls_port = line.split(":")[-1].strip()
        return self

    def url(self, path="/ws", scheme="ws"):
        return "%s://%s%s" % (scheme, self.address, path)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self.proc:
            self.proc.stdout.close()
            self.proc.stderr.close()

    def __exit__(self, *exc):
        self.stop()


class Run:
    """One finished upgradespec run: exit code, output, the parsed reports, and the child's peak
    resident memory (getrusage through wait4: a count, not a timing)."""

    def __init__(self, code, stdout, stderr, report, junit_text, peak_rss_mib=0.0):
        self.code, self.stdout, self.stderr = code, stdout, stderr
        self.report, self.junit = report, junit_text
        self.peak_rss_mib = peak_rss_mib

    def cases(self):
        return {c["id"]: c for c in self.report["cases"]}


# Runs argv[2:] and writes its peak RSS (KiB) to the file argv[1], exiting as the child did. A
# child's ru_maxrss keeps the high-water mark of the process it was forked from, so the runner is
# started from this small interpreter, never straight from a test process grown by its fakes.
MEASURE = """
import os, signal, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.WEXITSTATUS(status))
"""


def run_measured(cmd, timeout, env=None):
    """Runs cmd to its end (its process group killed after `timeout` s); returns (exit code,
    stdout, stderr, peak RSS in MiB). Output goes to files: a chatty child never blocks a pipe."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rss:
        child = subprocess.Popen(["python3", "-c", MEASURE, rss.name, *cmd], stdout=out,
                                 stderr=err, env=env, start_new_session=True)
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, 9)
            child.wait(timeout=30)
            raise
        out.seek(0)
        err.seek(0)
        peak_kib = int(rss.read() or 0)
        return (code, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                peak_kib / 1024)


def run_cli(*args, timeout=300, env=None):
    """Runs upgradespec with --json/--junit into a temp folder and returns a Run."""
    with tempfile.TemporaryDirectory() as tmp:
        json_path, junit_path = os.path.join(tmp, "r.json"), os.path.join(tmp, "j.xml")
        cmd = [UPGRADESPEC, "--json", json_path, "--junit", junit_path, *args]
        code, stdout, stderr, rss = run_measured(cmd, timeout, env)
        report = read_file(json_path, json.load)
        junit = read_file(junit_path, lambda f: f.read(), "rb")
        return Run(code, stdout, stderr, report, junit, rss)


def deliberate_waits_ms():
    """Each catalogue case's deliberate wait (held body plus quiet windows), which its deadline
    includes: {case id: milliseconds}."""
    waits = {}
    for name in filter(lambda n: n.endswith(".json"), os.listdir(os.path.join(SOURCE, "suite"))):
        with open(os.path.join(SOURCE, "suite", name)) as f:
            doc = json.load(f)
        for case in doc.get("cases", []):
            steps = case.get("after_101", []) + case.get("h2", [])
            waits[case["id"]] = case.get("send", {}).get("hold_body_ms", 0) + sum(
                step["expect_open"]["quiet_ms"] for step in steps if "expect_open" in step)
    return waits


def read_file(path, reader, mode="r"):
    """reader(open file), or None when the file was not written."""
    if not os.path.exists(path):
        return None
    with open(path, mode) as f:
        return reader(f)


def list_defects():
    """[(name, [requirement ids], description)] from refserver --list-defects."""
    out = subprocess.run([REFSERVER, "--list-defects"], capture_output=True, timeout=10, check=True)
    defects = []
    for line in out.stdout.decode().splitlines():
        name, reqs, description = line.split("\t", 2)
        defects.append((name, reqs.split(","), description))
    return defects


def failing_findings(case, strict=True):
    """The findings of a case that count against the target."""
    bad = {"fail", "error"} | ({"warn"} if strict else set())
    return [f for f in case["findings"] if f["verdict"] in bad]


def passed(case):
    return case["verdict"] in ("pass", "info")


# The families that need refserver's certificate: RFC 2817, and HTTP/2 over TLS (RFC 8441, h2c
# inside TLS). test_tls.py runs and proves them.
CERTIFICATE_FAMILIES = ("tls-upgrade", "websocket-h2")


def needs_certificate(case):
    """A case skipped because refserver ran without a certificate (and the run without the TLS
    claim or a TLS endpoint): test_tls.py runs and proves these."""
    return case["family"] in CERTIFICATE_FAMILIES and case["verdict"] == "skip"


def needs_backend(case):
    """An intermediary case skipped because the run had no --backend: test_intermediary.py runs
    and proves the family through refserver --proxy-to."""
    return case["family"] == "intermediary" and case["verdict"] == "skip"


def skipped_for_its_set_up(case):
    """Skipped in a plain run against refserver, proven by a run of its own."""
    return needs_certificate(case) or needs_backend(case)


def event_bytes(event):
    """The exact bytes of a transcript event (empty for eof, reset and notes)."""
    return base64.b64decode(event.get("base64", ""))


def validate_report(report):
    """Raises jsonschema.ValidationError unless the JSON report matches its schema."""
    import jsonschema  # only the tests that check reports need it

    with open(REPORT_SCHEMA) as schema:
        jsonschema.Draft7Validator(json.load(schema)).validate(report)


def junit_testcases(junit_bytes):
    """The testcase elements of a JUnit report; raises if the XML is not well-formed."""
    return xml.dom.minidom.parseString(junit_bytes).getElementsByTagName("testcase")


def closed_port():
    """A loopback port that was just bound and closed: nothing listens on it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The mutation proof (test_mutation.py, and test_tls.py for the TLS family). Every defect
# breaks exactly the requirements it declares, and every case is broken by some defect.

def is_tls_defect(name):
    """refserver's TLS defects act only with its certificate: test_tls.py proves them."""
    return name.startswith("tls-") or is_xc_defect(name)


def is_prx_defect(name):
    """The reverse-proxy defects act only with refserver --proxy-to: test_refserver_proxy.py
    proves them."""
    return name.startswith("prx-")


def is_xc_defect(name):
    """The HTTP/2-over-TLS defects (RFC 8441, h2c inside TLS): they act on `refserver --tls`."""
    return name.startswith("xc-")


def breaks_websocket_over_h2(defect):
    """The defects the RFC 8441 proof runs: the xc- ones, and those of the negotiation that
    refserver's HTTP/1.1 and HTTP/2 WebSocket endpoints share (RFC 8441 5)."""
    name, requirements, _ = defect
    return is_xc_defect(name) or "XC-WS-NEGOTIATION" in requirements


def run_each_defect(defects, run_against):
    """{name: run_against(name)} for every defect, four at once."""
    names = [name for name, _, _ in defects]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(names, pool.map(run_against, names)))


def standing(case):
    """pass and info both count as passed: a defect may turn a judged case into a recorded one."""
    return "passed" if passed(case) else case["verdict"]


def skipped_for_a_broken_dependency(case, run, requirements):
    """A differential case is rightly skipped when the case it depends on failed its own
    requirement under this defect (the baseline handshake itself is what the defect breaks)."""
    if case["verdict"] != "skip":
        return False
    cases = run.cases()
    return any(dep in cases and cases[dep]["requirement"] in requirements
               and failing_findings(cases[dep])
               for dep in case.get("depends_on", []))


class MutationChecks:
    """The checks of a mutation proof, for a unittest.TestCase that mixes this in. Its
    setUpClass sets `defects` [(name, requirements, description)], `runs` {name: Run against
    refserver with that defect}, `baseline` (the Run against the conforming refserver) and
    `proven` (the ids of the cases that some defect must break)."""

    def test_each_defect_fails_the_run(self):
        for name, _, _ in self.defects:
            with self.subTest(defect=name):
                run = self.runs[name]
                self.assertEqual(run.code, 1, "%s\n%s" % (run.stdout[-3000:], run.stderr))

    def test_each_defect_breaks_only_its_requirements(self):
        for name, requirements, _ in self.defects:
            with self.subTest(defect=name):
                stray = [(cid, f["requirement"], f["message"])
                         for cid, case in self.runs[name].cases().items()
                         for f in failing_findings(case)
                         if f["requirement"] not in requirements]
                self.assertEqual(stray, [])

    def test_each_defect_is_caught_under_every_requirement_it_declares(self):
        # Only the requirements this proof's cases test: a defect may also break another
        # proof's family (a permessage-deflate defect breaks WebSocket over HTTP/1.1 and h2).
        tested = {self.baseline.cases()[cid]["requirement"] for cid in self.proven}
        for name, requirements, _ in self.defects:
            with self.subTest(defect=name):
                caught = {f["requirement"] for case in self.runs[name].cases().values()
                          for f in failing_findings(case)}
                self.assertEqual((set(requirements) & tested) - caught, set())

    def test_cases_outside_the_defect_keep_their_verdict(self):
        for name, requirements, _ in self.defects:
            with self.subTest(defect=name):
                run = self.runs[name]
                changed = [cid for cid, case in run.cases().items()
                           if not failing_findings(case)
                           and not skipped_for_a_broken_dependency(case, run, requirements)
                           and standing(case) != standing(self.baseline.cases()[cid])]
                self.assertEqual(changed, [])

    def test_every_case_is_broken_by_some_defect(self):
        broken = {cid for run in self.runs.values() for cid, case in run.cases().items()
                  if failing_findings(case)}
        self.assertEqual(set(self.proven) - broken, set())
