"""TLS in the runner, against refserver with a certificate made for this test: the RFC 2817
family proven by mutation (its defects break exactly their requirements), the whole catalogue
over wss://, and what a certificate the runner cannot trust does to a run."""
import os
import subprocess
import tempfile
import unittest

import harness

# Set by setUpModule: PEM files made with the openssl CLI in a temporary folder of the build.
PKI = {}
_folder = None


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def make_pki(folder):
    """A CA, a server certificate it signed for localhost and 127.0.0.1, and an unrelated CA."""
    path = lambda name: os.path.join(folder, name)
    new_key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes")
    openssl("req", "-x509", *new_key, "-keyout", path("ca.key"), "-out", path("ca.pem"),
            "-days", "2", "-subj", "/CN=upgradespec test CA")
    openssl("req", "-x509", *new_key, "-keyout", path("other-ca.key"), "-out", path("other-ca.pem"),
            "-days", "2", "-subj", "/CN=another test CA")
    openssl("req", *new_key, "-keyout", path("server.key"), "-out", path("server.csr"),
            "-subj", "/CN=localhost")
    with open(path("server.ext"), "w") as ext:
        ext.write("basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-days", "2", "-extfile", path("server.ext"), "-out", path("server.pem"))
    return {"ca": path("ca.pem"), "other_ca": path("other-ca.pem"),
            "cert": path("server.pem"), "key": path("server.key")}


def setUpModule():
    global _folder
    _folder = tempfile.TemporaryDirectory(prefix="tls-pki-", dir=harness.BUILD)
    PKI.update(make_pki(_folder.name))


def tearDownModule():
    _folder.cleanup()


def certificate():
    return ("--tls-cert", PKI["cert"], "--tls-key", PKI["key"])


def with_tls_port():
    """refserver's options for a cleartext port with a TLS port beside it (ALPN h2: RFC 8441)."""
    return (*certificate(), "--tls-port", "0")


def tls_run_options(server):
    """Everything refserver with a certificate has: the full run, the RFC 2817 claim and path,
    and its TLS port for the HTTP/2 cases."""
    return (*harness.FULL_RUN, "--claim", "tls-upgrade", "--tls-required-path", "/tls-only",
            "--cacert", PKI["ca"], "--tls-port", server.tls_port)


def over_tls(args):
    """A full run's options for a TLS target: h2c is cleartext only (RFC 9113 3.2), so its
    claim and spec go."""
    kept, i = [], 0
    while i < len(args):
        if (args[i] == "--claim" and args[i + 1] == "h2c") or args[i] == "--spec":
            i += 2
            continue
        kept.append(args[i])
        i += 1
    return tuple(kept)


def run_against(defect):
    with harness.RefServer(defect, options=with_tls_port()) as server:
        return harness.run_cli(*tls_run_options(server), "--timeout", "1", server.url())


class TlsUpgradeMutation(harness.MutationChecks, unittest.TestCase):
    """The RFC 2817 cases against refserver with a certificate, and against each TLS defect."""

    @classmethod
    def setUpClass(cls):
        cls.defects = [d for d in harness.list_defects()
                       if harness.is_tls_defect(d[0]) and not harness.is_xc_defect(d[0])]
        with harness.RefServer(options=with_tls_port()) as server:
            cls.baseline = harness.run_cli(*tls_run_options(server), server.url())
        cls.runs = harness.run_each_defect(cls.defects, run_against)
        cls.proven = {cid for cid, case in cls.baseline.cases().items()
                      if case["family"] == "tls-upgrade"}

    def test_there_are_tls_defects_for_every_tls_requirement(self):
        declared = {r for _, requirements, _ in self.defects for r in requirements}
        tls = {c["requirement"] for c in self.baseline.report["cases"] if c["family"] == "tls-upgrade"}
        self.assertEqual(tls - declared, set())

    def test_the_conforming_run_passes_every_case(self):
        # Except the one case that runs only against a server without extended CONNECT.
        failing = {i: c["findings"] for i, c in self.baseline.cases().items()
                   if not harness.passed(c) and i != "xc.protocol.without-setting"
                   and not harness.needs_backend(c)}
        self.assertEqual(failing, {}, self.baseline.stdout[-3000:])
        self.assertEqual(self.baseline.code, 0)

    def test_every_tls_case_ran_without_waiting(self):
        tls = [c for c in self.baseline.report["cases"] if c["family"] == "tls-upgrade"]
        self.assertGreaterEqual(len(tls), 8)
        self.assertEqual([c["id"] for c in tls if c["verdict"] == "skip"], [])
        self.assertEqual([c["id"] for c in self.baseline.report["cases"] if c["deadline_waits"]], [])

    def test_the_response_arrives_inside_tls_and_the_transcript_says_so(self):
        case = self.baseline.cases()["tls.continue.response"]
        notes = [e["text"] for e in case["transcript"] if e["direction"] == "note"]
        self.assertTrue(any(n.startswith("TLS handshake done: TLSv1.") and "ALPN http/1.1" in n
                            and "CN=localhost" in n for n in notes), notes)
        received = [harness.event_bytes(e) for e in case["transcript"] if e["direction"] == "received"]
        self.assertTrue(received[-1].startswith(b"HTTP/1.1 200 OK"), received)

    def test_offering_the_upgrade_is_a_note_not_a_failure(self):
        findings = [f for f in self.baseline.cases()["tls.101.format"]["findings"]
                    if f["rule"] == "rule.tls-upgrade-offered"]
        self.assertEqual([f["verdict"] for f in findings], ["info"])
        self.assertIn("Opossum", findings[0]["message"])

    def test_without_a_certificate_the_upgrade_is_ignored(self):
        with harness.RefServer() as server:
            run = harness.run_cli("--strict", "--case", "tls.*", server.url())
        cases = run.cases()
        self.assertEqual(run.code, 0, run.stdout)
        self.assertEqual(cases["tls.upgrade.optional"]["verdict"], "info")
        self.assertEqual(cases["tls.options.asterisk"]["verdict"], "pass")
        self.assertEqual(cases["tls.101.format"]["verdict"], "skip")


