"""The full catalogue against the conforming refserver: every case passes, reports are valid."""
import json
import os
import unittest
import xml.dom.minidom

import jsonschema

import harness


class ConformingServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with harness.RefServer() as server:
            cls.run_ = harness.run_cli(*harness.FULL_RUN, server.url())

    def test_every_case_passes_and_exit_is_zero(self):
        failing = {i: c["findings"] for i, c in self.run_.cases().items()
                   if not harness.passed(c) and not harness.skipped_for_its_set_up(c)}
        self.assertEqual(failing, {}, self.run_.stdout)
        self.assertEqual(self.run_.code, 0, self.run_.stdout + self.run_.stderr)

    def test_no_case_waited_for_a_deadline(self):
        waited = [i for i, c in self.run_.cases().items() if c["deadline_waits"] != 0]
        self.assertEqual(waited, [])

    def test_catalogue_has_at_least_25_cases(self):
        self.assertGreaterEqual(len(self.run_.report["cases"]), 25)

    def test_json_report_matches_its_schema(self):
        schema = __import__("json").load(open(harness.REPORT_SCHEMA))
        jsonschema.Draft7Validator(schema).validate(self.run_.report)

    def test_junit_is_well_formed_and_counts_every_case(self):
        dom = xml.dom.minidom.parseString(self.run_.junit)
        testcases = dom.getElementsByTagName("testcase")
        self.assertEqual(len(testcases), len(self.run_.report["cases"]))
        self.assertEqual(dom.getElementsByTagName("failure"), [])

    def test_console_ends_with_the_summary_line(self):
        last = self.run_.stdout.strip().splitlines()[-1]
        skipped = sum(harness.skipped_for_its_set_up(c) for c in self.run_.report["cases"])
        self.assertRegex(last, r"^\d+ passed, 0 failed, %d skipped$" % skipped)

    def test_the_report_carries_every_named_requirement_with_its_rule(self):
        with open(os.path.join(harness.SOURCE, "suite", "requirements.json")) as f:
            catalogue = {r["id"]: r for r in json.load(f)["requirements"]}
        named = {c["requirement"] for c in self.run_.report["cases"]}
        named |= {f["requirement"] for c in self.run_.report["cases"] for f in c["findings"]}
        self.assertEqual(set(self.run_.report["requirements"]), named)
        for rid, entry in self.run_.report["requirements"].items():
            self.assertEqual(entry["title"], catalogue[rid]["title"])
            self.assertEqual(entry["rule"], catalogue[rid]["rule"])


class WithoutH2cClaim(unittest.TestCase):
    """h2c is optional (RFC 9113 deprecates it): without --claim h2c the h2c family still passes,
    exactly the cases that need the claim are skipped, and the cases after the switch (which depend
    on one that needs it) judge refserver's unclaimed switch."""

    def test_h2c_cases_pass_or_skip_without_the_claim(self):
        with open(os.path.join(harness.SOURCE, "suite", "h2c.json")) as f:
            family = json.load(f)["cases"]
        claimed = {c["id"] for c in family if {"h2c", "h2c-required"} & set(c.get("needs", []))}
        after_switch = {c["id"] for c in family if claimed & set(c.get("depends_on", []))} - claimed
        with harness.RefServer() as server:
            run = harness.run_cli("--strict", "--echo", "--case", "h2c.*", server.url())
        self.assertEqual(run.code, 0, run.stdout[-3000:])
        skipped = {i for i, c in run.cases().items() if c["verdict"] == "skip"}
        self.assertEqual(skipped, claimed)
        self.assertTrue(all(harness.passed(c) for i, c in run.cases().items() if i not in skipped))
        self.assertGreater(len(run.cases()) - len(skipped), 10)
        self.assertGreaterEqual(len(after_switch), 7)
        self.assertEqual(after_switch & skipped, set())


if __name__ == "__main__":
    unittest.main()
