"""The pages people look at, and multi-target runs.

--html is loaded in headless Chromium (Debian's chromium) and the DOM it built is checked against
the JSON report of the same run; --markdown is checked for its content and size. --targets runs
two refservers (one conforming, one with a defect) at once: a report set each, a matrix in HTML
and Markdown that shows the defect's cases failing in that target's column only, exit 1.
Every process started here is stopped by its PID; every wait is bounded."""
import html.parser
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest
import xml.dom.minidom

import harness
from test_hostile import FakeServer, silent

DEFECT = "426-without-upgrade"  # breaks UPG-426-UPGRADE-HDR: a dozen cases fail, the rest pass
CHROMIUM_BOUND_S = 90
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.texts = [], []

    def text(self):
        return "".join(t if isinstance(t, str) else t.text() for t in self.texts)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


class Dom(html.parser.HTMLParser):
    """A small DOM of a serialized page: elements with attributes, children and text."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.texts.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        self.current.texts.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.texts.append(data)

    def elements(self, tag=None):
        return [e for e in self.root.walk() if e.tag != "#document" and (tag is None or e.tag == tag)]

    def by_id(self, id_):
        found = [e for e in self.elements() if e.attrs.get("id") == id_]
        return found[0] if len(found) == 1 else None


def chromium_dom(path, query=""):
    """The DOM headless Chromium built from the page at `path` (with `query`, "?only=fail"),
    serialized after its scripts ran. Fails (never skips) when Chromium is not installed."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise AssertionError("chromium is not installed: scripts/install-deps.sh test installs "
                             "Debian's chromium package, which this test needs")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--user-data-dir=" + profile, "--dump-dom",
               "file://" + os.path.abspath(path) + query]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=CHROMIUM_BOUND_S)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)  # Chromium and the helpers it started
                proc.communicate(timeout=10)
        if proc.returncode != 0 or b"<html" not in out:
            raise AssertionError("chromium --dump-dom failed (%s): %s" % (proc.returncode, err[-2000:]))
        return out.decode("utf-8")


def assert_fetches_nothing(test, dom, raw):
    """No external asset: no <script src>, <link href>, <img src>, nothing else with a source."""
    for element in dom.elements():
        test.assertNotIn(element.tag, {"link", "img", "iframe", "object", "embed", "audio", "video",
                                       "source", "base"})
        test.assertNotIn("src", element.attrs, element.tag)
        href = element.attrs.get("href")
        if href is not None:
            test.assertEqual(element.tag, "a", href)  # a link to follow, never an asset
    test.assertEqual(len(dom.elements("script")), 1)
    for word in ("url(", "@import", "@font-face"):
        test.assertNotIn(word, raw)


def rfc_url(ref):
    """The RFC Editor's address of "RFC6455 4.2.2" (a letter starts an appendix)."""
    number, section = ref.split(" ")
    kind = "appendix" if section[0].isalpha() else "section"
    return "https://www.rfc-editor.org/rfc/%s#%s-%s" % (number.lower(), kind, section)


def run(args, timeout=300):
    done = subprocess.run([harness.UPGRADESPEC, *args], capture_output=True, timeout=timeout)
    return done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")


def load_json(path):
    with open(path) as f:
        return json.load(f)


def verdicts(report):
    return {c["id"]: c["verdict"] for c in report["cases"]}


