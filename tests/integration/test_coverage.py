"""Every requirement of the requirements catalogue (suite/requirements.json) has a case, or
docs/coverage.md says why it has none; no case names a requirement that does not exist."""
import json
import os
import re
import subprocess
import unittest

import harness

COVERAGE_MD = os.path.join(harness.SOURCE, "docs", "coverage.md")


def requirement_ids():
    """The ids `upgradespec requirements --json` prints: the project's own catalogue."""
    listing = subprocess.run([harness.UPGRADESPEC, "requirements", "--json"], capture_output=True,
                             timeout=60, check=True)
    return {r["id"] for r in json.loads(listing.stdout)["requirements"]}


def catalogue_requirements():
    listing = subprocess.run([harness.UPGRADESPEC, "--list"], capture_output=True, timeout=60, check=True)
    return {line.split()[2] for line in listing.stdout.decode().splitlines() if line.strip()}


def explained_gaps():
    """Ids listed in docs/coverage.md's first table (the gaps), each with a non-empty reason.
    The later sections (partial coverage) name ids that do have cases."""
    gaps = {}
    with open(COVERAGE_MD) as f:
        text = f.read()
    for line in text.split("\n## ")[0].splitlines():
        m = re.match(r"^\| ([A-Z0-9]+(?:-[A-Z0-9]+)+) \| (.*) \|$", line)
        if m:
            gaps[m.group(1)] = m.group(2).strip()
    return gaps


class Coverage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.known = requirement_ids()
        cls.covered = catalogue_requirements()
        cls.gaps = explained_gaps()

    def test_the_requirements_catalogue_was_read(self):
        self.assertGreaterEqual(len(self.known), 100)

    def test_every_case_names_a_known_requirement(self):
        self.assertEqual(self.covered - self.known, set())

    def test_every_requirement_has_a_case_or_a_written_reason(self):
        self.assertEqual(self.known - self.covered - set(self.gaps), set())

    def test_every_gap_has_a_reason_and_is_a_real_gap(self):
        self.assertEqual({i for i, why in self.gaps.items() if len(why) < 20}, set())
        self.assertEqual(set(self.gaps) - self.known, set(), "docs/coverage.md names unknown ids")
        self.assertEqual(set(self.gaps) & self.covered, set(), "docs/coverage.md lists ids that now have cases")


if __name__ == "__main__":
    unittest.main()
