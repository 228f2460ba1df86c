#!/usr/bin/env python3
"""The one-way architecture (README, "Layout"), checked: every #include of every layer's files
names only the layers the table below allows, Asio and Beast stay where they are, and each
layer library in the CMake files links only allowed layers and lists its sources by name.

The build enforces the includes too (a layer's headers are found only by the libraries that
link it, layers.cmake); this check names the file, the line and the forbidden layer, and holds
the architecture where a link would let more through.

Usage: check_includes.py SOURCE_ROOT. Exit 0 when everything conforms, 1 with one line per
violation."""
import pathlib
import re
import sys

# Top to bottom; a layer may include itself and the layers listed for it, nothing else.
# encoding (base64, hex, quoting, UTF-8, the clock) sits below every layer and needs none.
CODECS = ["wire", "ws", "h2", "tls"]
ALLOWED = {
    "cli": ["reports", "engine", "gate", "catalogue", "model", *CODECS, "encoding"],  # the face
    "reports": ["describe", "gate", "catalogue", "model", "encoding"],  # no codec, no checks
    "describe": ["model", "encoding"],
    "gate": ["catalogue", "model", "encoding"],
    "engine": ["checks", "catalogue", "model", *CODECS, "encoding"],  # never face nor writers
    "checks": ["describe", "model", *CODECS, "encoding"],  # judging needs no connection
    "catalogue": ["model", *CODECS, "encoding"],
    "h2": ["ws", "model", "encoding"],
    "ws": ["wire", "model", "encoding"],
    "wire": ["model", "encoding"],
    "tls": ["model", "encoding"],
    "model": ["encoding"],  # plain data
    "encoding": [],
}
FOLDERS = {layer: f"runner/{layer}" for layer in ALLOWED}
FOLDERS["reports"] = "reports"
# Third-party headers that only some layers may include (compile time: Asio and Beast are heavy).
CONFINED = {"boost": ["wire", "engine"]}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
LAYER_CALL = re.compile(r"upgradespec_layer\((\w+)\s+\S+(.*?)\)", re.S)


def include_problems(root):
    problems = []
    for layer, folder in FOLDERS.items():
        for path in sorted((root / folder).glob("*.[ch]pp")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                match = INCLUDE.match(line)
                if not match:
                    continue
                quote, header = match.groups()
                top = header.split("/")[0]
                where = f"{path.relative_to(root)}:{number}"
                if quote == '"' and top in ALLOWED and top != layer and top not in ALLOWED[layer]:
                    allowed = ", ".join(ALLOWED[layer]) or "nothing of ours"
                    problems.append(f"{where}: includes {header}: {layer} may not depend on "
                                    f"{top} (allowed: {allowed})")
                if quote == "<" and top in CONFINED and layer not in CONFINED[top]:
                    problems.append(f"{where}: includes <{header}>: {top} stays in "
                                    f"{', '.join(CONFINED[top])}")
    return problems


def cmake_problems(root):
    problems = []
    for name in ["runner/CMakeLists.txt", "reports/CMakeLists.txt"]:
        text = re.sub(r"#[^\n]*", "", (root / name).read_text())  # comments out
        if re.search(r"file\s*\(\s*GLOB", text):
            problems.append(f"{name}: a GLOB: list each layer's sources by name")
        for layer, body in LAYER_CALL.findall(text):
            if layer not in ALLOWED:
                problems.append(f"{name}: upgradespec_layer({layer}): not in the layer table")
                continue
            for dep in re.findall(r"upgradespec_(\w+)", body):
                if dep not in ALLOWED[layer]:
                    problems.append(f"{name}: upgradespec_{layer} links upgradespec_{dep}: "
                                    f"{layer} may not depend on {dep}")
    return problems


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    problems = include_problems(root) + cmake_problems(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} violation(s) of the layering (tests/layering/check_includes.py)")
        return 1
    print(f"{len(FOLDERS)} layers: every #include and every link goes down the table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