class HtmlReportTest(unittest.TestCase):
    """One run against refserver with a defect: its HTML page in Chromium, its Markdown."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.paths = {kind: os.path.join(cls.tmp.name, "report." + kind) for kind in ("json", "html", "md")}
        with harness.RefServer(DEFECT) as server:
            cls.code, cls.stdout, cls.stderr = run(
                ["--json", cls.paths["json"], "--html", cls.paths["html"], "--markdown", cls.paths["md"],
                 *harness.FULL_RUN, server.url()])
        cls.report = load_json(cls.paths["json"])
        with open(cls.paths["html"], encoding="utf-8") as f:
            cls.raw = f.read()
        cls.dom = Dom(chromium_dom(cls.paths["html"]))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def failing(self):
        return [c for c in self.report["cases"] if c["verdict"] == "fail"]

    def test_the_run_fails_on_the_defect(self):
        self.assertEqual(self.code, 1, self.stdout[-3000:] + self.stderr)
        self.assertTrue(self.failing())

    def test_summary_numbers_are_the_json_reports(self):
        summary = self.report["summary"]
        for key in ("passed", "failed", "warned", "info", "skipped", "errors", "waived", "total"):
            with self.subTest(count=key):
                element = self.dom.by_id("count-" + key)
                self.assertIsNotNone(element)
                self.assertEqual(int(element.text()), summary[key])
        self.assertEqual(self.dom.by_id("target").text(), self.report["target"])
        self.assertEqual(self.dom.by_id("tool-version").text(), "upgradespec " + self.report["tool"]["version"])
        self.assertEqual(self.dom.by_id("started-at").text(), self.report["started_at"])
        self.assertIn("failed", self.dom.by_id("outcome").text())
        self.assertTrue(self.dom.by_id("strict").text().startswith("yes"))

    def test_every_case_has_a_row_with_its_verdict(self):
        for case in self.report["cases"]:
            with self.subTest(case=case["id"]):
                row = self.dom.by_id("case-" + case["id"])
                self.assertIsNotNone(row)
                self.assertEqual(row.attrs["data-verdicts"], case["verdict"])

    def test_a_failing_case_shows_its_requirement_findings_and_transcript(self):
        for case in self.failing():
            with self.subTest(case=case["id"]):
                row = self.dom.by_id("case-" + case["id"])
                text = row.text()
                self.assertIn(case["requirement"], text)
                self.assertIn(case["observed"], text)
                for finding in case["findings"]:
                    self.assertIn(finding["requirement"], text)
                links = [a.attrs["href"] for a in row.walk() if a.tag == "a"]
                for ref in case["refs"]:
                    self.assertIn(rfc_url(ref), links)
                details = [d for d in row.walk() if d.tag == "details"]
                self.assertEqual(len(details), 1)
                sent = [e["text"] for e in case["transcript"] if e["direction"] == "sent"]
                self.assertTrue(sent)
                self.assertIn(sent[0].splitlines()[0], details[0].text())

    def test_families_are_counted(self):
        rows = [e for e in self.dom.elements("tr") if "data-family" in e.attrs]
        families = {}
        for case in self.report["cases"]:
            families[case["family"]] = families.get(case["family"], 0) + 1
        self.assertEqual({r.attrs["data-family"]: int([c for c in r.children if c.tag == "td"][-1].text())
                          for r in rows}, families)

    def test_the_script_ran_and_the_filters_show(self):
        filters = self.dom.by_id("filters")
        self.assertIsNotNone(filters)
        self.assertNotIn("hidden", filters.attrs)  # the inline script unhid it: it ran under the policy
        boxes = [i.attrs.get("data-verdict") for i in filters.walk() if i.tag == "input" and "data-verdict" in i.attrs]
        self.assertEqual(sorted(boxes), sorted(["pass", "fail", "warn", "info", "skip", "error", "waived"]))

    def test_the_address_filters_the_rows(self):
        failing = {c["id"] for c in self.failing()}
        dom = Dom(chromium_dom(self.paths["html"], "?only=fail"))
        rows = [e for e in dom.elements("tbody") if "case" in e.attrs.get("class", "").split()]
        self.assertEqual(len(rows), len(self.report["cases"]))
        self.assertEqual({r.attrs["id"][5:] for r in rows if "hidden" not in r.attrs}, failing)
        one = sorted(failing)[0]
        dom = Dom(chromium_dom(self.paths["html"], "?q=" + one))
        shown = [r.attrs["id"][5:] for r in dom.elements("tbody") if "data-verdicts" in r.attrs and "hidden" not in r.attrs]
        self.assertEqual(shown, [cid for cid in verdicts(self.report) if one in cid])

    def test_the_page_fetches_nothing(self):
        assert_fetches_nothing(self, self.dom, self.raw)
        policy = [m for m in self.dom.elements("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
        self.assertEqual(len(policy), 1)
        self.assertTrue(policy[0].attrs["content"].startswith("default-src 'none'"))

    def test_markdown_summary(self):
        with open(self.paths["md"], encoding="utf-8") as f:
            text = f.read()
        self.assertLess(len(text), 65536)
        first = text.splitlines()[0]
        self.assertTrue(first.startswith("## ❌ upgradespec: failed"), first)
        summary = self.report["summary"]
        self.assertIn("| %d | %d | %d | %d | %d | %d | %d |" % tuple(
            summary[k] for k in ("passed", "failed", "warned", "info", "skipped", "errors", "total")), text)
        self.assertIn("### Failures and errors (%d)" % (summary["failed"] + summary["errors"]), text)
        for case in self.failing():
            self.assertIn("| **fail** | `%s`" % case["id"], text)
        self.assertIn("<details><summary>All %d cases</summary>" % len(self.report["cases"]), text)


def write_targets(folder, targets):
    path = os.path.join(folder, "targets.json")
    with open(path, "w") as f:
        json.dump({"targets": targets}, f)
    return path


def matrix_cells(dom, names):
    """{case id: {target name: verdict text}} from the matrix page."""
    cells = {}
    for row in dom.elements("tr"):
        if "case" not in row.attrs.get("class", "").split():
            continue
        tds = {td.attrs["data-target"]: td.text() for td in row.children if td.tag == "td" and "data-target" in td.attrs}
        cells[row.attrs["id"][len("case-"):]] = tds
    return cells


class MultiTargetTest(unittest.TestCase):
    """Two refservers in one --targets run: a conforming one (described by a profile) and one
    with a defect."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        folder = cls.tmp.name
        cls.out = os.path.join(folder, "out")
        os.mkdir(cls.out)
        with harness.RefServer() as good, harness.RefServer(DEFECT) as bad:
            with open(os.path.join(folder, "good.profile.json"), "w") as f:
                json.dump({"url": good.url(), "websocket": {"path": "/ws", "echo": True, "subprotocols": ["chat"],
                                                            "allowed_origins": ["https://good.example"]}}, f)
            targets = write_targets(folder, [
                {"name": "good", "profile": "good.profile.json", "claims": ["h2c"], "spec": "rfc7540",
                 "http11_required_path": "/http11-only"},
                {"name": "bad", "url": bad.url(), "echo": True, "subprotocols": ["chat"],
                 "allowed_origins": ["https://good.example"], "claims": ["h2c"], "spec": "rfc7540",
                 "http11_required_path": "/http11-only"},
            ])
            o = cls.out
            cls.code, cls.stdout, cls.stderr = run(
                ["--strict", "--targets", targets, "--json", o + "/report.json", "--junit", o + "/junit.xml",
                 "--html", o + "/report.html", "--markdown", o + "/summary.md",
                 "--matrix-html", o + "/matrix.html", "--matrix-markdown", o + "/matrix.md"])
        if not os.path.exists(os.path.join(o, "report.good.json")):
            raise AssertionError("no reports: exit %d\n%s\n%s" % (cls.code, cls.stdout[-3000:], cls.stderr))
        cls.reports = {name: load_json(os.path.join(o, "report.%s.json" % name)) for name in ("good", "bad")}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def failing_ids(self, name):
        return {c["id"] for c in self.reports[name]["cases"] if c["verdict"] in ("fail", "error")}

    def test_exit_code_is_the_worst_targets(self):
        self.assertEqual(self.code, 1, self.stdout[-3000:] + self.stderr)

    def test_a_report_set_per_target(self):
        names = sorted(os.listdir(self.out))
        self.assertEqual(names, sorted(["junit.bad.xml", "junit.good.xml", "report.bad.html", "report.bad.json",
                                        "report.good.html", "report.good.json", "summary.bad.md", "summary.good.md",
                                        "matrix.html", "matrix.md"]))
        for name, report in self.reports.items():
            with self.subTest(target=name):
                harness.validate_report(report)
                with open(os.path.join(self.out, "junit.%s.xml" % name), "rb") as f:
                    self.assertEqual(len(harness.junit_testcases(f.read())), len(report["cases"]))
        self.assertEqual(self.failing_ids("good"), set())
        self.assertTrue(self.failing_ids("bad"))
        self.assertEqual(exit_codes(self.stdout), {"good": 0, "bad": 1})

    def test_the_profile_beside_the_targets_file_was_used(self):
        # echo, subprotocols and origins came from the profile: those cases ran, not skipped.
        ran = verdicts(self.reports["good"])
        self.assertEqual(ran["ws.subprotocol.several-lines"], "pass")
        self.assertEqual(ran["ws.origin.allowed"], "pass")

    def test_the_html_matrix_fails_the_defects_cases_in_its_column_only(self):
        with open(os.path.join(self.out, "matrix.html"), encoding="utf-8") as f:
            raw = f.read()
        dom = Dom(chromium_dom(os.path.join(self.out, "matrix.html")))
        assert_fetches_nothing(self, dom, raw)
        cells = matrix_cells(dom, ("good", "bad"))
        self.assertEqual(set(cells), {c["id"] for c in self.reports["good"]["cases"]})
        for name in ("good", "bad"):
            shown = {cid: row[name] for cid, row in cells.items()}
            self.assertEqual(shown, verdicts(self.reports[name]))
        failing_in_bad = {cid for cid, row in cells.items() if row["bad"] == "fail"}
        self.assertEqual(failing_in_bad, self.failing_ids("bad"))
        self.assertEqual({cid for cid, row in cells.items() if row["good"] == "fail"}, set())
        # The differing rows are marked; the totals row sums each column.
        differs = {r.attrs["id"][5:] for r in dom.elements("tr") if "differs" in r.attrs.get("class", "").split()}
        self.assertTrue(failing_in_bad <= differs)
        failed = [r for r in dom.elements("tr") if r.attrs.get("data-count") == "failed"][0]
        totals = {td.attrs["data-target"]: int(td.text()) for td in failed.children if td.tag == "td"}
        self.assertEqual(totals, {"good": 0, "bad": self.reports["bad"]["summary"]["failed"]})
        # Each column links to its target's report.
        links = {a.attrs["href"] for a in dom.elements("a")}
        self.assertIn("report.bad.html", links)
        # ?differ=1 shows only the rows where the targets differ.
        dom = Dom(chromium_dom(os.path.join(self.out, "matrix.html"), "?differ=1"))
        shown = {r.attrs["id"][5:] for r in dom.elements("tr") if "data-verdicts" in r.attrs and "hidden" not in r.attrs}
        self.assertEqual(shown, differs)

    def test_the_markdown_matrix_fails_the_defects_cases_in_its_column_only(self):
        with open(os.path.join(self.out, "matrix.md"), encoding="utf-8") as f:
            text = f.read()
        self.assertLess(len(text), 65536)
        self.assertIn("| case | level | good | bad |", text)
        rows = {}
        for line in text.splitlines():
            if line.startswith("| `"):
                parts = [p.strip() for p in line.strip("|").split("|")]
                rows.setdefault(parts[0].strip("`"), parts[2:])
        self.assertEqual({cid for cid, (g, b) in rows.items() if b == "**fail**"}, self.failing_ids("bad"))
        self.assertEqual({cid for cid, (g, b) in rows.items() if g == "**fail**"}, set())
        self.assertIn("| **totals** |", text)

    def test_the_console_summarises_each_target(self):
        self.assertIn("== good: ", self.stdout)
        self.assertIn("== bad: ", self.stdout)

    def test_a_baseline_waives_known_failures_in_every_target(self):
        known = sorted(self.failing_ids("bad"))
        folder = tempfile.mkdtemp(dir=self.tmp.name)
        baseline = os.path.join(folder, "baseline.json")
        with open(baseline, "w") as f:
            json.dump({"version": 1, "waivers": [{"case": cid, "reason": "known"} for cid in known]}, f)
        with harness.RefServer() as good, harness.RefServer(DEFECT) as bad:
            targets = write_targets(folder, [{"name": "good", "url": good.url()}, {"name": "bad", "url": bad.url()}])
            code, out, err = run(["--targets", targets, "--baseline", baseline, "--case", known[0],
                                  "--json", folder + "/r.json", "--matrix-markdown", folder + "/m.md"])
        self.assertEqual(code, 0, out + err)
        self.assertEqual(load_json(folder + "/r.bad.json")["summary"]["waived"], 1)
        self.assertEqual([w["case"] for w in load_json(folder + "/r.good.json")["stale_waivers"]], known)
        with open(folder + "/m.md", encoding="utf-8") as f:
            self.assertIn("| `%s` | " % known[0], f.read())


