#!/usr/bin/env python3
"""Checks that the release's pieces name the same binaries, and that the native
twin declares exactly what the container action declares.

    check_native_action.py        (run by .ci/lint, in its venv: needs ruamel.yaml)

One list of release binaries, native/assets.txt (runner.os, runner.arch, Rust
target, asset name), is read at run time by native/run.sh and by
scripts/release-files.sh. Two places cannot read it and are checked here:

- the build matrix of .github/workflows/release.yml: exactly those targets and
  asset names, each built on a runner of its own OS and architecture, and the
  image job taking the two Linux binaries for the right Docker platforms;
- the checksum lines of native/action.yml: one empty
  CLOUDFLARE_PURGE_SHA256_<TARGET> per target, nothing else.

And native/action.yml against action.yml: the same inputs (names,
descriptions, required, defaults, order) and outputs (names, descriptions),
each output's value taken from the run step, every input passed to that step
as INPUT_<NAME> between the generated-env markers, release data empty (main
is not a release), no ${{ }} in run:. Asset-like names anywhere in the
release files must be in the list (a typo is an asset nobody builds).

And the pins: every `uses:` in native/action.yml (organisations that require
actions pinned by full commit SHA apply it to the steps inside a composite
action too) and in the workflows names a full 40-hex commit or a local
path; the release's provenance: actions/attest runs in one job, the only one
with id-token: write and attestations: write, for the binaries and the image
digest the release commit pins.
Prints each problem; exits 1 if there is any.
"""

import re
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
PROBLEMS = []

# GitHub-hosted runner labels this project may build on, with the runner.os and
# runner.arch their jobs see. A new label needs a line here.
RUNNER_LABELS = {
    "ubuntu-latest": ("Linux", "X64"),
    "ubuntu-24.04": ("Linux", "X64"),
    "ubuntu-22.04": ("Linux", "X64"),
    "ubuntu-24.04-arm": ("Linux", "ARM64"),
    "ubuntu-22.04-arm": ("Linux", "ARM64"),
    "macos-latest": ("macOS", "ARM64"),
    "macos-15": ("macOS", "ARM64"),
    "macos-14": ("macOS", "ARM64"),
    "macos-15-intel": ("macOS", "X64"),
    "macos-13": ("macOS", "X64"),
    "windows-latest": ("Windows", "X64"),
    "windows-2025": ("Windows", "X64"),
    "windows-2022": ("Windows", "X64"),
    "windows-11-arm": ("Windows", "ARM64"),
}
# Docker's platform architecture for a Linux Rust target.
DOCKER_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}
ASSET_LIKE = re.compile(r"cloudflare-purge-[a-z0-9_]+(?:-[a-z0-9_]+)+(?:\.exe)?")
FILES_NAMING_ASSETS = [
    ".github/workflows/release.yml",
    "native/action.yml",
    "native/run.sh",
    "scripts/release.sh",
    "scripts/release-files.sh",
    "scripts/release-check-binary.sh",
    "release.Dockerfile",
]


def problem(text):
    PROBLEMS.append(text)


# A `uses:` value that pins what runs: a remote action at a full commit SHA,
# a local action (./…), or an image by digest.
PINNED_USES = re.compile(r"^(?:[\w.-]+/[\w./-]+@[0-9a-f]{40}|\./.*|\.|docker://[^@\s]+@sha256:[0-9a-f]{64})$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)", re.M)


def unpinned_uses(text):
    """The `uses:` values of a YAML text that pin nothing."""
    values = (match.group(1).strip("'\"") for match in USES_LINE.finditer(text))
    return [value for value in values if not PINNED_USES.match(value)]


def check_pinned_uses():
    workflows = sorted(str(p.relative_to(ROOT)) for p in (ROOT / ".github/workflows").glob("*.yml"))
    for relative in ["native/action.yml", *workflows]:
        for value in unpinned_uses((ROOT / relative).read_text(encoding="utf-8")):
            problem(f"{relative}: uses: {value} is not pinned by a full commit SHA (or a local path)")
    # The check itself: what it must refuse and accept.
    refused = unpinned_uses("    - uses: actions/checkout@v5\n      uses: 'actions/cache@main'\n")
    accepted = unpinned_uses(f"- uses: actions/checkout@{'0' * 40} # v5\n- uses: ./\n")
    if refused != ["actions/checkout@v5", "actions/cache@main"] or accepted:
        problem(f"check_pinned_uses is broken: refused {refused}, accepted-but-flagged {accepted}")


