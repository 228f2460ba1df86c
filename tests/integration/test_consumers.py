"""Real consumers read our reports: Debian's python3-junitparser and npm's xunit-viewer parse the
JUnit file, python3-jsonschema validates the JSON report. Each must see what the JSON says: the
same cases, the same failures, errors and skips. A missing consumer fails the test, it never skips."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import harness

CONSUMERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "consumers")
NPM_FOLDER = os.path.join(harness.BUILD, "report-consumers")

# JUnit element for each verdict the JSON report gives (pass, warn and info are plain testcases).
JUNIT_RESULT = {"fail": "Failure", "error": "Error", "skip": "Skipped"}

RUNS = {}


def setUpModule():
    # A defect gives failures and skips (cases gated on the broken one); a closed port gives errors.
    defect = harness.list_defects()[0][0]
    with harness.RefServer(defect) as server:
        RUNS["defect"] = harness.run_cli(*harness.FULL_RUN, server.url())
    RUNS["dead"] = harness.run_cli("--timeout", "0.5", "ws://127.0.0.1:%d/ws" % harness.closed_port())


def expected_results(run):
    """{testcase name prefix (case id): junitparser result class name or None}."""
    return {c["id"]: JUNIT_RESULT.get(c["verdict"]) for c in run.report["cases"]}


def install_xunit_viewer():
    """npm ci into the build tree from the committed package.json and lock; the path of the binary."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssertionError("npm is missing: scripts/install-deps.sh test installs nodejs and npm")
    os.makedirs(NPM_FOLDER, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(os.path.join(CONSUMERS, name), NPM_FOLDER)
    binary = os.path.join(NPM_FOLDER, "node_modules", ".bin", "xunit-viewer")
    if os.path.exists(binary):
        return binary
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=NPM_FOLDER,
                          capture_output=True, timeout=600)
    if done.returncode != 0:
        raise AssertionError("npm ci of xunit-viewer failed:\n" + done.stderr.decode(errors="replace"))
    return binary


class JunitParser(unittest.TestCase):
    def check(self, run):
        import junitparser  # Debian's python3-junitparser

        with tempfile.NamedTemporaryFile(suffix=".xml") as f:
            f.write(run.junit)
            f.flush()
            xml = junitparser.JUnitXml.fromfile(f.name)
        seen = {}
        for suite in xml:
            for case in suite:
                case_id = case.name.split(":", 1)[0]
                kinds = [type(r).__name__ for r in case.result]
                self.assertLessEqual(len(kinds), 1, case.name)
                seen[case_id] = kinds[0] if kinds else None
        self.assertEqual(seen, expected_results(run))
        summary = run.report["summary"]
        self.assertEqual(xml.tests, summary["total"])
        self.assertEqual(xml.failures, summary["failed"])
        self.assertEqual(xml.errors, summary["errors"])
        self.assertEqual(xml.skipped, summary["skipped"])

    def test_reads_failures_and_skips(self):
        run = RUNS["defect"]
        self.assertEqual(run.code, 1)
        self.assertGreater(run.report["summary"]["failed"], 0)
        self.assertGreater(run.report["summary"]["skipped"], 0)
        self.check(run)

    def test_reads_errors_from_an_unreachable_target(self):
        run = RUNS["dead"]
        self.assertEqual(run.code, 3)
        self.check(run)


class XunitViewer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.binary = install_xunit_viewer()

    def render(self, run, *options):
        with tempfile.TemporaryDirectory(dir=harness.BUILD) as tmp:
            junit = os.path.join(tmp, "junit.xml")
            with open(junit, "wb") as f:
                f.write(run.junit)
            # Into a file: node writes files synchronously but may drop the end of a pipe's
            # output when xunit-viewer exits.
            console_path = os.path.join(tmp, "console.txt")
            with open(console_path, "wb") as console:
                done = subprocess.run([self.binary, "-r", junit, *options], cwd=tmp,
                                      stdout=console, stderr=subprocess.PIPE, timeout=120)
            self.assertEqual(done.returncode, 0, done.stderr.decode(errors="replace"))
            output = harness.read_file(console_path, lambda f: f.read(), "rb")
            html = os.path.join(tmp, "out.html")
            page = harness.read_file(html, lambda f: f.read())
            return output.decode(errors="replace"), page

    def test_console_shows_every_case_with_its_mark(self):
        expected = {"Failure": "✗", "Error": "!", "Skipped": "⊘", None: "✓"}
        for name, run in RUNS.items():
            with self.subTest(run=name):
                console, _ = self.render(run, "-c", "-n")
                marks = {case_id: mark for mark, case_id in
                         re.findall(r"^\s+([✓✗⊘!])\s+(\S+):", console, re.MULTILINE)}
                self.assertEqual(marks, {cid: expected[r] for cid, r in expected_results(run).items()})

    def test_html_page_counts_what_the_json_report_counts(self):
        for name, run in RUNS.items():
            with self.subTest(run=name):
                _, page = self.render(run, "-o", "out.html")
                self.assertIsNotNone(page, "xunit-viewer wrote no page")
                found = re.search(r'<meta name="description" content="([^"]*)"', page)
                self.assertIsNotNone(found, "the page has no summary")
                counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", found.group(1))}
                summary = run.report["summary"]
                expected = {"passed": summary["passed"] + summary["warned"] + summary["info"],
                            "failure": summary["failed"], "error": summary["errors"],
                            "skipped": summary["skipped"]}
                self.assertEqual(counts, {k: v for k, v in expected.items() if v})


class JsonSchema(unittest.TestCase):
    def test_both_reports_validate(self):
        for name, run in RUNS.items():
            with self.subTest(run=name):
                harness.validate_report(run.report)


if __name__ == "__main__":
    unittest.main()
