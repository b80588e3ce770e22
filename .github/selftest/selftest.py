#!/usr/bin/env python3
"""Runs the built action against a fake Cloudflare API, the way the runner does.

    selftest.py --image cloudflare-purge:test      # docker run, as GitHub runs a container action
    selftest.py --binary target/.../cloudflare-purge  # the same cases against a local binary

Every declared input is passed, unset ones as "" and the rest with their
action.yml default, as INPUT_<NAME>; values travel in the environment
(`docker run -e NAME`, never `-e NAME=value`), as the runner passes them.
Each case asserts what a user sees (exit status, outputs, annotations) and
what the fake was asked. Closes with "N passed, M failed".
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the work tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_cloudflare  # noqa: E402

# Well-formed legacy tokens (40 characters): the offline checks pass, and only
# the fake decides which one is good.
GOOD_TOKEN = "Sf7kq2Lx9VbN4mRt8YwZ3cHj6PdG1aEu5TnK0sQv"
BAD_TOKEN = "Qm4Tz8Rb2Wc6Yd0Hf3Jg7Kp1Ls5Nv9Xa2Ue6Ci4o"
ZONE_ID = fake_cloudflare.DEFAULT_ZONE_ID

# CONTRACT.md section 2: every input and its default ("" = no default).
INPUT_DEFAULTS = {
    "zone": "",
    "api_token": "",
    "email": "",
    "global_api_key": "",
    "account_id": "",
    "files": "",
    "files_from": "",
    "tags": "",
    "hosts": "",
    "prefixes": "",
    "purge_everything": "false",
    "base_url": "",
    "mode": "purge",
    "dry_run": "false",
    "expiry_warning_days": "14",
    "check_purge_permission": "true",
    "api_url": "https://api.cloudflare.com/client/v4",
    "timeout_seconds": "30",
}

CASES = [
    {
        "name": "good token purges the listed files",
        "inputs": {"zone": ZONE_ID, "api_token": GOOD_TOKEN, "files": "https://example.com/index.html\n/blog/"},
        "exit": 0,
        "outputs": {"result": "purged", "cause": ""},
        "purges": "some",
        "purged_files": ["https://example.com/index.html", "https://example.com/blog/"],
    },
    {
        "name": "unknown token fails before any purge",
        "inputs": {"zone": ZONE_ID, "api_token": BAD_TOKEN, "files": "https://example.com/index.html"},
        "exit": 1,
        "outputs": {"result": "failed", "cause": "token-invalid"},
        "annotation": "::error title=",
        "purges": "none",
    },
    {
        "name": "missing zone fails before any request",
        "inputs": {"zone": "", "api_token": GOOD_TOKEN, "files": "https://example.com/index.html"},
        "exit": 2,
        "outputs": {"result": "failed", "cause": "missing-zone"},
        "annotation": "::error title=",
        "requests": "none",
    },
    {
        "name": "verify mode checks the purge permission with one never-served URL",
        "inputs": {"zone": ZONE_ID, "api_token": GOOD_TOKEN, "mode": "verify"},
        "exit": 0,
        "outputs": {"result": "verified", "cause": ""},
        "purges": "one",
        "purged_suffix": "/.well-known/cloudflare-purge-permission-check",
    },
]


def parse_github_output(text):
    """name=value lines and name<<DELIM ... DELIM blocks, as the runner reads them."""
    outputs = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            while i < len(lines) and lines[i] != delimiter:
                value.append(lines[i])
                i += 1
            i += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def run_action(args, inputs, api_url, workdir):
    """Run one step; return (exit status, stdout, stderr, outputs, summary)."""
    commands = workdir / "file_commands"
    workspace = workdir / "workspace"
    commands.mkdir()
    workspace.mkdir()
    # The runner creates these files before the step; the action appends.
    (commands / "output").touch()
    (commands / "summary").touch()

    values = {f"INPUT_{name.upper()}": value for name, value in {**INPUT_DEFAULTS, **inputs}.items()}
    values["INPUT_API_URL"] = api_url
    values.update({"GITHUB_ACTIONS": "true", "CI": "true"})

    if args.image:
        values.update(
            {
                "GITHUB_WORKSPACE": "/github/workspace",
                "GITHUB_OUTPUT": "/github/file_commands/output",
                "GITHUB_STEP_SUMMARY": "/github/file_commands/summary",
            }
        )
        command = [args.docker, "run", "--rm", "--network", "host", "--workdir", "/github/workspace"]
        for name in values:
            command += ["-e", name]
        command += [
            "-v", f"{commands}:/github/file_commands",
            "-v", f"{workspace}:/github/workspace",
            args.image,
        ]
        env = {**os.environ, **values}
        cwd = None
    else:
        values.update(
            {
                "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_OUTPUT": str(commands / "output"),
                "GITHUB_STEP_SUMMARY": str(commands / "summary"),
            }
        )
        command = [str(Path(args.binary).resolve())]
        env = values  # nothing else: no PATH, no HOME, no CLOUDFLARE_* from this shell
        cwd = workspace

    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=180, check=False)
    outputs = parse_github_output((commands / "output").read_text(encoding="utf-8"))
    summary = (commands / "summary").read_text(encoding="utf-8")
    return done.returncode, done.stdout, done.stderr, outputs, summary


def read_log(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check_case(case, status, stdout, stderr, outputs, summary, requests):
    problems = []
    if status != case["exit"]:
        problems.append(f"exit status {status}, expected {case['exit']}")
    for name, expected in case.get("outputs", {}).items():
        # An output never written reads as "" in a workflow, like one written empty.
        if outputs.get(name, "") != expected:
            problems.append(f"output {name}={outputs.get(name)!r}, expected {expected!r}")
    if "annotation" in case and case["annotation"] not in stdout:
        problems.append(f"stdout has no {case['annotation']!r} line")

    purges = [r for r in requests if r["method"] == "POST" and r["path"].endswith("/purge_cache")]
    if case.get("requests") == "none" and requests:
        problems.append(f"the fake got {len(requests)} request(s), expected none")
    if case.get("purges") == "none" and purges:
        problems.append(f"the fake got {len(purges)} purge(s), expected none")
    if case.get("purges") == "some" and not purges:
        problems.append("the fake got no purge")
    if case.get("purges") == "one" and len(purges) != 1:
        problems.append(f"the fake got {len(purges)} purge(s), expected exactly one")
    if any(p["auth"] != "good" for p in purges):
        problems.append("a purge was sent without the good token")

    files = []
    for purge in purges:
        for item in (purge.get("body") or {}).get("files", []):
            files.append(item["url"] if isinstance(item, dict) else item)
    for url in case.get("purged_files", []):
        if url not in files:
            problems.append(f"{url} was not purged (purged: {files})")
    suffix = case.get("purged_suffix")
    if suffix and not any(url.endswith(suffix) for url in files):
        problems.append(f"no purged URL ends in {suffix} (purged: {files})")

    # No secret, and no part of one, outside the ::add-mask:: registration itself.
    token = case["inputs"].get("api_token", "")
    if token:
        shown = [line for line in stdout.splitlines() if not line.startswith("::add-mask::")]
        for where, text in (
            ("stdout", "\n".join(shown)),
            ("stderr", stderr),
            ("summary", summary),
            ("outputs", json.dumps(outputs)),
        ):
            if token in text or token[:12] in text or token[-12:] in text:
                problems.append(f"the token (or part of it) appears in {where}")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--image", help="image to docker run")
    target.add_argument("--binary", help="binary to run directly")
    parser.add_argument("--docker", default="docker", help="docker client to use")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="cloudflare-purge-selftest-"))
    log_path = root / "requests.jsonl"
    server = fake_cloudflare.make_server(GOOD_TOKEN, str(log_path))
    api_url = f"http://127.0.0.1:{server.server_address[1]}{fake_cloudflare.API_PREFIX}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"fake Cloudflare API at {api_url}")

    passed = failed = 0
    try:
        for number, case in enumerate(CASES, 1):
            workdir = root / f"case{number}"
            workdir.mkdir()
            log_path.write_text("", encoding="utf-8")
            status, stdout, stderr, outputs, summary = run_action(args, case["inputs"], api_url, workdir)
            problems = check_case(case, status, stdout, stderr, outputs, summary, read_log(log_path))
            if problems:
                failed += 1
                print(f"FAIL {case['name']}")
                for problem in problems:
                    print(f"     - {problem}")
                print("     --- stdout ---\n" + stdout)
                print("     --- stderr ---\n" + stderr)
                print("     --- outputs ---\n" + json.dumps(outputs, indent=2))
                print("     --- requests ---\n" + log_path.read_text(encoding="utf-8"))
            else:
                passed += 1
                print(f"ok   {case['name']}")
    finally:
        server.shutdown()
        shutil.rmtree(root, ignore_errors=True)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