def check_attestations():
    jobs = load_yaml(".github/workflows/release.yml").get("jobs", {})
    signing = [name for name, job in jobs.items() if {"id-token", "attestations"} & set(job.get("permissions") or {})]
    if signing != ["attest"]:
        problem(f"release.yml: jobs {signing} can mint tokens or write attestations; only 'attest' should")
    attest = jobs.get("attest") or {}
    perms = dict(attest.get("permissions") or {})
    if perms != {"contents": "read", "id-token": "write", "attestations": "write"}:
        problem(f"release.yml: the attest job's permissions are {perms}")
    steps = attest.get("steps") or []
    withs = [s.get("with") or {} for s in steps if str(s.get("uses", "")).startswith("actions/attest@")]
    if not any(str(w.get("subject-path", "")).startswith("dist/cloudflare-purge-") for w in withs):
        problem("release.yml: the attest job does not attest the release binaries (subject-path: dist/cloudflare-purge-*)")
    if not any(w.get("subject-digest") == "${{ needs.image.outputs.digest }}" for w in withs):
        problem("release.yml: the attest job does not attest the image digest (needs.image.outputs.digest)")
    tag = jobs.get("tag") or {}
    if "attest" not in (tag.get("needs") or []):
        problem("release.yml: the tag job must wait for the attestations (needs: attest)")
    env = next((s.get("env") or {} for s in tag.get("steps") or [] if s.get("id") == "tag"), {})
    if env.get("DIGEST") != "${{ needs.image.outputs.digest }}":
        problem("release.yml: the release commit must pin the digest the image job pushed (env DIGEST)")


def load_yaml(relative):
    return YAML(typ="safe").load((ROOT / relative).read_text(encoding="utf-8"))


def checksum_variable(target):
    return "CLOUDFLARE_PURGE_SHA256_" + target.upper().replace("-", "_")