# The RFC 8441 family (and h2c inside TLS) runs against refserver --tls: ALPN h2 on every
# connection's TLS. Only its cases run, so each defect's run stays short.
XC_CASES = ("--case", "xc.*",)


def run_xc(defects=(), options=(), timeout_args=("--timeout", "1")):
    with harness.RefServer(*defects, options=("--tls", *certificate(), *options)) as server:
        return harness.run_cli(*over_tls(harness.FULL_RUN), "--cacert", PKI["ca"], *XC_CASES,
                               *timeout_args, server.url(scheme="wss"))


class WebSocketOverH2Mutation(harness.MutationChecks, unittest.TestCase):
    """Extended CONNECT over h2 (RFC 8441) and h2c inside TLS, against refserver --tls and each
    of its xc- defects, and each permessage-deflate defect that breaks the negotiation over h2."""

    @classmethod
    def setUpClass(cls):
        cls.defects = [d for d in harness.list_defects() if harness.breaks_websocket_over_h2(d)]
        cls.baseline = run_xc(timeout_args=())
        cls.runs = harness.run_each_defect(cls.defects, lambda name: run_xc([name]))
        cls.proven = set(cls.baseline.cases())

    def test_there_is_a_defect_for_every_requirement_of_the_family(self):
        declared = {r for _, requirements, _ in self.defects for r in requirements}
        family = {c["requirement"] for c in self.baseline.report["cases"]}
        self.assertEqual(family - declared, set())

    def test_the_conforming_run_passes_every_case_that_runs(self):
        cases = self.baseline.cases()
        self.assertGreaterEqual(len(cases), 15)
        failing = {i: c["findings"] for i, c in cases.items()
                   if not harness.passed(c) and i != "xc.protocol.without-setting"
                   and not harness.needs_backend(c)}
        self.assertEqual(failing, {}, self.baseline.stdout[-3000:])
        # refserver advertises extended CONNECT: the case for servers without it is skipped.
        self.assertEqual(cases["xc.protocol.without-setting"]["verdict"], "skip")
        self.assertEqual(self.baseline.code, 0)
        self.assertEqual([i for i, c in cases.items() if c["deadline_waits"]], [])

    def test_the_websocket_runs_over_the_stream(self):
        case = self.baseline.cases()["xc.connect.websocket-200"]
        notes = [e["text"] for e in case["transcript"] if e["direction"] == "note"]
        self.assertTrue(any("ALPN h2" in n for n in notes), notes)
        received = b"".join(harness.event_bytes(e) for e in case["transcript"]
                            if e["direction"] == "received")
        self.assertIn(b"\x8a\x07xc-ping", received)  # the Pong, unmasked, in a DATA frame

    def test_without_extended_connect_protocol_is_refused(self):
        run = run_xc(options=("--no-extended-connect",), timeout_args=())
        cases = run.cases()
        self.assertEqual(cases["xc.protocol.without-setting"]["verdict"], "pass", run.stdout[-2000:])
        self.assertEqual(cases["xc.connect.advertised"]["verdict"], "skip")
        self.assertEqual(cases["xc.connect.websocket-200"]["verdict"], "skip")
        self.assertIn("depends on xc.connect.advertised",
                      cases["xc.connect.websocket-200"]["findings"][0]["message"])
        self.assertEqual(run.code, 0, run.stdout[-2000:])

    def test_a_cleartext_url_needs_a_tls_endpoint(self):
        with harness.RefServer() as server:
            run = harness.run_cli("--strict", "-v", *XC_CASES, server.url())
        self.assertEqual({c["verdict"] for c in run.report["cases"]}, {"skip"})
        reason = run.cases()["xc.connect.websocket-200"]["findings"][0]["message"]
        self.assertIn("--tls-port PORT", reason)


