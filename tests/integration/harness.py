"""Shared helpers for the integration tests: start refserver, run the upgradespec CLI.

Every process started here is stopped by its PID; every wait is bounded.
"""
import base64
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
REPORT_SCHEMA = os.path.join(SOURCE, "suite", "schema", "report.schema.json")


class RefServer:
    """refserver on a free loopback port, as a context manager."""

    def __init__(self, *defects):
        self.args = [REFSERVER, "--port", "0"]
        for d in defects:
            self.args += ["--defect", d]
        self.proc = None
        self.address = None

    def __enter__(self):
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], 10)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError("refserver did not start: %r %s" % (line, self.args))
        self.address = line.split()[-1]
        return self

    def url(self, path="/ws"):
        return "ws://%s%s" % (self.address, path)

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
    """One finished upgradespec run: exit code, output and the parsed reports."""

    def __init__(self, code, stdout, stderr, report, junit_text):
        self.code, self.stdout, self.stderr = code, stdout, stderr
        self.report, self.junit = report, junit_text

    def cases(self):
        return {c["id"]: c for c in self.report["cases"]}


def run_cli(*args, timeout=300, env=None):
    """Runs upgradespec with --json/--junit into a temp folder and returns a Run."""
    with tempfile.TemporaryDirectory() as tmp:
        json_path, junit_path = os.path.join(tmp, "r.json"), os.path.join(tmp, "j.xml")
        cmd = [UPGRADESPEC, "--json", json_path, "--junit", junit_path, *args]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        report = read_file(json_path, json.load)
        junit = read_file(junit_path, lambda f: f.read(), "rb")
        return Run(done.returncode, done.stdout.decode(errors="replace"),
                   done.stderr.decode(errors="replace"), report, junit)


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
