"""The command line as the README documents it: version, help, listing and selection, usage and
catalogue errors, an unreachable target, --strict, colour, --suite, -H and --jobs."""
import fnmatch
import glob
import json
import os
import pty
import re
import select
import socket
import subprocess
import tempfile
import time
import unittest

import harness

LIST_LINE = re.compile(r"^(\S+)  (MUST|SHOULD|MAY)  ([A-Z0-9]+(?:-[A-Z0-9]+)+)  (\S.*)$")
ANSI = "\x1b["

# A vendor's own case: a raw GET of the plain resource must get a 200.
VENDOR_CASE = {
    "id": "vendor.plain.get-200",
    "title": "A raw GET of the plain resource is answered with 200",
    "requirement": "VER-RESP-VERSION",
    "refs": ["RFC9110 6.2"],
    "level": "MUST",
    "tags": ["vendor"],
    "send": {"raw": "GET {plain_path} HTTP/1.1\r\nHost: {authority}\r\n\r\n"},
    "outcomes": [{"verdict": "pass", "when": {"status": 200}}],
    "otherwise": {"verdict": "fail", "why": "the plain resource did not answer 200"},
}


def cli(*args, env=None, timeout=60):
    """Runs upgradespec without reports; returns the CompletedProcess with text output."""
    done = subprocess.run([harness.UPGRADESPEC, *args], capture_output=True, timeout=timeout, env=env)
    done.stdout, done.stderr = done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    return done


def write_case_file(folder, *cases, name="vendor.json"):
    path = os.path.join(folder, name)
    with open(path, "w") as out:
        json.dump({"family": "vendor", "title": "a vendor's own cases", "cases": list(cases)}, out)
    return path


def builtin_cases():
    """Every case of the shipped catalogue, as written in suite/*.json."""
    cases = []
    for path in sorted(glob.glob(os.path.join(harness.SOURCE, "suite", "*.json"))):
        with open(path) as f:
            cases += json.load(f).get("cases", [])
    return cases


def with_dependencies(ids, cases):
    """`ids` plus every case they depend on, transitively."""
    depends = {c["id"]: c.get("depends_on", []) for c in cases}
    result, todo = set(), list(ids)
    for _ in range(10000):  # bounded: the catalogue is far smaller
        if not todo:
            break
        case_id = todo.pop()
        if case_id not in result:
            result.add(case_id)
            todo += depends[case_id]
    return result


def listed(stdout):
    """[(id, level, requirement, title)] from --list output; fails on a malformed line."""
    rows = []
    for line in stdout.splitlines():
        match = LIST_LINE.match(line)
        if not match:
            raise AssertionError("not a list line: %r" % line)
        rows.append(match.groups())
    return rows


