#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (tests/fuzz/corpus/TARGET/) and dictionaries
(tests/fuzz/dict/TARGET.dict). Both are committed; run this again when what they come from
changes. It overwrites the seeds it writes and leaves every other file alone: the inputs of
past findings (regression-*) stay, whether this script writes them (the two below) or not.

  response_parser  the recorded responses of fixtures/responses/ and a few more heads
  backend_request  what a proxy forwards to the runner's backend: requests as nginx-like proxies
                   rewrite them, pipelined ones with bodies, and bytes relayed raw
  ws_frames        frames written by the runner's encoders (build-fuzz/frame_seeds)
  h2_frames        HTTP/2 frames and HPACK blocks, likewise
  extensions       Sec-WebSocket-Extensions offers and answers
  case_loader      cases of suite/*.json, chosen to cover every member the files use, and a
                   case with a 32 KiB then_hex (regression-long-then-hex.json)
  json_report      small reports written by the runner (build/) against refserver, and one
                   holding a 32 KiB request (regression-long-event.json)

Usage: tests/fuzz/make_seeds.py   (needs build-fuzz/ from scripts/fuzz.sh and build/ from
scripts/build.sh)
"""
import json
import pathlib
import re
import signal
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
FUZZ = ROOT / "tests" / "fuzz"
CORPUS = FUZZ / "corpus"
DICT = FUZZ / "dict"


# A case with a 32 KiB request body (and one sending the same bytes as then_hex): strings that
# long once overflowed the stack of the schema checks (std::regex recursing once per character),
# in the case loader and in the report reader of merge and compare.
BIG = 32 * 1024


def big_case(then_hex=False):
    send = {"template": "plain-get", "method": "POST",
            "set": {"Upgrade": "foo/1.0", "Connection": "upgrade", "Content-Length": str(BIG)}}
    if then_hex:
        send["then_hex"] = "78" * BIG
    else:
        send["body"] = "x" * BIG
    return {"id": "big.declined-upgrade.large-body", "requirement": "UPG-READ-BODY-OR-CLOSE",
            "title": "A declined upgrade with a 32 KiB body gets an answer",
            "refs": ["RFC9112 9.3"], "level": "MUST", "tags": ["upgrade"], "send": send,
            "outcomes": [{"verdict": "pass", "when": {"responded": True}}],
            "otherwise": {"verdict": "warn", "why": "no answer to a POST with a 32 KiB body"}}


def big_case_file(then_hex=False):
    return json.dumps({"family": "big", "title": "Large requests", "cases": [big_case(then_hex)]},
                      separators=(",", ":"))


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def write_dict(target, entries):
    DICT.mkdir(parents=True, exist_ok=True)
    lines = [f"# {target}: written by tests/fuzz/make_seeds.py"]
    for entry in sorted(set(entries)):
        escaped = "".join(
            c if 0x20 <= ord(c) < 0x7F and c not in '"\\' else f"\\x{ord(c):02x}" for c in entry)
        lines.append(f'"{escaped}"')
    (DICT / f"{target}.dict").write_text("\n".join(lines) + "\n")


# The response_parser target's first byte: bit 0 eof, bit 1 head_request, bit 2 small limits.
EOF, HEAD, SMALL = 1, 2, 4


def response_seeds():
    modes = {"200-close-delimited.http": EOF, "426-truncated-head.http": EOF,
             "200-head-content-length.http": HEAD, "200-large-body.http": SMALL,
             "200-oversized-head.http": SMALL}
    for path in sorted((ROOT / "fixtures" / "responses").glob("*.http")):
        write("response_parser", path.stem, bytes([modes.get(path.name, 0)]) + path.read_bytes())
    more = {
        "204-no-body": (0, b"HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"),
        "304-with-length": (0, b"HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"),
        "chunked-extension-trailer": (0, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                         b"5;ext=1\r\nhello\r\n0\r\nTrailer: yes\r\n\r\n"),
        "bad-chunk-size": (EOF, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        "length-and-chunked": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                                  b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        "two-lengths": (0, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc"),
        "http10-close": (EOF, b"HTTP/1.0 200 OK\r\n\r\nbody until close"),
        "no-reason": (0, b"HTTP/1.1 426\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n"),
        "lf-only": (0, b"HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
        "obs-fold": (0, b"HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n"),
        "status-999": (0, b"HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n"),
        "103-103-101": (0, b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                           b"HTTP/1.1 103 Early Hints\r\n\r\n"
                           b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n"
                           b"Connection: Upgrade\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00"),
        "100-then-426-small": (SMALL, b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 426 Upgrade Required"
                                      b"\r\nContent-Length: 100\r\n\r\n" + b"x" * 100),
        "partial-body-eof": (EOF, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"),
        "head-chunked": (HEAD, b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
        "http11-minor-9": (0, b"HTTP/1.9 200 OK\r\nContent-Length: 0\r\n\r\n"),
        "not-http": (EOF, b"SSH-2.0-OpenSSH_9.2\r\n"),
    }
    for name, (mode, data) in more.items():
        write("response_parser", name, bytes([mode]) + data)
    fields = ["Upgrade", "Connection", "Content-Length", "Transfer-Encoding", "Sec-WebSocket-Accept",
              "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol",
              "Server", "Date", "Content-Type", "Trailer", "Keep-Alive", "Expect"]
    tokens = ["HTTP/1.1 ", "HTTP/1.0 ", "HTTP/2 ", " 101 Switching Protocols", " 426 Upgrade Required",
              " 100 Continue", " 200 OK", " 204 ", " 304 ", "\r\n", "\r\n\r\n", ": ", "chunked",
              "close", "keep-alive", "websocket", "h2c", "TLS/1.0", "Upgrade", "0\r\n\r\n", ";ext=",
              "ffffffffffffffff", "18446744073709551616"]
    write_dict("response_parser", [f + ": " for f in fields] + tokens)


def backend_seeds():
    # The first byte's bit 0: the connection has ended.
    upgrade = (b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nUpgradespec-Case: 3f2a9c0d11e4\r\n"
               b"Upgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Key: "
               b"dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    plain = (b"GET /ws HTTP/1.0\r\nHost: backend\r\nConnection: close\r\n"
             b"Upgradespec-Case: 3f2a9c0d11e4\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n")
    seeds = {
        "forwarded-upgrade": (0, upgrade),
        "forwarded-plain-ended": (1, plain),
        "pipelined-with-body": (0, b"POST /ws HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello" + upgrade),
        "smuggled-after-head": (0, upgrade + b"UPGRADESPEC-SMUGGLED 3f2a9c0d11e4: bytes\r\n\r\n"),
        "raw-partial-line": (1, b"\x81\x85\x00\x00\x00\x00hello"),
        "space-before-colon": (0, b"GET /ws HTTP/1.1\r\nX-Upgradespec-Smuggled : 1\r\n\r\n"),
        "huge-length": (0, b"GET / HTTP/1.1\r\nContent-Length: 999999999\r\n\r\nab"),
        "lowercase-method": (0, b"get / HTTP/1.1\r\n\r\n"),
    }
    for name, (mode, data) in seeds.items():
        write("backend_request", name, bytes([mode]) + data)
    write_dict("backend_request", ["GET ", "POST ", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "\r\n",
                                   "\r\n\r\n", "Content-Length: ", "Upgradespec-Case: ",
                                   "Upgrade: websocket", "Connection: upgrade", " : ", "999999999"])


def extension_seeds():
    # The first byte's low two bits: how many lines are the request's offers.
    seeds = {
        "deflate-accepted": (1, "permessage-deflate; client_max_window_bits",
                             "permessage-deflate"),
        "deflate-windows": (1, "permessage-deflate; server_max_window_bits=10; "
                               "client_max_window_bits", "permessage-deflate; "
                               "server_max_window_bits=10; client_max_window_bits=12"),
        "deflate-no-context": (1, "permessage-deflate; server_no_context_takeover; "
                                  "client_no_context_takeover", "permessage-deflate; "
                                  "server_no_context_takeover"),
        "two-offers": (2, "permessage-deflate; server_max_window_bits=9\n"
                          "permessage-deflate; server_max_window_bits=12",
                       "permessage-deflate; server_max_window_bits=15"),
        "quoted": (1, 'permessage-deflate; client_max_window_bits="10"',
                   'permessage-deflate; server_max_window_bits="09"'),
        "unoffered": (0, "", "x-webkit-deflate-frame, permessage-deflate; foo=bar"),
        "rsv1-conflict": (1, "permessage-deflate, deflate-frame",
                          "permessage-deflate,deflate-frame"),
        "repeated-param": (1, "permessage-deflate; server_max_window_bits=8; "
                              "server_max_window_bits=8", "permessage-deflate; "
                              "server_no_context_takeover; server_no_context_takeover=1"),
        "malformed": (3, "permessage-deflate;\n, ,\n\"quoted\"", "permessage-deflate; a=\"b c\""),
        "whitespace-and-empty": (1, " \t , permessage-deflate \t;\tclient_max_window_bits , ",
                                 "\n\npermessage-deflate"),
    }
    for name, (offers, offer_lines, answer_lines) in seeds.items():
        text = (offer_lines + "\n" if offers else "") + answer_lines
        write("extensions", name, bytes([offers]) + text.encode())
    write_dict("extensions", ["permessage-deflate", "server_max_window_bits",
                              "client_max_window_bits", "server_no_context_takeover",
                              "client_no_context_takeover", "deflate-frame",
                              "x-webkit-deflate-frame", "perframe-deflate", "permessage-", "; ",
                              ", ", "=", '"', "\\", "\n", "=15", "=8", "=08"])


def frame_seeds():
    subprocess.run(["cmake", "--build", str(ROOT / "build-fuzz"), "--", "frame_seeds"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([str(ROOT / "build-fuzz" / "frame_seeds"), str(CORPUS)], check=True)
    # HTTP/2 frame headers: every type with an empty payload on stream 0 and 1, common flags.
    entries = []
    for frame_type in range(0, 10):
        for flags in (0x0, 0x1, 0x4, 0x5, 0x8, 0x20, 0x2c):
            entries.append("\x00\x00\x00" + chr(frame_type) + chr(flags) + "\x00\x00\x00\x01")
    entries += ["\x00\x00\x00\x00\x00\x00\x00\x00\x00", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                "\x88", "\x82", "\x84", "\x86", "\x3f\xe1\x1f", "\x20", "\x40", "\x00", "\x10",
                "\x7f\xff\xff\xff"]
    write_dict("h2_frames", entries)


def paths(value, prefix=""):
    """Every member path of a JSON value, array indices left out: the 'features' of a case."""
    out = set()
    if isinstance(value, dict):
        for key, member in value.items():
            out.add(prefix + key)
            out |= paths(member, prefix + key + ".")
    elif isinstance(value, list):
        for member in value:
            out |= paths(member, prefix)
    return out


def case_seeds():
    files = sorted(p for p in (ROOT / "suite").glob("*.json")
                   if p.name not in ("requirements.json", "templates.json"))
    covered = set()
    # Dependencies may be in other files: a seed carries them in its own.
    by_id = {c["id"]: c for p in files for c in json.loads(p.read_text())["cases"]}
    for path in files:
        doc = json.loads(path.read_text())
        chosen = []
        # Greedily: the case with the most members no chosen case has, until none adds any.
        while True:
            best = max(doc["cases"], key=lambda c: len(paths(c) - covered))
            if not paths(best) - covered or len(chosen) == 4:
                break
            covered |= paths(best)
            chosen.append(best)
        for case in chosen:
            needed, queue = [], [case["id"]]
            while queue:  # the case with what it depends on, which must load with it
                cid = queue.pop()
                if cid not in [c["id"] for c in needed]:
                    needed.append(by_id[cid])
                    queue += by_id[cid].get("depends_on", [])
            cases = [{k: v for k, v in c.items() if k != "notes"} for c in reversed(needed)]
            seed = {"family": doc["family"], "title": doc["title"], "cases": cases}
            write("case_loader", f"{path.stem}.{case['id']}.json",
                  json.dumps(seed, separators=(",", ":")))
    write("case_loader", "regression-long-then-hex.json", big_case_file(then_hex=True))
    schema = json.loads((ROOT / "suite" / "schema" / "case.schema.json").read_text())
    write_dict("case_loader", json_dictionary(schema) + [
        "{host}", "{port}", "{authority}", "{path}", "{ws_path}", "{plain_path}", "{tls_path}",
        "{http11_path}", "{ws_key}", "{nonce}", "{subprotocol}", "{allowed_origin}", "{scheme}",
        "plain-get", "ws-upgrade", "h2c-upgrade", "tls-upgrade", "\\r\\n", "WS-BASELINE"])


def json_dictionary(schema):
    """Member names (quoted, with the colon) and enum strings of a JSON schema."""
    out = set()

    def walk(node):
        if isinstance(node, dict):
            for key in ("properties", "patternProperties"):
                for name in node.get(key, {}):
                    if key == "properties":
                        out.add(f'"{name}":')
            for value in node.get("enum", []):
                if isinstance(value, str):
                    out.add(f'"{value}"')
            for member in node.values():
                walk(member)
        elif isinstance(node, list):
            for member in node:
                walk(member)

    walk(schema)
    return sorted(out) + ["true", "false", "null", "[]", "{}", "-1", "1e308", "0.5"]


def compact(path):
    return json.dumps(json.loads(pathlib.Path(path).read_text()), separators=(",", ":"))


def report_seeds():
    runner = ROOT / "build" / "runner" / "upgradespec"
    refserver = ROOT / "build" / "fixtures" / "refserver" / "refserver"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)

        def serve(*defects):
            log = open(tmp / "server.log", "w+")
            args = [str(refserver), "--port", "0"]
            for d in defects:
                args += ["--defect", d]
            server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
            for _ in range(100):
                log.seek(0)
                found = re.search(r"^listening on (\S+)", log.read(), re.M)
                if found:
                    return server, found.group(1)
                time.sleep(0.05)
            raise RuntimeError("refserver did not start")

        def run(address, out, *options):
            subprocess.run([str(runner), *options, "--json", str(tmp / out), f"ws://{address}/ws"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return tmp / out

        cases = ["--case", "ws.key.missing", "--case", "ws.accept.*"]
        server, address = serve()
        write("json_report", "pass.json", compact(run(address, "pass.json", *cases)))
        # A report whose transcript holds a 32 KiB request: what --suite cases may send.
        (tmp / "big").mkdir()
        (tmp / "big" / "big.json").write_text(big_case_file())
        write("json_report", "regression-long-event.json",
              compact(run(address, "big.json", "--suite", str(tmp / "big"), "--case", "big.*")))
        server.send_signal(signal.SIGTERM)
        server.wait()
        server, address = serve("wrong-accept", "426-without-upgrade")
        cases += ["--case", "upgrade.426.*"]
        failing = run(address, "fail.json", *cases, "--strict", "--update-baseline",
                      str(tmp / "baseline.json"))
        write("json_report", "fail-strict.json", compact(failing))
        parts = [run(address, f"part{k}.json", *cases, "--baseline", str(tmp / "baseline.json"),
                     "--shard", f"{k}/2") for k in (1, 2)]
        write("json_report", "shard-waived.json", compact(parts[0]))
        server.send_signal(signal.SIGTERM)
        server.wait()
        subprocess.run([str(runner), "merge", *map(str, parts), "--json", str(tmp / "merged.json")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        write("json_report", "merged.json", compact(tmp / "merged.json"))
        # Nothing listens there any more: every case is an error, the target problem is named.
        write("json_report", "unreachable.json", compact(run(address, "down.json", *cases)))
    schema = json.loads((ROOT / "suite" / "schema" / "report.schema.json").read_text())
    write_dict("json_report", json_dictionary(schema))


if __name__ == "__main__":
    response_seeds()
    backend_seeds()
    extension_seeds()
    frame_seeds()
    case_seeds()
    report_seeds()
