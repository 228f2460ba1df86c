"""Interop: the full catalogue against real servers (tests/interop/servers.py), every verdict compared
with tests/interop/expected/<server>.json. A proxy's <proxy>-intermediary run puts it in front of
the runner's own backend (upgradespec --backend): only the intermediary family runs there.

  test_interop.py SERVER [--reports DIR]     start SERVER, run, compare, stop it (ctest
                                             interop.SERVER); the report is kept in DIR
  test_interop.py --readme [--reports DIR]   README.md's matrix must be the one the reports in DIR
                                             give (ctest interop.readme-current, after the server
                                             tests); without DIR every server runs first

A server that cannot be installed or started fails the test, saying so: nothing is skipped.
"""
import argparse
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402
import servers  # noqa: E402

REPORTS = None  # the folder of the reports (argument --reports), or None for a temp folder


def run_or_fail(test, name, reports_dir):
    try:
        return run.run_server(name, reports_dir)
    except run.Failure as e:
        test.fail("the interop run against %s could not happen: %s" % (name, e))


def saved_run(test, name, reports_dir):
    """The report and versions a server test left in reports_dir."""
    paths = [os.path.join(reports_dir, name + suffix) for suffix in (".json", ".versions.json")]
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        test.fail("no report of interop.%s in %s: that test did not run or failed" % (name, reports_dir))
    return tuple(run.load_json(p) for p in paths)


class ServerTest(unittest.TestCase):
    server = None

    def test_verdicts_as_expected(self):
        with tempfile.TemporaryDirectory() as tmp:
            report, _ = run_or_fail(self, self.server, REPORTS or tmp)
        self.assertEqual(run.errors(report), [], "cases the runner could not judge")
        diffs = run.differences(self.server, report)
        self.assertEqual(diffs, [], "verdicts differ from tests/interop/expected/%s.json:\n%s\n(check each by "
                         "hand against the RFC; where our verdict is wrong fix the case, else update the "
                         "expectation and docs/interop.md)"
                         % (self.server, "\n".join("  %s: expected %s, got %s" % d for d in diffs)))


class ReadmeTest(unittest.TestCase):
    def test_readme_matrix_is_current(self):
        if REPORTS:
            runs = {name: saved_run(self, name, REPORTS) for name in servers.SERVERS}
        else:
            with tempfile.TemporaryDirectory() as tmp:
                runs = {name: run_or_fail(self, name, tmp) for name in servers.SERVERS}
        diff = run.readme_difference(runs)
        self.assertEqual(diff, "", "README.md's interop matrix is not current (regenerate: "
                                   "tests/interop/run.py --update-readme)\n" + diff)


def main():
    global REPORTS
    parser = argparse.ArgumentParser()
    parser.add_argument("target", help="a server (%s) or --readme" % ", ".join(servers.SERVERS))
    parser.add_argument("--reports")
    parser.add_argument("-v", "--verbose", action="store_true")
    args, _ = parser.parse_known_args([a if a != "--readme" else "readme" for a in sys.argv[1:]])
    REPORTS = args.reports
    if REPORTS:
        os.makedirs(REPORTS, exist_ok=True)
    if args.target == "readme":
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(ReadmeTest)
    elif args.target in servers.SERVERS:
        ServerTest.server = args.target
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(ServerTest)
    else:
        parser.error("unknown server %r" % args.target)
    result = unittest.TextTestRunner(verbosity=2 if args.verbose else 1).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