def exit_codes(stdout):
    """{target: exit code} from the console's "Targets:" lines."""
    codes = {}
    lines = stdout.splitlines()
    start = lines.index("Targets:")
    for line in lines[start + 1:]:
        parts = line.split()
        if len(parts) >= 3 and parts[1] == "exit":
            codes[parts[0]] = int(parts[2])
    return codes


class TargetsFileTest(unittest.TestCase):
    """Bad targets files are usage errors naming the file and the field; the exit code order."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def expect_usage_error(self, targets, *words):
        path = write_targets(self.tmp.name, targets)
        code, out, err = run(["--targets", path, "--case", "ws.handshake.baseline"], timeout=60)
        self.assertEqual(code, 2, out + err)
        self.assertIn(path, err)
        for word in words:
            self.assertIn(word, err)

    def test_duplicate_names(self):
        self.expect_usage_error([{"name": "a", "url": "ws://127.0.0.1:1/"}, {"name": "a", "url": "ws://127.0.0.1:2/"}],
                                "targets[1].name", '"a"')

    def test_a_name_unfit_for_a_file_name(self):
        self.expect_usage_error([{"name": "../up", "url": "ws://127.0.0.1:1/"}], "targets[0].name")

    def test_an_unknown_member(self):
        self.expect_usage_error([{"name": "a", "url": "ws://127.0.0.1:1/", "colour": "red"}], "targets[0]")

    def test_no_url_and_no_profile(self):
        self.expect_usage_error([{"name": "a"}], "targets[0]", "url")

    def test_a_bad_url_names_the_target(self):
        self.expect_usage_error([{"name": "edge", "url": "gopher://x/"}], 'target "edge"')

    def test_a_missing_profile_names_the_target(self):
        self.expect_usage_error([{"name": "edge", "profile": "nowhere.json"}], 'target "edge"', "nowhere.json")

    def test_a_url_beside_targets_is_refused(self):
        path = write_targets(self.tmp.name, [{"name": "a", "url": "ws://127.0.0.1:1/"}])
        code, out, err = run(["--targets", path, "ws://127.0.0.1:1/"], timeout=60)
        self.assertEqual(code, 2, out + err)

    def test_an_unreachable_target_outranks_a_failing_one(self):
        with harness.RefServer(DEFECT) as bad:
            path = write_targets(self.tmp.name, [
                {"name": "bad", "url": bad.url()},
                {"name": "gone", "url": "ws://127.0.0.1:%d/ws" % harness.closed_port()}])
            json_path = os.path.join(self.tmp.name, "r.json")
            code, out, err = run(["--targets", path, "--json", json_path], timeout=300)
        self.assertEqual(code, 3, out + err)
        self.assertEqual(exit_codes(out), {"bad": 1, "gone": 3})
        self.assertTrue(load_json(os.path.join(self.tmp.name, "r.gone.json"))["target_problem"])


class InterruptedTargetsTest(unittest.TestCase):
    """SIGINT during a multi-target run: every target's reports and the matrix are written."""

    def test_every_report_is_written(self):
        with FakeServer(silent) as one, FakeServer(silent) as two, tempfile.TemporaryDirectory() as tmp:
            path = write_targets(tmp, [{"name": "one", "url": one.url()}, {"name": "two", "url": two.url()}])
            o = tmp + "/"
            proc = subprocess.Popen([harness.UPGRADESPEC, "--targets", path, "--timeout", "5", "--jobs", "2",
                                     "--json", o + "r.json", "--junit", o + "j.xml", "--html", o + "r.html",
                                     "--markdown", o + "r.md", "--matrix-html", o + "m.html",
                                     "--matrix-markdown", o + "m.md"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                time.sleep(2)  # both probes answered; the cases now wait on silent servers
                proc.send_signal(signal.SIGINT)
                out, err = proc.communicate(timeout=30)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=5)
            self.assertEqual(proc.returncode, 130, err.decode(errors="replace"))
            for name in ("one", "two"):
                with self.subTest(target=name):
                    report = load_json(o + "r.%s.json" % name)
                    harness.validate_report(report)
                    self.assertTrue(report["interrupted"])
                    with open(o + "j.%s.xml" % name, "rb") as f:
                        xml.dom.minidom.parseString(f.read())
                    for kind in ("html", "md"):
                        self.assertTrue(os.path.getsize(o + "r.%s.%s" % (name, kind)) > 0)
            with open(o + "m.md", encoding="utf-8") as f:
                self.assertIn("interrupted (exit 130)", f.read())
            with open(o + "m.html", encoding="utf-8") as f:
                self.assertIn("interrupted", f.read())


if __name__ == "__main__":
    unittest.main()