def run_on_tty(args, env, timeout=60):
    """Runs upgradespec with stdout on a pseudo-terminal; returns (exit code, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([harness.UPGRADESPEC, *args], stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
        return proc.wait(timeout=10), output.decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(master)


def env_with(**changes):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update(changes)
    return env


class VersionAndHelp(unittest.TestCase):
    def test_version(self):
        done = cli("--version")
        self.assertEqual(done.returncode, 0)
        self.assertRegex(done.stdout.strip(), r"^upgradespec \d+\.\d+\.\d+$")

    def test_help_shows_examples_and_exit_codes(self):
        done = cli("--help")
        self.assertEqual(done.returncode, 0)
        self.assertIn("Examples:", done.stdout)
        self.assertIn("upgradespec ws://", done.stdout)
        self.assertIn("Exit codes:", done.stdout)
        for code in ("0 every selected case passed", "1 conformance", "2 usage", "3 the target",
                     "4 no case selected"):
            self.assertIn(code, " ".join(done.stdout.split()))


class Listing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with harness.RefServer() as server:
            cls.real = harness.run_cli(server.url(), "--echo")
        cls.catalogue = builtin_cases()

    def test_list_prints_one_line_per_case_matching_a_real_run(self):
        done = cli("--list")
        self.assertEqual(done.returncode, 0, done.stderr)
        rows = listed(done.stdout)
        self.assertEqual([r[0] for r in rows], [c["id"] for c in self.real.report["cases"]])
        by_id = self.real.cases()
        for case_id, level, requirement, title in rows:
            case = by_id[case_id]
            self.assertEqual((level, requirement, title), (case["level"], case["requirement"], case["title"]))

    def test_list_opens_no_connection(self):
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            url = "ws://127.0.0.1:%d/ws" % listener.getsockname()[1]
            done = cli(url, "--list")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertGreater(len(listed(done.stdout)), 0)
            listener.settimeout(0.3)  # the run is over: a connection would already be queued
            with self.assertRaises(socket.timeout):
                listener.accept()[0].close()

    def assert_lists(self, args, matching):
        done = cli("--list", *args)
        self.assertEqual(done.returncode, 0, done.stderr)
        chosen = {c["id"] for c in self.catalogue if matching(c)}
        self.assertTrue(chosen, "the selection %s matches no built-in case" % (args,))
        got = [r[0] for r in listed(done.stdout)]
        self.assertEqual(len(got), len(set(got)))
        self.assertEqual(set(got), with_dependencies(chosen, self.catalogue))

    def test_case_glob(self):
        self.assert_lists(["--case", "ws.key.*"], lambda c: fnmatch.fnmatchcase(c["id"], "ws.key.*"))

    def test_case_glob_brings_its_dependencies(self):
        self.assert_lists(["--case", "wsf.ping-pong"], lambda c: c["id"] == "wsf.ping-pong")
        done = cli("--list", "--case", "wsf.ping-pong")
        self.assertIn("ws.handshake.baseline", [r[0] for r in listed(done.stdout)])

    def test_tag(self):
        self.assert_lists(["--tag", "426"], lambda c: "426" in c.get("tags", []))

    def test_level(self):
        self.assert_lists(["--level", "SHOULD"], lambda c: c["level"] == "SHOULD")

    def test_glob_matching_nothing_exits_4(self):
        done = cli("--list", "--case", "no.such.case*")
        self.assertEqual(done.returncode, 4)
        self.assertEqual(done.stdout.strip(), "")

    def test_glob_matching_nothing_with_a_url_exits_4_and_writes_reports(self):
        run = harness.run_cli("ws://127.0.0.1:%d/ws" % harness.closed_port(), "--case", "no.such.case*")
        self.assertEqual(run.code, 4, run.stderr)
        self.assertIsNotNone(run.report)
        harness.validate_report(run.report)
        self.assertEqual(run.report["cases"], [])
        self.assertEqual(len(harness.junit_testcases(run.junit)), 0)

    def test_options_before_the_url_leave_the_url_alone(self):
        # The README's own form: `upgradespec --case 'ws.version.*' ws://host/chat`.
        url = "ws://127.0.0.1:%d/ws" % harness.closed_port()
        with tempfile.TemporaryDirectory() as folder:
            write_case_file(folder, VENDOR_CASE)
            for before in (["--case", "no.such.case*"], ["--tag", "no-such-tag"],
                           ["--case", "no.such.case*", "-H", "X-Test: 1"],
                           ["--case", "no.such.case*", "--suite", folder],
                           ["--case", "no.such.case*", "--level", "MAY"]):
                with self.subTest(options=before):
                    done = cli(*before, url)
                    self.assertEqual(done.returncode, 4, done.stderr)


class UsageErrors(unittest.TestCase):
    def assert_usage_error(self, args, *words):
        done = cli(*args)
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        for word in words:
            self.assertIn(word, done.stderr)

    def test_no_url(self):
        self.assert_usage_error([], "no target URL")

    def test_tls_settings_are_checked_before_anything_is_sent(self):
        self.assert_usage_error(["--cacert", "/nonexistent/ca.pem", "wss://127.0.0.1:1/ws"],
                                "--cacert /nonexistent/ca.pem", "cannot be read")
        self.assert_usage_error(["--key", "/nonexistent/k.pem", "https://127.0.0.1:1/"],
                                "--cert and --key go together")
        self.assert_usage_error(["--alpn", ",", "wss://127.0.0.1:1/ws"], "--alpn")
        self.assert_usage_error(["--tls-required-path", "secure", "ws://127.0.0.1:1/ws"],
                                "--tls-required-path", "starts with /")

    def test_resolve_must_name_the_target(self):
        self.assert_usage_error(["--resolve", "other:80:127.0.0.1", "ws://127.0.0.1:1/ws"],
                                "--resolve", "the target is 127.0.0.1:1")
        self.assert_usage_error(["--resolve", "127.0.0.1:1", "ws://127.0.0.1:1/ws"], "HOST:PORT:ADDR")

    def test_unknown_scheme(self):
        self.assert_usage_error(["ftp://127.0.0.1:1/"], "unknown scheme", "ftp")

    def test_bad_port(self):
        self.assert_usage_error(["ws://127.0.0.1:99999/ws"], "port", "99999")
        self.assert_usage_error(["ws://127.0.0.1:http/ws"], "port", "http")

    def test_unknown_option(self):
        self.assert_usage_error(["ws://127.0.0.1:1/ws", "--no-such-option"], "--no-such-option")

    def test_header_without_colon(self):
        self.assert_usage_error(["ws://127.0.0.1:1/ws", "-H", "NoColonHere"], "NoColonHere", "Name: value")


class CatalogueErrors(unittest.TestCase):
    def assert_catalogue_error(self, write, *words):
        with tempfile.TemporaryDirectory() as folder:
            path = write(folder)
            done = cli("ws://127.0.0.1:%d/ws" % harness.closed_port(), "--suite", folder)
        self.assertEqual(done.returncode, 2, done.stdout + done.stderr)
        self.assertIn(path, done.stderr)
        for word in words:
            self.assertIn(word, done.stderr)

    def test_missing_title(self):
        case = {k: v for k, v in VENDOR_CASE.items() if k != "title"}
        self.assert_catalogue_error(lambda d: write_case_file(d, case), VENDOR_CASE["id"], "title")

    def test_wrong_level(self):
        case = dict(VENDOR_CASE, level="MUSTNT")
        self.assert_catalogue_error(lambda d: write_case_file(d, case), VENDOR_CASE["id"], "level")

    def test_duplicate_of_a_builtin_id(self):
        case = dict(VENDOR_CASE, id="ws.handshake.baseline")
        self.assert_catalogue_error(lambda d: write_case_file(d, case), "ws.handshake.baseline", "id")

    def test_unknown_requirement(self):
        case = dict(VENDOR_CASE, requirement="NO-SUCH-REQUIREMENT")
        self.assert_catalogue_error(lambda d: write_case_file(d, case), VENDOR_CASE["id"],
                                    "field requirement", "NO-SUCH-REQUIREMENT")

    def test_invalid_json(self):
        def write(folder):
            path = os.path.join(folder, "broken.json")
            with open(path, "w") as out:
                out.write('{"family": "vendor", "cases": [ {')
            return path

        self.assert_catalogue_error(write, "JSON")


class Requirements(unittest.TestCase):
    """`upgradespec requirements` and `explain ID` read the product's own catalogue
    (suite/requirements.json): the lines, the JSON records and one requirement's explanation
    agree with each other and with the cases that name it."""

    @classmethod
    def setUpClass(cls):
        done = cli("requirements", "--json")
        cls.records = json.loads(done.stdout)["requirements"]
        cls.by_id = {r["id"]: r for r in cls.records}

    def test_one_line_per_requirement_with_its_level_sections_and_title(self):
        done = cli("requirements")
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = done.stdout.splitlines()
        self.assertEqual(len(lines), len(self.records))
        for line, record in zip(lines, self.records):
            expected = "  ".join([record["id"], record["level"], ", ".join(record["sections"]),
                                  record["title"]])
            self.assertEqual(line, expected)

    def test_the_json_records_are_whole(self):
        self.assertGreaterEqual(len(self.records), 100)
        for record in self.records:
            self.assertLessEqual({"id", "level", "sections", "title", "rule", "grading"}, set(record))
            self.assertIn("pass", record["grading"])

    def test_explain_a_requirement_shows_its_rule_grading_and_cases(self):
        record = self.by_id["WS-ACCEPT"]
        done = cli("explain", "WS-ACCEPT")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue(done.stdout.startswith("WS-ACCEPT: " + record["title"]), done.stdout)
        self.assertIn(record["rule"], done.stdout)
        for verdict, meaning in record["grading"].items():
            self.assertIn("%s: %s" % (verdict, meaning), done.stdout)
        naming = [c["id"] for c in builtin_cases() if c["requirement"] == "WS-ACCEPT"]
        self.assertIn("cases (%d):" % len(naming), done.stdout)
        for case_id in naming:
            self.assertIn(case_id, done.stdout)

    def test_explain_an_unknown_id_is_a_usage_error(self):
        done = cli("explain", "NO-SUCH-ID")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("NO-SUCH-ID", done.stderr)


class UnreachableTarget(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.address = "127.0.0.1:%d" % harness.closed_port()
        cls.run_ = harness.run_cli("ws://%s/ws" % cls.address, "--timeout", "1", timeout=120)

    def test_exit_3_and_both_reports_written(self):
        self.assertEqual(self.run_.code, 3, self.run_.stderr)
        harness.validate_report(self.run_.report)
        self.assertEqual(len(harness.junit_testcases(self.run_.junit)), len(self.run_.report["cases"]))

    def test_every_case_is_an_error_or_skipped(self):
        verdicts = {c["id"]: c["verdict"] for c in self.run_.report["cases"]}
        self.assertIn("error", verdicts.values())
        self.assertEqual({i: v for i, v in verdicts.items() if v not in ("error", "skip")}, {})

    def test_the_target_is_named_as_the_problem(self):
        problem = self.run_.report["target_problem"]
        self.assertIsNotNone(problem)
        self.assertIn(self.address, problem)
        self.assertIn("could not be reached", self.run_.stdout)
        self.assertIn(self.address, self.run_.stdout)


class Strict(unittest.TestCase):
    def test_strict_turns_a_should_miss_into_exit_1(self):
        with harness.RefServer("426-empty-body") as server:
            lenient = harness.run_cli(server.url(), "--echo")
            strict = harness.run_cli(server.url(), "--echo", "--strict")
        self.assertEqual(lenient.code, 0, lenient.stdout[-2000:])
        self.assertEqual(lenient.cases()["upg.426.body"]["verdict"], "warn")
        self.assertEqual(strict.code, 1, strict.stdout[-2000:])
        self.assertEqual(strict.cases()["upg.426.body"]["verdict"], "fail")
        self.assertEqual(strict.cases()["upg.426.body"]["raw_verdict"], "warn")
        self.assertTrue(strict.report["strict"])


class UnclaimedH2c(unittest.TestCase):
    """The cases after an h2c switch judge any server that switches, claimed or not (the passing
    side is test_conformance.WithoutH2cClaim)."""

    def test_without_the_claim_a_broken_h2c_connection_fails(self):
        with harness.RefServer("h2c-window-update-first") as server:
            run = harness.run_cli("--case", "h2c.*", server.url())
        self.assertEqual(run.cases()["h2c.upgrade.baseline"]["verdict"], "skip")  # needs the claim
        self.assertEqual(run.code, 1, run.stdout[-2000:])
        self.assertEqual(run.cases()["h2c.preface.server-settings-first"]["verdict"], "fail")


class Colour(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.RefServer("426-empty-body")  # warnings too, so more marks are drawn
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_a_terminal_gets_colour(self):
        # The control for the two tests below: colour exists and the detection can see it.
        code, output = run_on_tty([self.server.url(), "--echo"], env_with())
        self.assertEqual(code, 0, output[-2000:])
        self.assertIn(ANSI, output)

    def test_no_colour_when_stdout_is_not_a_terminal(self):
        done = cli(self.server.url(), "--echo", env=env_with())
        self.assertEqual(done.returncode, 0)
        self.assertNotIn("\x1b", done.stdout + done.stderr)

    def test_no_colour_with_no_color_on_a_terminal(self):
        code, output = run_on_tty([self.server.url(), "--echo"], env_with(NO_COLOR="1"))
        self.assertEqual(code, 0, output[-2000:])
        self.assertIn("passed", output)
        self.assertNotIn("\x1b", output)


class AgainstRefserver(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.RefServer()
        cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_suite_dir_adds_a_passing_case(self):
        with tempfile.TemporaryDirectory() as folder:
            write_case_file(folder, VENDOR_CASE)
            run = harness.run_cli(self.server.url(), "--echo", "--suite", folder)
        self.assertEqual(run.code, 0, run.stdout[-2000:])
        case = run.cases().get(VENDOR_CASE["id"])
        self.assertIsNotNone(case, "the --suite case did not run")
        self.assertEqual(case["verdict"], "pass")
        self.assertEqual(len(run.report["cases"]), len(builtin_cases()) + 1)

    def test_extra_header_goes_into_templated_requests_only(self):
        with tempfile.TemporaryDirectory() as folder:
            write_case_file(folder, VENDOR_CASE)
            run = harness.run_cli(self.server.url(), "--echo", "--suite", folder, "-H", "X-Test: 1")
        # HTTP/2 cases (an "h2" list instead of "send") send no HTTP/1.1 request.
        sends = {c["id"]: c.get("send", {}) for c in builtin_cases() + [VENDOR_CASE]}
        raw = templated = 0
        for case_id, case in run.cases().items():
            sent = [e for e in case["transcript"] if e["direction"] == "sent"]
            if not sent:
                continue
            request = harness.event_bytes(sent[0])
            head = request.split(b"\r\n\r\n")[0] + b"\r\n"
            with self.subTest(case=case_id):
                if "raw" in sends[case_id]:
                    raw += 1
                    self.assertNotIn(b"X-Test", request)
                else:
                    templated += 1
                    self.assertIn(b"\r\nX-Test: 1\r\n", head)
        self.assertGreater(raw, 0)
        self.assertGreater(templated, 0)

    def test_credentials_are_redacted_unless_asked_to_show_them(self):
        secret = "Bearer s3cret-token-%d" % os.getpid()
        args = ("--case", "ws.handshake.baseline", "--verbose", "-H", "Authorization: " + secret)
        hidden = harness.run_cli(self.server.url(), *args)
        shown = harness.run_cli(self.server.url(), "--show-secrets", *args)
        sent = lambda run: b"".join(harness.event_bytes(e) for c in run.report["cases"]
                                    for e in c["transcript"] if e["direction"] == "sent")
        self.assertIn(b"Authorization: <redacted>", sent(hidden))
        for text in (sent(hidden), hidden.junit, json.dumps(hidden.report).encode(), hidden.stdout.encode()):
            self.assertNotIn(b"s3cret-token", text)
        self.assertIn(secret.encode(), sent(shown))

    def test_resolve_connects_to_the_address_and_keeps_the_host(self):
        port = self.server.address.rsplit(":", 1)[1]
        url = "ws://upgradespec.invalid:%s/ws" % port
        run = harness.run_cli("--case", "ws.handshake.baseline", "--resolve",
                              "upgradespec.invalid:%s:127.0.0.1" % port, url)
        self.assertEqual(run.code, 0, run.stdout + run.stderr)
        sent = harness.event_bytes(run.cases()["ws.handshake.baseline"]["transcript"][0])
        self.assertIn(b"\r\nHost: upgradespec.invalid:%s\r\n" % port.encode(), sent)

    def test_jobs_do_not_change_verdicts(self):
        verdicts = {}
        for jobs in ("1", "16"):
            run = harness.run_cli(self.server.url(), "--echo", "--jobs", jobs)
            verdicts[jobs] = {c["id"]: c["verdict"] for c in run.report["cases"]}
        self.assertEqual(verdicts["1"], verdicts["16"])
        self.assertEqual(len(verdicts["1"]), len(builtin_cases()))

    def test_jobs_do_not_change_verdicts_against_a_defect(self):
        verdicts = {}
        with harness.RefServer("no-pong", "426-empty-body") as server:
            for jobs in ("1", "16"):
                run = harness.run_cli(server.url(), "--echo", "--jobs", jobs, "--timeout", "1")
                verdicts[jobs] = {c["id"]: c["verdict"] for c in run.report["cases"]}
        self.assertGreater(len(set(verdicts["1"].values())), 1)  # a mix, not all passes
        self.assertEqual(verdicts["1"], verdicts["16"])


if __name__ == "__main__":
    unittest.main()