class TlsTargets(unittest.TestCase):
    """wss:// and https:// against refserver --tls: every connection speaks TLS from its start."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.RefServer(options=("--tls", *certificate()))
        cls.server.__enter__()
        cls.addClassCleanup(cls.server.stop)
        cls.wss = harness.run_cli(*over_tls(harness.FULL_RUN), "--cacert", PKI["ca"],
                                  cls.server.url(scheme="wss"))

    def run_cli(self, *args):
        return harness.run_cli("--strict", *args)

    def test_the_full_catalogue_passes_over_wss(self):
        judged = [c for c in self.wss.report["cases"] if c["verdict"] != "skip"]
        self.assertGreater(len(judged), 100)
        self.assertEqual([c["id"] for c in judged if not harness.passed(c)], [], self.wss.stdout[-3000:])
        self.assertEqual(self.wss.code, 0)
        self.assertEqual([c["id"] for c in judged if c["deadline_waits"]], [])

    def test_transcripts_hold_plaintext_and_the_handshake(self):
        case = self.wss.cases()["ws.handshake.baseline"]
        notes = [e["text"] for e in case["transcript"] if e["direction"] == "note"]
        self.assertTrue(any(n.startswith("TLS handshake done") for n in notes), notes)
        sent = [harness.event_bytes(e) for e in case["transcript"] if e["direction"] == "sent"]
        self.assertTrue(sent[0].startswith(b"GET /ws HTTP/1.1\r\n"))

    def test_an_https_target_runs_the_plain_cases(self):
        run = self.run_cli("--cacert", PKI["ca"], self.server.url("/", scheme="https"))
        self.assertEqual(run.code, 0, run.stdout[-3000:])
        self.assertGreater(run.report["summary"]["passed"], 10)

    def test_an_untrusted_certificate_is_an_infrastructure_error(self):
        run = self.run_cli("--cacert", PKI["other_ca"], self.server.url(scheme="wss"))
        self.assertEqual(run.code, 3, run.stdout[-2000:])
        self.assertIn("certificate verify failed", run.report["target_problem"])
        self.assertEqual({c["verdict"] for c in run.report["cases"]}, {"error"})

    def test_a_name_the_certificate_does_not_carry_is_an_infrastructure_error(self):
        run = self.run_cli("--cacert", PKI["ca"], "--sni", "wrong.example", self.server.url(scheme="wss"))
        self.assertEqual(run.code, 3, run.stdout[-2000:])
        self.assertIn("hostname mismatch", run.report["target_problem"])

    def test_insecure_skips_verification(self):
        run = self.run_cli("--insecure", "--cacert", PKI["other_ca"], "--sni", "wrong.example",
                           "--case", "ws.handshake.*", self.server.url(scheme="wss"))
        self.assertEqual(run.code, 0, run.stdout[-2000:])

    def test_a_wss_url_to_a_cleartext_server_names_the_problem(self):
        with harness.RefServer() as cleartext:
            run = self.run_cli("--cacert", PKI["ca"], cleartext.url(scheme="wss"))
        self.assertEqual(run.code, 3)
        self.assertIn("the server answered in cleartext instead of TLS: HTTP/1.1 400",
                      run.report["target_problem"])

    def test_unusable_tls_files_are_usage_errors(self):
        run = self.run_cli("--cacert", "/nonexistent/ca.pem", self.server.url(scheme="wss"))
        self.assertEqual(run.code, 2)
        self.assertIn("--cacert /nonexistent/ca.pem: cannot be read", run.stderr)
        run = self.run_cli("--cert", PKI["cert"], self.server.url(scheme="wss"))
        self.assertEqual(run.code, 2)
        self.assertIn("--cert and --key go together", run.stderr)


if __name__ == "__main__":
    unittest.main()
