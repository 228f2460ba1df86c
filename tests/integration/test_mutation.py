"""Every refserver defect is caught by exactly the cases of its requirements, and every case
catches some defect: the catalogue is proven by mutation, not by trust."""
import concurrent.futures
import unittest

import harness


def run_against(defect):
    with harness.RefServer(defect) as server:
        return harness.run_cli("--strict", "--echo", "--timeout", "1", server.url())


def skipped_for_a_broken_dependency(case, run, requirements):
    """A differential case is rightly skipped when the case it depends on failed its own
    requirement under this defect (the baseline handshake itself is what the defect breaks)."""
    if case["verdict"] != "skip":
        return False
    cases = run.cases()
    return any(dep in cases and cases[dep]["requirement"] in requirements
               and harness.failing_findings(cases[dep])
               for dep in case.get("depends_on", []))


class Mutation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.defects = harness.list_defects()
        with harness.RefServer() as server:
            cls.baseline = harness.run_cli("--strict", "--echo", server.url())
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            runs = pool.map(run_against, [name for name, _, _ in cls.defects])
            cls.runs = dict(zip([name for name, _, _ in cls.defects], runs))

    def test_there_are_defects(self):
        self.assertGreaterEqual(len(self.defects), 20)

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
                         for f in harness.failing_findings(case)
                         if f["requirement"] not in requirements]
                self.assertEqual(stray, [])

    def test_each_defect_is_caught_under_every_requirement_it_declares(self):
        for name, requirements, _ in self.defects:
            with self.subTest(defect=name):
                caught = {f["requirement"] for case in self.runs[name].cases().values()
                          for f in harness.failing_findings(case)}
                self.assertEqual(set(requirements) - caught, set())

    def test_cases_outside_the_defect_keep_their_verdict(self):
        for name, requirements, _ in self.defects:
            with self.subTest(defect=name):
                changed = [cid for cid, case in self.runs[name].cases().items()
                           if not harness.failing_findings(case)
                           and not skipped_for_a_broken_dependency(case, self.runs[name], requirements)
                           and case["verdict"] != self.baseline.cases()[cid]["verdict"]]
                self.assertEqual(changed, [])

    def test_every_case_is_broken_by_some_defect(self):
        broken = {cid for run in self.runs.values() for cid, case in run.cases().items()
                  if harness.failing_findings(case)}
        self.assertEqual(set(self.baseline.cases()) - broken, set())


if __name__ == "__main__":
    unittest.main()