def read_assets():
    rows = []
    for number, line in enumerate((ROOT / "native/assets.txt").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split()
        if len(fields) != 4:
            problem(f"native/assets.txt:{number}: expected 'os arch target asset', got {line!r}")
            continue
        os_, arch, target, asset = fields
        expected = f"cloudflare-purge-{target}" + (".exe" if os_ == "Windows" else "")
        if asset != expected:
            problem(f"native/assets.txt:{number}: asset {asset!r} should be named {expected!r}")
        if os_ not in ("Linux", "macOS", "Windows") or arch not in ("X86", "X64", "ARM", "ARM64"):
            problem(f"native/assets.txt:{number}: {os_} {arch} is not a runner.os and runner.arch")
        rows.append((os_, arch, target, asset))
    for what, keys in (
        ("runner.os and runner.arch", [row[:2] for row in rows]),
        ("target", [row[2] for row in rows]),
        ("asset", [row[3] for row in rows]),
    ):
        if len(set(keys)) != len(keys):
            problem(f"native/assets.txt lists a {what} twice")
    if not rows:
        problem("native/assets.txt lists no binary")
    return rows


def check_release_workflow(rows):
    workflow = load_yaml(".github/workflows/release.yml")
    jobs = workflow.get("jobs", {})
    include = (((jobs.get("binaries") or {}).get("strategy") or {}).get("matrix") or {}).get("include") or []
    built = {}
    for entry in include:
        target, asset, runner = entry.get("target"), entry.get("asset"), entry.get("runner")
        built[target] = (asset, runner)
    listed = {row[2]: row for row in rows}
    for target in sorted(set(listed) - set(built)):
        problem(f"release.yml builds no binary for {target} (native/assets.txt lists it)")
    for target in sorted(set(built) - set(listed)):
        problem(f"release.yml builds {target}, which native/assets.txt does not list")
    for target in sorted(set(built) & set(listed)):
        os_, arch, _, asset = listed[target]
        built_asset, runner = built[target]
        if built_asset != asset:
            problem(f"release.yml names the {target} binary {built_asset!r}; native/assets.txt says {asset!r}")
        if runner not in RUNNER_LABELS:
            problem(f"release.yml builds {target} on {runner!r}, a runner label check_native_action.py does not know")
        elif RUNNER_LABELS[runner] != (os_, arch):
            problem(
                f"release.yml builds {target} on {runner}, which is {' '.join(RUNNER_LABELS[runner])};"
                f" native/assets.txt says it runs on {os_} {arch}"
            )

    # The image: each Linux binary downloaded into dist/linux-<docker arch>.
    downloads = {}
    for step in (jobs.get("image") or {}).get("steps") or []:
        if str(step.get("uses", "")).startswith("actions/download-artifact@"):
            downloads[(step.get("with") or {}).get("name")] = (step.get("with") or {}).get("path")
    expected = {
        row[3]: f"dist/linux-{DOCKER_ARCH.get(row[2].split('-')[0], '?')}" for row in rows if row[0] == "Linux"
    }
    if downloads != expected:
        problem(f"release.yml's image job downloads {downloads}; expected the Linux binaries as {expected}")


def section(text, begin, end, where):
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        problem(f"{where} should have the marker lines {begin!r} … {end!r} once each, in that order")
        return ""
    return text[text.index(begin) + len(begin) : text.index(end)]


def check_native_action(rows):
    container = load_yaml("action.yml")
    native = load_yaml("native/action.yml")
    text = (ROOT / "native/action.yml").read_text(encoding="utf-8")

    if list(native.get("inputs", {}).items()) != list(container.get("inputs", {}).items()):
        problem("native/action.yml's inputs differ from action.yml's (names, descriptions, required, defaults, order)")
    outputs = native.get("outputs", {})
    described = {name: {"description": spec.get("description")} for name, spec in outputs.items()}
    if list(described.items()) != list(container.get("outputs", {}).items()):
        problem("native/action.yml's outputs differ from action.yml's (names, descriptions, order)")
    for name, spec in outputs.items():
        if spec.get("value") != f"${{{{ steps.run.outputs.{name} }}}}":
            problem(f"native/action.yml: output {name} should have value: ${{{{ steps.run.outputs.{name} }}}}")
    section(text, "# BEGIN generated from src/inputs/table.rs\n", "# END generated\n", "native/action.yml")

    runs = native.get("runs", {})
    steps = runs.get("steps") or []
    if runs.get("using") != "composite" or len(steps) != 1 or steps[0].get("id") != "run":
        problem("native/action.yml should be a composite action with one step, id: run")
        return
    step = steps[0]
    if step.get("shell") != "bash":
        problem("native/action.yml: the run step should use shell: bash (all three OSes have it)")
    if "${{" in str(step.get("run", "")):
        problem("native/action.yml: ${{ }} inside run:, pass the value through env: instead")
    env = step.get("env") or {}

    inputs = list(container.get("inputs", {}))
    wanted = {f"INPUT_{name.upper()}": f"${{{{ inputs.{name} }}}}" for name in inputs}
    passed = {name: value for name, value in env.items() if name.startswith("INPUT_")}
    if passed != wanted:
        missing = sorted(set(wanted) - set(passed))
        extra = sorted(set(passed) - set(wanted))
        wrong = sorted(n for n in set(wanted) & set(passed) if wanted[n] != passed[n])
        problem(f"native/action.yml's run step passes the inputs wrongly: missing {missing}, extra {extra}, wrong {wrong}")
    env_block = section(
        text, "# BEGIN env generated from src/inputs/table.rs\n", "# END env generated\n", "native/action.yml"
    )
    for name in wanted:
        if not re.search(rf"^\s+{name}: ", env_block, re.M):
            problem(f"native/action.yml: {name} is not between the generated-env markers")

    checksums = {name for name in env if name.startswith("CLOUDFLARE_PURGE_SHA256_")}
    expected = {checksum_variable(row[2]) for row in rows}
    if checksums != expected:
        problem(f"native/action.yml pins checksums {sorted(checksums)}; native/assets.txt needs {sorted(expected)}")
    for name in sorted(expected | {"CLOUDFLARE_PURGE_RELEASE_VERSION", "CLOUDFLARE_PURGE_RELEASE_REPOSITORY"}):
        if env.get(name, None) != "":
            problem(f"native/action.yml: {name} should be '' on main (the release commit fills it in)")


def check_asset_like_names(rows):
    known = {row[3] for row in rows}
    for relative in FILES_NAMING_ASSETS:
        for match in ASSET_LIKE.finditer((ROOT / relative).read_text(encoding="utf-8")):
            if match.group(0) not in known:
                problem(f"{relative} names {match.group(0)!r}, which is not a binary of native/assets.txt")


def main():
    rows = read_assets()
    check_release_workflow(rows)
    check_native_action(rows)
    check_asset_like_names(rows)
    check_pinned_uses()
    check_attestations()
    for text in PROBLEMS:
        print(f"check_native_action: {text}")
    if PROBLEMS:
        return 1
    print(f"check_native_action: {len(rows)} release binaries agree across native/, release.yml and scripts/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
