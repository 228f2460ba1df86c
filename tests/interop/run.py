#!/usr/bin/env python3
"""The interop run: the full catalogue against real servers, compared with the verdicts we
expect of them (tests/interop/expected/<server>.json, reasoned in docs/interop.md).

  run.py                          run every server, compare, print the differences
  run.py --server nginx           one server (repeatable)
  run.py --reports DIR            keep the reports there (<server>.json, <server>.versions.json)
  run.py --update-readme          also write the conformance matrix into README.md
  run.py --check-readme           fail when README.md's matrix is not the one these runs give
  run.py --write-expected         write the verdicts of this run as the expectation (after you
                                  checked every change by hand and wrote it down in docs/interop.md)

Exit: 0 every verdict as expected (and the README current when checked), 1 differences,
3 a server could not be installed or started (never a silent pass).
Needs UPGRADESPEC_BUILD (default: build/) for the upgradespec binary.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import servers

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD = os.environ.get("UPGRADESPEC_BUILD", os.path.join(SOURCE, "build"))
UPGRADESPEC = os.path.join(BUILD, "runner", "upgradespec")
README = os.path.join(SOURCE, "README.md")
BEGIN, END = "<!-- interop-matrix:begin -->", "<!-- interop-matrix:end -->"
RUN_SECONDS = 240  # a full catalogue takes seconds against these servers; ctest allows 300

# Columns of the matrix: these families first, in this order, then any other family a report has.
FAMILY_ORDER = ["upgrade", "version", "websocket", "websocket-frames", "permessage-deflate", "h2c",
                "tls-upgrade", "websocket-h2", "intermediary"]
# A proxy's intermediary run (servers.py: the proxy in front of the runner's own --backend) is no
# row of its own: it gives the intermediary column of the proxy's row.
INTERMEDIARY = "-intermediary"
# How each server is shown in the matrix: its name, then the packages whose versions matter.
TITLES = {
    "python-websockets": ("python3-websockets echo server", ["python3-websockets"]),
    "node-ws": ("node `ws` echo server", ["ws"]),  # node's own version: docs/interop.md
    "nginx": ("nginx reverse proxy to python3-websockets", ["nginx", "python3-websockets"]),
    "apache2": ("apache2 (mod_http2 h2c, mod_proxy_wstunnel) to python3-websockets",
                ["apache2", "python3-websockets"]),
    "haproxy": ("HAProxy reverse proxy to python3-websockets", ["haproxy", "python3-websockets"]),
    "varnish": ("Varnish (pipe) to python3-websockets", ["varnish", "python3-websockets"]),
    "caddy": ("Caddy reverse_proxy (h2c on) to python3-websockets", ["caddy", "python3-websockets"]),
    "tomcat10": ("Tomcat examples echo endpoint, h2c UpgradeProtocol", ["tomcat10"]),
    "jetty9": ("Jetty embedded: WebSocketServlet echo, h2c connector", ["jetty9"]),
    "autobahn": ("python3-autobahn (Twisted) echo server", ["python3-autobahn"]),
    "websocket-node": ("node `websocket` (WebSocket-Node) echo server", ["websocket"]),
    "faye-websocket": ("node `faye-websocket` echo server", ["faye-websocket"]),
}


class Failure(Exception):
    """The run could not happen (infrastructure): exit 3."""


def profile_path(name):
    return os.path.join(HERE, "profiles", name + ".json")


def expected_path(name):
    return os.path.join(HERE, "expected", name + ".json")


def load_json(path):
    with open(path) as f:
        return json.load(f)


def write_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=2, sort_keys=False)
        f.write("\n")


def run_server(name, reports_dir):
    """Starts the server, runs the full catalogue against it, stops it. Returns the report and the
    versions, both also written to reports_dir."""
    if not os.access(UPGRADESPEC, os.X_OK):
        raise Failure("no upgradespec binary at %s (set UPGRADESPEC_BUILD)" % UPGRADESPEC)
    report_path = os.path.join(reports_dir, name + ".json")
    versions_path = os.path.join(reports_dir, name + ".versions.json")
    for stale in (report_path, versions_path):
        if os.path.exists(stale):
            os.remove(stale)
    try:
        # An intermediary run's backend port was free when the proxy was configured with it; when
        # something took it before the runner listened there (tests run in parallel), the run is
        # tried again on new ports, a bounded number of times.
        for attempt in range(3):
            with servers.SERVERS[name]() as server:
                versions = server.versions()
                cmd = [UPGRADESPEC, "--profile", profile_path(server.profile or name), "--json", report_path] + \
                    (["--jobs", str(server.jobs)] if server.jobs else []) + \
                    (["--backend", "127.0.0.1:%d" % server.backend] if server.intermediary else []) + [server.url()]
                done = subprocess.run(cmd, capture_output=True, timeout=RUN_SECONDS)
            if not (done.returncode == 3 and b"could not listen on" in done.stdout) or attempt == 2:
                break
    except servers.Unavailable as e:
        raise Failure("%s: %s" % (name, e))
    except subprocess.TimeoutExpired:
        raise Failure("%s: the catalogue run did not end within %d s" % (name, RUN_SECONDS))
    if done.returncode not in (0, 1) or not os.path.exists(report_path):
        raise Failure("%s: upgradespec exited %d:\n%s\n%s" % (name, done.returncode,
                      done.stdout.decode(errors="replace")[-3000:], done.stderr.decode(errors="replace")))
    write_json(versions_path, versions)
    return load_json(report_path), versions


def verdicts(report):
    return {case["id"]: case["verdict"] for case in report["cases"]}


def allowed(expectation):
    """The verdicts an expectation allows: one, or a list for a verdict that depends on the
    server's timing or on the platform (node's version): each list is explained in docs/interop.md."""
    return [expectation] if isinstance(expectation, str) else list(expectation)


def differences(name, report):
    """[(case, expected, got)] between the run and expected/<name>.json; 'none' for a case missing
    on either side."""
    path = expected_path(name)
    expected = load_json(path)["verdicts"] if os.path.exists(path) else {}
    got = verdicts(report)
    return [(case, "|".join(allowed(expected.get(case, "none"))), got.get(case, "none"))
            for case in sorted(set(expected) | set(got))
            if got.get(case) not in allowed(expected.get(case, []))]


def errors(report):
    """Cases the runner could not judge: never a conformance verdict, so never an expectation."""
    return [(c["id"], c["observed"]) for c in report["cases"] if c["verdict"] == "error"]


def upstream(version):
    """1.22.1-9+deb12u11 -> 1.22.1 (the Debian revision changes with every security update)."""
    return version.split("-")[0].split("+")[0] if version else "?"


def matrix_verdicts(name, report):
    """The run's verdicts, a timing-dependent one shown as the first its expectation lists (the one
    that describes the server), so the matrix does not change with the timing."""
    path = expected_path(name)
    expected = load_json(path)["verdicts"] if os.path.exists(path) else {}
    shown = {}
    for case, verdict in verdicts(report).items():
        options = expected.get(case)
        shown[case] = options[0] if isinstance(options, list) and verdict in options else verdict
    return shown


def row_of(name):
    """The matrix row a run's verdicts are shown in: its own, or its proxy's."""
    return name[:-len(INTERMEDIARY)] if name.endswith(INTERMEDIARY) else name


def cell_run(runs, name, family):
    """The run a row's cell counts: a proxy's intermediary column comes from its intermediary run
    (without --backend the family is skipped)."""
    if family == "intermediary" and name + INTERMEDIARY in runs:
        return name + INTERMEDIARY
    return name


def family_counts(name, report, family):
    counts = {"pass": 0, "fail": 0, "warn": 0, "skip": 0, "error": 0}
    shown = matrix_verdicts(name, report)
    for case in report["cases"]:
        if case["family"] == family:
            verdict = shown[case["id"]]
            counts["pass" if verdict == "info" else verdict] += 1
    return counts


def cell(counts):
    marks = (("pass", "✓"), ("fail", "✗"), ("warn", "⚠"), ("skip", "–"), ("error", " error"))
    return " ".join("%d%s" % (counts[verdict], mark) for verdict, mark in marks if counts[verdict])


def server_title(name, versions):
    title, packages = TITLES[name]
    return "%s (%s)" % (title, ", ".join("%s %s" % (p, upstream(versions.get(p))) for p in packages))


def families(runs):
    found = sorted({case["family"] for report, _ in runs.values() for case in report["cases"]})
    return [f for f in FAMILY_ORDER if f in found] + [f for f in found if f not in FAMILY_ORDER]


def matrix(runs):
    """The README's conformance matrix, from {name: (report, versions)} in the order of SERVERS."""
    columns = families(runs)
    lines = [BEGIN,
             "<!-- generated by tests/interop/run.py --update-readme from the interop run; do not edit -->",
             "",
             "| server | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    for name in servers.SERVERS:
        if name not in runs or row_of(name) != name:
            continue
        _, versions = runs[name]
        cells = [family_counts(cell_run(runs, name, f), runs[cell_run(runs, name, f)][0], f) for f in columns]
        lines.append("| %s | %s |" % (server_title(name, versions), " | ".join(cell(c) for c in cells)))
    lines += ["", "✓ pass (or info: the RFC leaves the choice), ✗ fail (a MUST broken), ⚠ warn (a SHOULD "
              "broken or a hazard), – skip (the target lacks what the case needs, or the case it depends on "
              "did not pass). intermediary: the proxy in front of the runner's own backend (`--backend`); "
              "an origin server is skipped there. Every verdict was checked by hand "
              "against the RFCs: docs/interop.md.", "",
              "Notable findings:", ""]
    # Each row's findings, a proxy's intermediary run right after its own.
    for name in sorted(runs, key=lambda n: (list(servers.SERVERS).index(row_of(n)), n != row_of(n))):
        report, versions = runs[name]
        got = matrix_verdicts(name, report)
        expectation = load_json(expected_path(name))
        for case in expectation.get("notable", []):
            package = TITLES[row_of(name)][1][0]
            lines.append("- **%s %s** `%s` (%s): %s" % (package, upstream(versions.get(package)), case,
                                                      got.get(case, "none"), expectation["notes"][case]))
    lines.append(END)
    return "\n".join(lines) + "\n"


def readme_parts():
    with open(README) as f:
        text = f.read()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise Failure("README.md has no %s ... %s markers" % (BEGIN, END))
    return text[:start], text[start:end + len(END) + 1], text[end + len(END) + 1:]


def update_readme(runs):
    before, _, after = readme_parts()
    with open(README, "w") as f:
        f.write(before + matrix(runs) + after)


def readme_difference(runs):
    """'' when README.md holds the matrix these runs give, else a unified diff."""
    import difflib

    _, current, _ = readme_parts()
    wanted = matrix(runs)
    if current == wanted:
        return ""
    return "".join(difflib.unified_diff(current.splitlines(True), wanted.splitlines(True),
                                        "README.md", "from this run"))


def write_expected(name, report):
    """The run's verdicts as the expectation, keeping the notes already written."""
    path = expected_path(name)
    old = load_json(path) if os.path.exists(path) else {}
    kept = old.get("verdicts", {})
    got = verdicts(report)
    # A timing-dependent expectation (a list) stays as written while it allows this run's verdict.
    data = {"server": name, "profile": "tests/interop/profiles/%s.json" % (servers.SERVERS[name].profile or name),
            "verdicts": {case: kept[case] if isinstance(kept.get(case), list) and verdict in kept[case]
                         else verdict for case, verdict in got.items()},
            "notes": old.get("notes", {}), "notable": old.get("notable", [])}
    write_json(path, data)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", action="append", choices=list(servers.SERVERS))
    parser.add_argument("--reports", help="folder for the reports (default: a temp folder)")
    parser.add_argument("--update-readme", action="store_true")
    parser.add_argument("--check-readme", action="store_true")
    parser.add_argument("--write-expected", action="store_true")
    args = parser.parse_args()
    names = args.server or list(servers.SERVERS)
    if (args.update_readme or args.check_readme) and names != list(servers.SERVERS):
        parser.error("the README matrix needs every server: no --server with --update-readme/--check-readme")

    with tempfile.TemporaryDirectory() as tmp:
        reports_dir = args.reports or tmp
        os.makedirs(reports_dir, exist_ok=True)
        runs, status = {}, 0
        for name in names:
            try:
                runs[name] = run_server(name, reports_dir)
            except Failure as e:
                print("FAILED: %s" % e, file=sys.stderr)
                status = 3
        for name, (report, _) in runs.items():
            if args.write_expected:
                write_expected(name, report)
            for case, observed in errors(report):
                print("%s: %s: error (the runner could not judge): %s" % (name, case, observed))
                status = status or 1
            for case, want, got in differences(name, report):
                print("%s: %s: expected %s, got %s" % (name, case, want, got))
                status = status or 1
            print("%s: %d cases compared" % (name, len(report["cases"])))
        if status == 3:
            return status
        if args.update_readme:
            update_readme(runs)
        if args.check_readme:
            diff = readme_difference(runs)
            if diff:
                print("README.md's interop matrix is not current (regenerate: tests/interop/run.py "
                      "--update-readme):\n" + diff)
                status = 1
        return status


if __name__ == "__main__":
    sys.exit(main())
