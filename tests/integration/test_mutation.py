"""Every refserver defect is caught by exactly the cases of its requirements, and every case
catches some defect: the catalogue is proven by mutation, not by trust."""
import unittest

import harness


def run_against(defect):
    with harness.RefServer(defect) as server:
        return harness.run_cli(*harness.FULL_RUN, "--timeout", "1", server.url())


class Mutation(harness.MutationChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The TLS defects need refserver's certificate: test_tls.py proves them and the TLS family.
        # The proxy defects act only with --proxy-to: test_refserver_proxy.py proves them.
        cls.defects = [d for d in harness.list_defects()
                       if not harness.is_tls_defect(d[0]) and not harness.is_prx_defect(d[0])]
        with harness.RefServer() as server:
            cls.baseline = harness.run_cli(*harness.FULL_RUN, server.url())
        cls.runs = harness.run_each_defect(cls.defects, run_against)
        # test_intermediary.py proves the intermediary family, through refserver --proxy-to.
        cls.proven = {cid for cid, case in cls.baseline.cases().items()
                      if case["family"] not in harness.CERTIFICATE_FAMILIES + ("intermediary",)}

    def test_there_are_defects(self):
        self.assertGreaterEqual(len(self.defects), 20)

    def test_every_declared_requirement_has_cases(self):
        # Each proof checks the requirements its own cases test; the full catalogue has them all.
        catalogue = {c["requirement"] for c in self.baseline.report["cases"]}
        declared = {r for name, requirements, _ in harness.list_defects()
                    if not harness.is_prx_defect(name) for r in requirements}
        self.assertEqual(declared - catalogue, set())


if __name__ == "__main__":
    unittest.main()
