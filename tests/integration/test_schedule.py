"""How a run schedules its cases: each starts when its own dependencies are done, the longest
known waits first, so waits overlap instead of adding up. Nothing here measures speed: the tests
compare the start and end marks of the report (started_ms, duration_ms) for order and overlap."""
import unittest

import harness
from withholding_target import ANSWERED, CASES, WITHHELD, WithholdingTarget

TIMEOUT = "1"  # each withheld case waits this long for its deadline


def interval(case):
    return case["started_ms"], case["started_ms"] + case["duration_ms"]


def all_overlap(cases):
    """Whether one moment lies inside every case's interval."""
    return max(interval(c)[0] for c in cases) < min(interval(c)[1] for c in cases)


def judged(case):
    return case["verdict"] != "skip"


class Schedule(unittest.TestCase):
    def assert_after_its_dependencies(self, run):
        """A case starts only once every dependency has ended (1 ms: the report's rounding)."""
        cases = run.cases()
        checked = 0
        for case in filter(judged, cases.values()):
            for dep in case["depends_on"]:
                self.assertGreaterEqual(case["started_ms"] + 1, sum(interval(cases[dep])[1:]),
                                        "%s started before %s ended" % (case["id"], dep))
                checked += 1
        return checked

    def test_independent_deadline_waits_overlap_across_dependency_depths(self):
        with WithholdingTarget() as target:
            args = [arg for case in CASES for arg in ("--case", case)]
            run = harness.run_cli(target.url(), "--timeout", TIMEOUT, "--jobs", "4", *args,
                                  timeout=120)
        self.assertIsNotNone(run.report, run.stderr)
        cases = run.cases()
        self.assertEqual(sorted(cases), sorted(CASES))
        withheld = [cases[i] for i in WITHHELD.values()]
        for case in withheld:
            self.assertGreater(case["deadline_waits"], 0, case["id"])
        self.assertEqual(cases[ANSWERED]["deadline_waits"], 0)
        # ver.absolute-form.plain waits for upg.plain.baseline only, not for the other two waits.
        self.assertEqual(self.assert_after_its_dependencies(run), 1)
        self.assertTrue(all_overlap(withheld), [interval(c) for c in withheld])

    def test_the_longest_deliberate_waits_start_first_and_overlap(self):
        """The two held bodies (2 s) and the quiet window after a 101 (0.6 s) are the catalogue's
        deliberate waits. The held cases and the dependency of the quiet one start before every
        other case. Against refserver, which never answers an HTTP/1.0 Expect, the first hold
        lasts its 2 s (the other ends with a 100 Continue): the quiet window overlaps it."""
        with harness.RefServer() as server:
            run = harness.run_cli(server.url(), "--echo", "--claim", "h2c", "--jobs", "4")
        self.assertIsNotNone(run.report, run.stderr)
        cases = run.cases()
        held = ["upg.expect.no-1xx-to-http10", "upg.expect.100-before-101"]
        quiet = "upg.101.nothing-before-the-client-speaks"
        first = sorted(filter(judged, cases.values()), key=lambda c: c["started_ms"])[:3]
        self.assertEqual(sorted(c["id"] for c in first),
                         sorted(held + cases[quiet]["depends_on"]))
        self.assertGreater(cases[held[0]]["duration_ms"], 1000)
        self.assertTrue(all_overlap([cases[held[0]], cases[quiet]]))
        self.assertEqual(sum(c["deadline_waits"] for c in cases.values()), 0)
        self.assertGreater(self.assert_after_its_dependencies(run), 10)


    def test_a_case_deadline_includes_its_deliberate_waits(self):
        """With --timeout 0.05 a case is bounded by 250 ms plus what it waits on purpose: the
        2 s body hold ends, and the body is still written, not refused by a deadline already past."""
        held = "upg.expect.no-1xx-to-http10"
        with harness.RefServer() as server:
            run = harness.run_cli(server.url(), "--timeout", "0.05", "--case", held)
        case = run.cases()[held]
        sent = [harness.event_bytes(e) for e in case["transcript"] if e["direction"] == "sent"]
        self.assertEqual(sent[-1], b"hello", case["transcript"])
        self.assertEqual(case["verdict"], "pass", case["findings"])
        notes = [e["text"] for e in case["transcript"] if e["direction"] == "note"]
        self.assertFalse([n for n in notes if "deadline passed" in n], notes)


if __name__ == "__main__":
    unittest.main()
