"""docs/ci.md shows real commands: every upgradespec invocation in it names a subcommand and
options that the CLI's own --help lists, so the CI examples cannot drift from the tool."""
import os
import re
import subprocess
import unittest

import harness

CI_DOC = os.path.join(harness.SOURCE, "docs", "ci.md")


def help_text(*subcommand):
    done = subprocess.run([harness.UPGRADESPEC, *subcommand, "--help"], capture_output=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode()


def invocations():
    """Each upgradespec command line in the document, continuation lines joined."""
    with open(CI_DOC, encoding="utf-8") as f:
        text = f.read().replace("\\\n", " ")
    # A YAML multi-line scalar continues a command on deeper-indented lines.
    text = re.sub(r"\n(\s+)(?=--)", " ", text)
    return [m.group(1) for m in re.finditer(r"upgradespec((?: [^\n`|]*)?)", text)
            if m.group(1).strip()]


class CiDocument(unittest.TestCase):
    def test_every_option_shown_exists(self):
        helps = {None: help_text(), "merge": help_text("merge"), "compare": help_text("compare")}
        checked = 0
        for line in invocations():
            words = line.split()
            subcommand = words[0] if words and words[0] in ("merge", "compare") else None
            for option in re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)", line):
                with self.subTest(command=line.strip(), option=option):
                    self.assertIn(option, helps[subcommand])
                    checked += 1
        self.assertGreater(checked, 20, "the document shows too few commands to be checked")


if __name__ == "__main__":
    unittest.main()
