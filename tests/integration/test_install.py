"""Install and package: `cmake --install` into a temporary prefix and the .deb that `cpack -G DEB`
writes each give an upgradespec that finds its catalogue from its own location, from any folder,
with no variable set, and judges the installed refserver like the one in the build tree."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

import harness

# The environment of a user who set nothing: no catalogue folder named.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("UPGRADESPEC")}


def run(args, cwd, timeout=120):
    return subprocess.run(args, cwd=cwd, capture_output=True, timeout=timeout, env=CLEAN_ENV)


class Installed(unittest.TestCase):
    """What one installed tree must hold and do; `prefix` is set by the subclasses."""

    prefix = None

    def binary(self, name):
        return os.path.join(self.prefix, "bin", name)

    def test_the_catalogue_schemas_and_docs_are_installed(self):
        suite = os.path.join(self.prefix, "share", "upgradespec", "suite")
        for name in ("requirements.json", "templates.json", "websocket.json",
                     "schema/case.schema.json", "schema/report.schema.json",
                     "schema/requirements.schema.json"):
            self.assertTrue(os.path.isfile(os.path.join(suite, name)), name)
        docs = os.path.join(self.prefix, "share", "doc", "upgradespec")
        for name in ("README.md", "requirements.md", "cases.md", "ci.md"):
            self.assertTrue(os.path.isfile(os.path.join(docs, name)), name)

    def test_the_installed_binary_reads_its_own_catalogue_from_any_folder(self):
        # A requirement only the installed copy has shows which catalogue the binary read (the
        # source tree it was built from is on this machine too).
        installed_file = os.path.join(self.prefix, "share", "upgradespec", "suite",
                                      "requirements.json")
        with open(installed_file) as f:
            doc = json.load(f)
        marker = dict(doc["requirements"][0], id="INSTALLED-COPY")
        doc["requirements"].append(marker)
        with open(installed_file, "w") as f:
            json.dump(doc, f)
        with tempfile.TemporaryDirectory() as elsewhere:
            listed = run([self.binary("upgradespec"), "requirements"], cwd=elsewhere)
            self.assertEqual(listed.returncode, 0, listed.stderr)
            self.assertIn(b"INSTALLED-COPY  ", listed.stdout)
            cases = run([self.binary("upgradespec"), "--list"], cwd=elsewhere)
            self.assertEqual(cases.returncode, 0, cases.stderr)
            self.assertGreater(len(cases.stdout.splitlines()), 100)

    def test_the_installed_binary_judges_the_installed_refserver(self):
        with tempfile.TemporaryDirectory() as elsewhere:
            server = harness.RefServer()
            server.args[0] = self.binary("refserver")
            with server:
                report = os.path.join(elsewhere, "report.json")
                done = run([self.binary("upgradespec"), "--json", report, "--case", "upg.*",
                            server.url()], cwd=elsewhere)
            self.assertEqual(done.returncode, 0, done.stdout.decode()[-3000:])
            with open(report) as f:
                doc = json.load(f)
            self.assertGreater(len(doc["cases"]), 20)
            self.assertIn("UPG-426-UPGRADE-HDR", doc["requirements"])


class CmakeInstall(Installed):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="upgradespec-install-")
        cls.prefix = os.path.join(cls.tmp, "prefix")
        done = subprocess.run(["cmake", "--install", harness.BUILD, "--prefix", cls.prefix],
                              capture_output=True, timeout=300)
        if done.returncode != 0:
            raise AssertionError("cmake --install failed: %s" % done.stderr.decode())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)


class DebianPackage(Installed):
    """The .deb, unpacked with dpkg-deb into a folder (not installed on the machine)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="upgradespec-deb-")
        done = subprocess.run(["cpack", "-G", "DEB", "-B", cls.tmp], cwd=harness.BUILD,
                              capture_output=True, timeout=600)
        if done.returncode != 0:
            raise AssertionError("cpack failed: %s\n%s" % (done.stdout.decode()[-3000:],
                                                            done.stderr.decode()[-3000:]))
        debs = [f for f in os.listdir(cls.tmp) if f.endswith(".deb")]
        if len(debs) != 1:
            raise AssertionError("cpack wrote %r" % debs)
        cls.deb = os.path.join(cls.tmp, debs[0])
        root = os.path.join(cls.tmp, "root")
        subprocess.run(["dpkg-deb", "-x", cls.deb, root], check=True, timeout=120)
        cls.prefix = os.path.join(root, "usr")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def field(self, name):
        return subprocess.run(["dpkg-deb", "-f", self.deb, name], capture_output=True,
                              check=True, timeout=60).stdout.decode().strip()

    def test_the_package_declares_its_debian_dependencies(self):
        self.assertEqual(self.field("Package"), "upgradespec")
        depends = self.field("Depends")
        for library in ("libssl3", "libnghttp2-14", "libstdc++6", "libc6"):
            self.assertIn(library, depends)


del Installed  # a base, not a test of its own

if __name__ == "__main__":
    unittest.main()
