"""The CI gate against the real refserver: baselines (waivers), --update-baseline, --shard with
merge, and compare. A refserver defect gives real failures to waive, shard and compare."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import xml.dom.minidom

import harness

BASELINE_SCHEMA = os.path.join(harness.SOURCE, "suite", "schema", "baseline.schema.json")


def cli(*args, timeout=300):
    """Runs upgradespec; returns the CompletedProcess with text output."""
    done = subprocess.run([harness.UPGRADESPEC, *args], capture_output=True, timeout=timeout)
    done.stdout, done.stderr = done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace")
    return done


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, document):
    with open(path, "w") as f:
        json.dump(document, f, indent=2)
    return path


def verdicts(report):
    return {c["id"]: c["verdict"] for c in report["cases"]}


def failing(report):
    """Ids of the cases that fail (effective verdict fail) in a report."""
    return {c["id"] for c in report["cases"] if c["verdict"] == "fail"}


def validate_baseline(document):
    import jsonschema

    jsonschema.Draft7Validator(load(BASELINE_SCHEMA)).validate(document)


def a_defect():
    """A refserver defect that needs no certificate: it breaks some cases of a full run."""
    return next(name for name, _, _ in harness.list_defects() if not harness.is_tls_defect(name))


class Gate(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="gate-")
        cls.defect = a_defect()
        cls.good_server = harness.RefServer().__enter__()
        cls.bad_server = harness.RefServer(cls.defect).__enter__()
        cls.good_url, cls.bad_url = cls.good_server.url(), cls.bad_server.url()
        # The defect's failures, recorded as the first baseline.
        cls.bad_report_path, cls.baseline_path = cls.path("bad.json"), cls.path("baseline.json")
        cls.bad_run = cli(*harness.FULL_RUN, "--json", cls.bad_report_path,
                          "--update-baseline", cls.baseline_path, cls.bad_url)
        cls.good_report_path = cls.path("good.json")
        cls.good_run = cli(*harness.FULL_RUN, "--json", cls.good_report_path, cls.good_url)

    @classmethod
    def tearDownClass(cls):
        cls.good_server.stop()
        cls.bad_server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @classmethod
    def path(cls, name):
        return os.path.join(cls.tmp, name)

    def run_against(self, url, *args):
        """A full run with JSON and JUnit reports: (process, report, junit text)."""
        report, junit = self.path("run.json"), self.path("run.xml")
        for stale in (report, junit):
            if os.path.exists(stale):
                os.remove(stale)
        done = cli(*harness.FULL_RUN, "--json", report, "--junit", junit, *args, url)
        with open(junit, "rb") as f:
            junit_text = f.read()
        document = load(report)
        harness.validate_report(document)
        return done, document, junit_text

    # The recorded baseline itself.

    def test_the_defect_fails_and_its_failures_become_the_baseline(self):
        self.assertEqual(self.bad_run.returncode, 1, self.bad_run.stdout[-2000:])
        self.assertEqual(self.good_run.returncode, 0, self.good_run.stdout[-2000:])
        baseline = load(self.baseline_path)
        validate_baseline(baseline)
        bad = load(self.bad_report_path)
        self.assertTrue(failing(bad))
        self.assertEqual({w["case"] for w in baseline["waivers"]}, failing(bad))
        for w in baseline["waivers"]:
            self.assertIn("recorded by upgradespec --update-baseline on ", w["reason"])

    # --baseline

    def test_baseline_waives_known_failures(self):
        done, report, junit = self.run_against(self.bad_url, "--baseline", self.baseline_path)
        self.assertEqual(done.returncode, 0, done.stdout[-3000:] + done.stderr)
        known = failing(load(self.bad_report_path))
        self.assertEqual(report["summary"]["waived"], len(known))
        self.assertEqual(report["summary"]["failed"], 0)
        for c in report["cases"]:
            if c["id"] in known:
                self.assertEqual(c["verdict"], "fail")
                self.assertEqual(c["waiver"]["status"], "waived")
        self.assertIn("Waived (known failures in the baseline)", done.stdout)
        self.assertEqual(report["stale_waivers"], [])
        # JUnit consumers count a waived failure as skipped, not failed.
        suites = xml.dom.minidom.parseString(junit).documentElement
        self.assertEqual(suites.getAttribute("failures"), "0")
        waived = [t for t in harness.junit_testcases(junit)
                  if t.getAttribute("name").split(":")[0] in known]
        self.assertEqual(len(waived), len(known))
        for t in waived:
            self.assertEqual(t.getElementsByTagName("failure"), [])
            skipped = t.getElementsByTagName("skipped")
            self.assertEqual(len(skipped), 1)
            self.assertTrue(skipped[0].getAttribute("message").startswith("waived: "))

    def test_a_new_failure_fails_the_run(self):
        baseline = load(self.baseline_path)
        dropped = baseline["waivers"].pop(0)["case"]
        path = save(self.path("one-less.json"), baseline)
        done, report, _ = self.run_against(self.bad_url, "--baseline", path)
        self.assertEqual(done.returncode, 1, done.stdout[-3000:])
        self.assertEqual(report["summary"]["failed"], 1)
        case = harness.Run(0, "", "", report, b"").cases()[dropped]
        self.assertEqual(case["verdict"], "fail")
        self.assertNotIn("waiver", case)
        self.assertIn("FAIL  " + dropped, done.stdout)

    def test_an_expired_waiver_fails_the_run(self):
        baseline = load(self.baseline_path)
        expired = baseline["waivers"][0]
        expired["expires"], expired["reason"] = "2001-02-03", "fixed by the next release"
        path = save(self.path("expired.json"), baseline)
        done, report, _ = self.run_against(self.bad_url, "--baseline", path)
        self.assertEqual(done.returncode, 1, done.stdout[-3000:])
        case = harness.Run(0, "", "", report, b"").cases()[expired["case"]]
        self.assertEqual(case["waiver"]["status"], "expired")
        self.assertEqual(case["waiver"]["expires"], "2001-02-03")
        said = [f["message"] for f in case["findings"] if f["rule"] == "baseline.waiver-expired"]
        self.assertEqual(len(said), 1)
        self.assertIn("expired on 2001-02-03", said[0])
        self.assertIn("fixed by the next release", said[0])
        self.assertIn("expired on 2001-02-03", done.stdout)
        self.assertEqual(report["summary"]["waived"], len(baseline["waivers"]) - 1)

    def test_a_waiver_whose_case_passes_or_is_gone_is_stale(self):
        baseline = load(self.baseline_path)
        baseline["waivers"].append({"case": "no.such.case", "reason": "renamed long ago"})
        path = save(self.path("stale.json"), baseline)
        done, report, _ = self.run_against(self.good_url, "--baseline", path)
        self.assertEqual(done.returncode, 0, done.stdout[-3000:])
        stale = {w["case"]: w["why"] for w in report["stale_waivers"]}
        expected = {w["case"]: "passes" for w in baseline["waivers"]}
        expected["no.such.case"] = "not-in-run"
        self.assertEqual(stale, expected)
        self.assertIn("Stale waivers", done.stdout)
        self.assertIn("STALE  no.such.case  no such case in this run", done.stdout)

    def test_update_baseline_keeps_reasons_that_still_hold(self):
        baseline = load(self.baseline_path)
        kept = baseline["waivers"][0]
        kept["reason"], kept["expires"] = "vendor ticket 42", "2999-12-31"
        expired = baseline["waivers"][-1]
        expired["expires"] = "2001-01-01"
        baseline["waivers"].append({"case": "no.such.case", "reason": "gone"})
        given, written = save(self.path("given.json"), baseline), self.path("updated.json")
        done, _, _ = self.run_against(self.bad_url, "--baseline", given,
                                      "--update-baseline", written)
        self.assertEqual(done.returncode, 1)  # the expired waiver's failure counts
        updated = load(written)
        validate_baseline(updated)
        by_case = {w["case"]: w for w in updated["waivers"]}
        self.assertEqual(set(by_case), failing(load(self.bad_report_path)))  # stale one dropped
        self.assertEqual(by_case[kept["case"]]["reason"], "vendor ticket 42")
        self.assertEqual(by_case[kept["case"]]["expires"], "2999-12-31")
        self.assertIn("expired on 2001-01-01", by_case[expired["case"]]["reason"])
        self.assertNotIn("expires", by_case[expired["case"]])
        # The written baseline waives the run again.
        again, _, _ = self.run_against(self.bad_url, "--baseline", written)
        self.assertEqual(again.returncode, 0, again.stdout[-3000:])

    def test_a_bad_baseline_is_a_usage_error_naming_file_and_field(self):
        path = save(self.path("bad-baseline.json"),
                    {"version": 1, "waivers": [{"case": "x", "reason": "r", "expires": "2024-13-01"}]})
        done = cli("--baseline", path, self.good_url)
        self.assertEqual(done.returncode, 2)
        self.assertIn(path, done.stderr)
        self.assertIn("field waivers[0].expires", done.stderr)
        self.assertEqual(done.stdout, "")  # nothing was sent

    # --shard and merge

    def shard_reports(self, url, count, *extra, prefix="shard"):
        paths = []
        for index in range(1, count + 1):
            path = self.path("%s-%d.json" % (prefix, index))
            done = cli(*harness.FULL_RUN, *extra, "--shard", "%d/%d" % (index, count),
                       "--json", path, url)
            self.assertIn(done.returncode, (0, 1), done.stderr)
            report = load(path)
            harness.validate_report(report)
            self.assertEqual(report["shard"], {"index": index, "count": count})
            paths.append(path)
        return paths

    def test_shards_partition_the_run_and_merge_into_it(self):
        whole = load(self.bad_report_path)
        paths = self.shard_reports(self.bad_url, 3)
        shards = [load(p) for p in paths]
        ids = [c["id"] for s in shards for c in s["cases"]]
        self.assertEqual(len(ids), len(set(ids)))  # disjoint
        self.assertEqual(set(ids), set(verdicts(whole)))  # together: the selection
        for s in shards:
            self.assertEqual(s["selection_size"], len(whole["cases"]))
            self.assertEqual(s["catalogue_fingerprint"], whole["catalogue_fingerprint"])
            # Balanced: a case's shard is a hash of its own id (its dependencies run along).
            self.assertLessEqual(len(s["cases"]), 2 * len(whole["cases"]) // 3)

        merged_json, merged_junit = self.path("merged.json"), self.path("merged.xml")
        done = cli("merge", *reversed(paths), "--json", merged_json, "--junit", merged_junit)
        self.assertEqual(done.returncode, 1, done.stderr)  # the defect's failures: the run's code
        merged = load(merged_json)
        harness.validate_report(merged)
        self.assertEqual(verdicts(merged), verdicts(whole))
        self.assertIsNone(merged["shard"])
        self.assertEqual(merged["summary"], whole["summary"])
        with open(merged_junit, "rb") as f:
            self.assertEqual(len(harness.junit_testcases(f.read())), len(whole["cases"]))
        self.assertIn("%d failed" % (whole["summary"]["failed"] + whole["summary"]["errors"]),
                      done.stdout)

    def test_merge_with_baseline_shards_keeps_waivers_and_stale_ones(self):
        baseline = load(self.baseline_path)
        baseline["waivers"].append({"case": "no.such.case", "reason": "gone"})
        path = save(self.path("shard-baseline.json"), baseline)
        paths = self.shard_reports(self.bad_url, 2, "--baseline", path, prefix="waived")
        merged_json = self.path("merged-waived.json")
        done = cli("merge", *paths, "--json", merged_json)
        self.assertEqual(done.returncode, 0, done.stdout[-2000:] + done.stderr)
        merged = load(merged_json)
        self.assertEqual(merged["summary"]["waived"], len(baseline["waivers"]) - 1)
        self.assertEqual([w["case"] for w in merged["stale_waivers"]], ["no.such.case"])

    def test_merge_refuses_missing_duplicate_and_mismatched_shards(self):
        paths = self.shard_reports(self.good_url, 3, prefix="good")
        done = cli("merge", paths[0], paths[1])
        self.assertEqual(done.returncode, 2)
        self.assertIn("shard 3/3 missing", done.stderr)

        done = cli("merge", paths[0], paths[1], paths[1], paths[2])
        self.assertEqual(done.returncode, 2)
        self.assertIn("%s and %s" % (paths[1], paths[1]), done.stderr)
        self.assertIn("field shard.index", done.stderr)

        other_target = self.shard_reports(self.bad_url, 3, prefix="bad")
        done = cli("merge", paths[0], other_target[1], paths[2])
        self.assertEqual(done.returncode, 2)
        self.assertIn("%s and %s" % (paths[0], other_target[1]), done.stderr)
        self.assertIn("field target", done.stderr)

        lenient = self.path("lenient-2.json")
        args = [a for a in harness.FULL_RUN if a != "--strict"]
        cli(*args, "--shard", "2/3", "--json", lenient, self.good_url)
        done = cli("merge", paths[0], lenient, paths[2])
        self.assertEqual(done.returncode, 2)
        self.assertIn("field strict", done.stderr)

        # Another catalogue: the same suite plus a vendor's case file.
        vendor = os.path.join(self.tmp, "vendor")
        os.makedirs(vendor, exist_ok=True)
        save(os.path.join(vendor, "vendor.json"), {
            "family": "vendor", "title": "a vendor's cases", "cases": [{
                "id": "vendor.get", "title": "GET / answers 200", "requirement": "VER-RESP-VERSION",
                "refs": ["RFC9110 6.2"], "level": "MUST",
                "send": {"raw": "GET / HTTP/1.1\r\nHost: {authority}\r\n\r\n"},
                "outcomes": [{"verdict": "pass", "when": {"status": 200}}],
                "otherwise": {"verdict": "fail", "why": "no 200"}}]})
        grown = self.path("grown-3.json")
        cli(*harness.FULL_RUN, "--suite", vendor, "--shard", "3/3", "--json", grown, self.good_url)
        done = cli("merge", paths[0], paths[1], grown)
        self.assertEqual(done.returncode, 2)
        self.assertIn("field catalogue_fingerprint", done.stderr)

        done = cli("merge", paths[0], self.path("nonexistent.json"), paths[2])
        self.assertEqual(done.returncode, 2)
        self.assertIn("nonexistent.json: cannot be read", done.stderr)

    # compare

    def test_compare_names_regressions_and_fixes(self):
        regressed = failing(load(self.bad_report_path))
        markdown = self.path("compare.md")
        done = cli("compare", self.good_report_path, self.bad_report_path, "--markdown", markdown)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn("Regressions (%d)" % len(regressed), done.stdout)
        for case_id in regressed:
            self.assertIn("  %s  pass -> fail" % case_id, done.stdout)
        with open(markdown) as f:
            text = f.read()
        self.assertIn("regressions found", text)
        for case_id in regressed:
            self.assertIn("`%s`" % case_id, text)

        done = cli("compare", self.bad_report_path, self.good_report_path)
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("Fixes (%d)" % len(regressed), done.stdout)
        self.assertNotIn("Regressions", done.stdout)
        self.assertIn("0 regressions, %d fixes" % len(regressed), done.stdout)

    def test_compare_refuses_unreadable_reports(self):
        broken = self.path("broken.json")
        with open(broken, "w") as f:
            f.write('{"schema_version": 1}')
        done = cli("compare", self.good_report_path, broken)
        self.assertEqual(done.returncode, 2)
        self.assertIn(broken, done.stderr)
        self.assertIn("field", done.stderr)


if __name__ == "__main__":
    unittest.main()
