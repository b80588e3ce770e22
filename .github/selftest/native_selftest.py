#!/usr/bin/env python3
"""Runs the native action's step the way the runner runs a composite step,
against a local file server (standing in for the release downloads) and the
fake Cloudflare API.

    native_selftest.py --binary target/x86_64-unknown-linux-musl/release/cloudflare-purge

First the release's file work, on a copy: scripts/release-files.sh writes
SHA256SUMS for the binary (under its Linux x86_64 asset name) and stand-ins for
the other assets, and stamps copies of action.yml and native/action.yml, which
must then differ from main's in exactly the release lines; and
scripts/release.sh itself runs against a local bare remote (checks, dry runs,
the one tag it pushes, the refusal to release twice). Then the step of
native/action.yml itself: its env: is evaluated as the runner would
(${{ inputs.* }} with the declared defaults, ${{ runner.os }}, ...), its run:
is run with `bash --noprofile --norc -eo pipefail`, and each case asserts the
exit status, annotations and outputs, what the file server served and what
the fake API was asked. The download address is the one thing not taken from
native/action.yml: CLOUDFLARE_PURGE_DOWNLOAD_BASE points at the file server,
so the checksum pinned by the stamp is what protects the run, as on a runner.
The file server also plays a download that stalls (/stall/: the headers and
1,000 bytes, then nothing) and one that trickles (/slow/: the good binary over
about 4 s), for the stall limits and for a cancel (SIGINT or SIGTERM to the
step's process, as the runner sends it) during the download; the stall limits
are shortened through run.sh's test knobs. Closes with "N passed, M failed".
"""

import argparse
import functools
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.dont_write_bytecode = True  # leave no __pycache__ in the work tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
import fake_cloudflare  # noqa: E402
import selftest  # noqa: E402  (the container self-test: token, output parsing)

ROOT = Path(__file__).resolve().parents[2]
RELEASE_FILES = ROOT / "scripts" / "release-files.sh"
VERSION = "9.8.7"
REPOSITORY = "Example-Owner/cloudflare-purge"
# Stands for the digest of the pushed image, which the release commit pins.
DIGEST = "sha256:" + hashlib.sha256(b"the image index").hexdigest()
ASSET = "cloudflare-purge-x86_64-unknown-linux-musl"  # the binary this machine can run
RELEASE_LINES = re.compile(r"^        CLOUDFLARE_PURGE_(RELEASE_VERSION|RELEASE_REPOSITORY|SHA256_[A-Z0-9_]+): ")
PURGE = {"zone": selftest.ZONE_ID, "api_token": selftest.GOOD_TOKEN, "files": "https://example.com/index.html"}


def release_files(*args, check=True):
    done = subprocess.run(["bash", str(RELEASE_FILES), *args], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"release-files.sh {' '.join(args)} failed: {done.stderr}")
    return done


def assets():
    return release_files("assets").stdout.split()


# --- the composite step, read from native/action.yml -------------------------------------------


def yaml_scalar(raw, where):
    """The plain YAML this file uses: '' or 'single quoted' scalars, or one ${{ }} expression."""
    if re.fullmatch(r"'(?:[^']|'')*'", raw):
        return raw[1:-1].replace("''", "'")
    if re.fullmatch(r"\$\{\{ [a-z_]+\.[a-z_]+ \}\}", raw):
        return raw
    raise ValueError(f"native/action.yml {where}: {raw!r} is not a shape this self-test reads; extend it")


def read_step(action_yml):
    """(input defaults, the run step's env as written, its run: line)."""
    lines = action_yml.read_text(encoding="utf-8").splitlines()
    defaults, name, section = {}, None, None
    for line in lines:
        if re.fullmatch(r"[a-z]+:", line):
            section = line[:-1]
        elif section == "inputs" and re.fullmatch(r"  [a-z_]+:", line):
            name = line.strip()[:-1]
            defaults[name] = ""
        elif section == "inputs" and line.startswith("    default: "):
            defaults[name] = yaml_scalar(line[len("    default: ") :], f"default of {name}")
    start = lines.index("    - id: run")
    env, run, in_env = {}, None, False
    for line in lines[start + 1 :]:
        if line.strip().startswith("#") or not line.strip():
            continue
        if line == "      env:":
            in_env = True
        elif in_env and line.startswith("        "):
            match = re.fullmatch(r"        ([A-Z][A-Z0-9_]*): (.*)", line)
            if not match:
                raise ValueError(f"native/action.yml env line {line!r} is not NAME: value")
            env[match.group(1)] = yaml_scalar(match.group(2), match.group(1))
        elif line.startswith("      run: "):
            run = line[len("      run: ") :]
            in_env = False
        elif line.startswith("      "):
            in_env = False
        else:
            break
    if run is None:
        raise ValueError("native/action.yml: the run step has no one-line run:")
    return defaults, env, run


def evaluate(value, context):
    match = re.fullmatch(r"\$\{\{ ([a-z_]+)\.([a-z_]+) \}\}", value)
    if not match:
        return value
    scope, key = match.groups()
    if scope not in context or key not in context[scope]:
        raise ValueError(f"native/action.yml uses ${{{{ {scope}.{key} }}}}, which this self-test does not provide")
    return context[scope][key]


# --- the servers --------------------------------------------------------------------------------


STALL_HOLD_SECONDS = 30  # how long /stall/ keeps a connection open without sending a byte
SLOW_SECONDS = 4  # how long /slow/ takes to send the binary


class FileServer:
    """Serves a directory on 127.0.0.1 and remembers the paths asked for.

    /stall/<asset>: the headers and 1,000 bytes of a long file, then nothing
    (until STALL_HOLD_SECONDS or the end of the self-test). /slow/<asset>: the
    file under good/, sent in pieces over SLOW_SECONDS."""

    def __init__(self, directory):
        self.requests = []
        self.stop = threading.Event()
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def log_request(self, code="-", size="-"):
                server.requests.append(self.path)

            def log_message(self, fmt, *args):
                pass

            def do_GET(self):
                try:
                    if self.path.startswith("/stall/"):
                        self.stall()
                    elif self.path.startswith("/slow/"):
                        self.trickle(Path(directory) / "good" / Path(self.path).name)
                    else:
                        super().do_GET()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

            def stall(self):
                self.send_response(200)
                self.send_header("Content-Length", "5000000")
                self.end_headers()
                self.wfile.write(b"\0" * 1000)
                self.wfile.flush()
                server.stop.wait(STALL_HOLD_SECONDS)

            def trickle(self, path):
                data = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                pieces = 40
                size = len(data) // pieces + 1
                for start in range(0, len(data), size):
                    self.wfile.write(data[start : start + size])
                    self.wfile.flush()
                    if server.stop.wait(SLOW_SECONDS / pieces):
                        return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


# --- the cases ----------------------------------------------------------------------------------


def run_step(case, trees, files, api_url, workdir):
    tree = trees[case.get("tree", "released")]
    defaults, template, run = read_step(tree / "native" / "action.yml")
    inputs = {**defaults, **case.get("inputs", {}), "api_url": api_url}
    context = {
        "inputs": inputs,
        "runner": {"os": case.get("os", "Linux"), "arch": case.get("arch", "X64")},
        "github": {"action_path": str(tree / "native"), "action_repository": REPOSITORY},
    }
    step_env = {name: evaluate(value, context) for name, value in template.items()}

    for name in ("runner_temp", "file_commands", "workspace"):
        (workdir / name).mkdir()
    output, summary = workdir / "file_commands" / "output", workdir / "file_commands" / "summary"
    output.touch()
    summary.touch()
    (workdir / "step.sh").write_text(run + "\n", encoding="utf-8")
    env = {
        # What a runner gives every step (only what matters here), then the step's own env:.
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "RUNNER_OS": context["runner"]["os"],
        "RUNNER_ARCH": context["runner"]["arch"],
        "RUNNER_TEMP": str(workdir / "runner_temp"),
        "GITHUB_WORKSPACE": str(workdir / "workspace"),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTION_PATH": str(tree / "native"),
        "CLOUDFLARE_PURGE_DOWNLOAD_BASE": case.get("download_base", files.url + "/good"),
        **step_env,
    }
    if case.get("runner_temp") == "missing":
        env["RUNNER_TEMP"] = str(workdir / "runner_temp" / "missing")
    env.update(case.get("env", {}))
    done = run_process(case, env, workdir / "workspace", [str(workdir / "step.sh")], files)
    outputs = selftest.parse_github_output(output.read_text(encoding="utf-8"))
    return done, outputs, summary.read_text(encoding="utf-8")


class Done:
    """What a step did: exit status, stdout, stderr, and problems with its timing."""

    def __init__(self, returncode, stdout, stderr, late):
        self.returncode, self.stdout, self.stderr, self.late = returncode, stdout, stderr, late


def run_process(case, env, cwd, script, files):
    """Runs the step; with case["signal"], sends it (as the runner does, to the step's
    process only) once the download has begun. The step must end within
    case["within"] seconds (of the signal, when there is one)."""
    process = subprocess.Popen(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", *script],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so that nothing it started outlives the case
    )
    late = []
    start = time.monotonic()
    if "signal" in case:
        while not any(path.endswith(ASSET) for path in files.requests) and time.monotonic() - start < 20:
            time.sleep(0.05)
        time.sleep(0.3)  # curl is reading the answer
        process.send_signal(getattr(signal, "SIG" + case["signal"]))
        start = time.monotonic()
    within = case.get("within", 180)
    try:
        stdout, stderr = process.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        what = "SIG" + case["signal"] if "signal" in case else "it started"
        late.append(f"the step (or a process it started) still ran {within} s after {what}; killed")
        kill_group(process.pid)
        stdout, stderr = process.communicate()
    kill_group(process.pid)
    return Done(process.returncode, stdout, stderr, late)


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def check_case(case, done, outputs, summary, requests, served, workdir, marker):
    problems = list(done.late)
    if done.returncode != case["exit"]:
        problems.append(f"exit status {done.returncode}, expected {case['exit']}")
    for name, expected in case.get("outputs", {}).items():
        if outputs.get(name, "") != expected:
            problems.append(f"output {name}={outputs.get(name)!r}, expected {expected!r}")
    for text in case.get("stdout", []):
        if text not in done.stdout:
            problems.append(f"stdout has no {text!r}")
    downloads = [path for path in served if path.endswith(ASSET)]
    if len(downloads) != case.get("downloads", 0):
        problems.append(
            f"the file server was asked for the binary {len(downloads)} time(s), expected {case.get('downloads', 0)}"
        )
    left = [p for p in (workdir / "runner_temp").rglob("*") if p.is_file()]

    if case.get("binary_ran"):
        purges = [r for r in requests if r["method"] == "POST" and r["path"].endswith("/purge_cache")]
        if case["outputs"]["result"] == "purged" and not purges:
            problems.append("the fake got no purge")
        if not any(os.access(p, os.X_OK) and p.name == ASSET for p in left):
            problems.append(f"no executable {ASSET} in RUNNER_TEMP: what ran?")
    else:
        # Proof that nothing ran: the fake heard nothing, the tampered binary left
        # no mark, the only outputs are the script's result=failed and cause, no summary.
        if requests:
            problems.append(f"the fake got {len(requests)} request(s): something ran")
        if marker.exists():
            problems.append("the tampered binary ran")
        if outputs != case["outputs"]:
            problems.append(f"outputs {outputs}, expected only {case['outputs']} from run.sh")
        if done.stdout.count("::error ") != 1:
            problems.append(f"{done.stdout.count('::error ')} error annotations, expected one")
        if summary:
            problems.append("a step summary was written: the binary ran")
        if left:
            problems.append(f"files left in RUNNER_TEMP: {[str(p) for p in left]}")
    return problems


def stamp_checks(original, released, sums_path, assets_dir, root):
    """The release's rewrite, on copies: exactly the release lines change, the pins are SHA256SUMS."""
    problems = []
    sums = sums_path.read_text(encoding="utf-8")
    expected_sums = "".join(
        f"{hashlib.sha256((assets_dir / name).read_bytes()).hexdigest()}  {name}\n" for name in assets()
    )
    if sums != expected_sums:
        problems.append(f"SHA256SUMS is\n{sums}expected\n{expected_sums}")

    image = f"  image: docker://ghcr.io/{REPOSITORY.lower()}@{DIGEST} # {VERSION}"
    before = (original / "action.yml").read_text(encoding="utf-8").splitlines()
    after = (released / "action.yml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    if len(before) != len(after) or changed != [("  image: Dockerfile", image)]:
        problems.append(f"action.yml: expected only the image line to become {image!r}, got {changed}")

    before = (original / "native" / "action.yml").read_text(encoding="utf-8").splitlines()
    after = (released / "native" / "action.yml").read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    unexpected = [(a, b) for a, b in changed if not RELEASE_LINES.match(a) or not a.endswith(": ''")]
    if len(before) != len(after) or unexpected:
        problems.append(f"native/action.yml: lines other than the empty release data changed: {changed}")
    if len(changed) != 2 + len(assets()):
        problems.append(f"native/action.yml: {len(changed)} lines changed; expected version, repository, one per asset")
    for name, value in (("VERSION", VERSION), ("REPOSITORY", REPOSITORY)):
        line = f"        CLOUDFLARE_PURGE_RELEASE_{name}: '{value}'"
        if line not in after:
            problems.append(f"native/action.yml lacks {line.strip()!r}")
    pinned = release_files("pinned", str(released)).stdout
    if pinned != sums:
        problems.append(f"release-files.sh pinned reads\n{pinned}from the stamped native/action.yml, not\n{sums}")

    # Refusals, each leaving the files as they were.
    snapshot = {p: p.read_bytes() for p in (released / "action.yml", released / "native" / "action.yml")}
    if release_files("stamp", str(released), VERSION, REPOSITORY, str(sums_path), DIGEST, check=False).returncode == 0:
        problems.append("stamping an already stamped tree succeeded")
    short = root / "SHA256SUMS.short"
    short.write_text("".join(sums.splitlines(keepends=True)[:-1]), encoding="utf-8")
    fresh = root / "fresh"
    shutil.copytree(original / "native", fresh / "native")
    shutil.copy(original / "action.yml", fresh / "action.yml")
    if release_files("stamp", str(fresh), VERSION, REPOSITORY, str(short), DIGEST, check=False).returncode == 0:
        problems.append("stamping with a SHA256SUMS that lacks an asset succeeded")
    for digest in (f"{REPOSITORY}:{VERSION}", "", DIGEST[:-1], DIGEST.upper()):
        if release_files("stamp", str(fresh), VERSION, REPOSITORY, str(sums_path), digest, check=False).returncode == 0:
            problems.append(f"stamping with the image reference {digest!r} (not a sha256 digest) succeeded")
    if (fresh / "action.yml").read_bytes() != (original / "action.yml").read_bytes():
        problems.append("a refused stamp rewrote action.yml")
    if snapshot != {p: p.read_bytes() for p in snapshot}:
        problems.append("a refused stamp rewrote the stamped files")
    incomplete = root / "incomplete"
    incomplete.mkdir()
    if release_files("sums", str(incomplete), check=False).returncode == 0:
        problems.append("SHA256SUMS of a directory without the binaries succeeded")
    return problems


def git(*args, cwd):
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout.strip()


def release_script_checks(parent, assets_dir):
    """scripts/release.sh end to end against a local bare remote: checks, dry runs, the tag it pushes."""
    problems = []
    root = parent / "release-script"
    root.mkdir()
    version = re.search(r'^version = "(.*)"', (ROOT / "Cargo.toml").read_text(encoding="utf-8"), re.M).group(1)
    remote, clone = root / "remote.git", root / "clone"
    git("init", "--quiet", "--bare", str(remote), cwd=root)
    git("init", "--quiet", "--initial-branch=main", str(clone), cwd=root)
    for name in ("Cargo.toml", "action.yml"):
        shutil.copy(ROOT / name, clone / name)
    for name in ("native", "scripts"):
        shutil.copytree(ROOT / name, clone / name)
    (clone / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / ".github" / "workflows" / "release.yml", clone / ".github" / "workflows" / "release.yml")
    # main as it is once the version's CHANGELOG section is in.
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    section = f"## [Unreleased]\n\n## [{version}] - 2000-01-01"
    (clone / "CHANGELOG.md").write_text(changelog.replace("## [Unreleased]", section, 1), encoding="utf-8")
    git("add", "--all", cwd=clone)
    git("commit", "--quiet", "-m", "main", cwd=clone)
    git("remote", "add", "origin", str(remote), cwd=clone)
    git("push", "--quiet", "origin", "main", cwd=clone)
    main = git("rev-parse", "HEAD", cwd=clone)
    dist = root / "dist"
    shutil.copytree(assets_dir, dist)

    def release(*args, commit=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RELEASE_", "GIT_"))}
        env["RELEASE_REPOSITORY"] = REPOSITORY
        for who in ("AUTHOR", "COMMITTER"):
            env[f"GIT_{who}_NAME"], env[f"GIT_{who}_EMAIL"] = "Self-test", "selftest@example.com"
        if commit:
            env["RELEASE_COMMIT"] = commit
        return subprocess.run(
            ["bash", "scripts/release.sh", *args], cwd=clone, env=env, capture_output=True, text=True, check=False
        )

    def remote_tags():
        return git("tag", "--list", cwd=remote)

    expectations = [
        (("--check", version), 0, f"{main} is ready to be released as v{version}"),
        (("--dry-run", version), 0, f"gh workflow run release.yml --repo {REPOSITORY} --ref main -f version={version}"),
        (("--check", "0.0.0"), 1, "Cargo.toml of"),
        # The dry run names the workflow's jobs: the attestations come before the release commit.
        (("--dry-run", version), 0, "- attest the image and the binaries\nrelease:   - make the release commit"),
        (("--dry-run", "--assets", str(dist), "--image-digest", DIGEST, version), 0, "would tag"),
        # Shown in the dry run's patch: the image by digest, the tag a comment.
        (
            ("--dry-run", "--assets", str(dist), "--image-digest", DIGEST, version),
            0,
            f"+  image: docker://ghcr.io/{REPOSITORY.lower()}@{DIGEST} # {version}",
        ),
        (("--dry-run", "--assets", str(dist), version), 1, "--assets needs --image-digest"),
        (("--assets", str(root / "nothing-here"), "--image-digest", DIGEST, version), 1, "no directory"),
    ]
    for args, status, text in expectations:
        done = release(*args)
        if done.returncode != status or text not in done.stdout + done.stderr:
            problems.append(
                f"release.sh {' '.join(args)}: exit {done.returncode}, expected {status} and {text!r}:\n"
                + done.stdout
                + done.stderr
            )
    if remote_tags():
        problems.append(f"a check or dry run pushed a tag: {remote_tags()}")

    outside = git("commit-tree", "-m", "not on main", f"{main}^{{tree}}", cwd=clone)
    done = release("--check", version, commit=outside)
    if done.returncode == 0 or "is not on origin/main" not in done.stderr:
        problems.append(f"release.sh accepted a RELEASE_COMMIT that is not on main: {done.stderr}")

    done = release("--assets", str(dist), "--image-digest", DIGEST, version, commit=main)
    if done.returncode != 0:
        return problems + [f"release.sh --assets failed:\n{done.stdout}{done.stderr}"]
    tag = f"v{version}"
    if remote_tags() != tag:
        problems.append(f"the remote has the tags {remote_tags()!r}, expected {tag}")
    if git("rev-parse", f"{tag}^{{commit}}^", cwd=remote) != main:
        problems.append("the release commit is not a child of the commit being released")
    changed = git("diff", "--name-only", main, tag, cwd=remote).split()
    if changed != ["action.yml", "native/action.yml"]:
        problems.append(f"the release commit changes {changed}, expected action.yml and native/action.yml only")
    if git("rev-parse", "main", cwd=remote) != main:
        problems.append("release.sh moved main")
    tree = root / "tagged"
    tree.mkdir()
    for path in ("action.yml", "native/action.yml"):
        (tree / path).parent.mkdir(parents=True, exist_ok=True)
        (tree / path).write_text(git("show", f"{tag}:{path}", cwd=remote) + "\n", encoding="utf-8")
    if release_files("pinned", str(tree)).stdout != (dist / "SHA256SUMS").read_text(encoding="utf-8"):
        problems.append("the tag's native/action.yml does not pin the SHA256SUMS release.sh wrote")
    done = release("--assets", str(dist), "--image-digest", DIGEST, version, commit=main)
    if done.returncode == 0 or f"tag {tag} exists" not in done.stderr:
        problems.append(f"a second release of {version} was not refused: {done.stderr}")
    return problems


def binary_check_checks(parent, binary):
    """scripts/release-check-binary.sh on stand-ins for --version, and the static check on real binaries."""
    problems = []
    root = parent / "binary-check"
    root.mkdir()
    script = ROOT / "scripts" / "release-check-binary.sh"

    def stand_in(name, body):
        path = root / name
        path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        return path

    says = stand_in("says-version", f'printf "cloudflare-purge {VERSION}\\n"')
    says_crlf = stand_in("says-version-crlf", f'printf "cloudflare-purge {VERSION}\\r\\n"')
    fails = stand_in("exits-3", f'echo "cloudflare-purge {VERSION}"; exit 3')
    sh = shutil.which("sh")
    expectations = [
        ((str(says), VERSION), 0, f"cloudflare-purge {VERSION}"),
        ((str(says_crlf), VERSION), 0, f"cloudflare-purge {VERSION}"),
        ((str(says), "9.9.9"), 1, "::error title=Release binary check failed::"),
        ((str(fails), VERSION), 1, "exited 3"),
        ((str(root / "missing"), VERSION), 1, "no file"),
        (("--static", str(Path(sh).resolve()), VERSION), 1, "asks for a dynamic loader"),
    ]
    for args, status, text in expectations:
        done = subprocess.run(["bash", str(script), *args], capture_output=True, text=True, check=False)
        if done.returncode != status or text not in done.stdout:
            problems.append(
                f"release-check-binary.sh {' '.join(args)}: exit {done.returncode}, expected {status} and {text!r}"
            )
    # The musl binary passes the static part (its --version is the binary's own business).
    done = subprocess.run(["bash", str(script), "--static", str(binary), VERSION], capture_output=True, text=True)
    if "dynamic loader" in done.stdout or "shared libraries" in done.stdout:
        problems.append(f"release-check-binary.sh --static refused the static binary: {done.stdout}")
    return problems


def report(name, problems):
    if problems:
        print(f"FAIL {name}")
        for text in problems:
            print(f"     - {text}")
        return False
    print(f"ok   {name}")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the x86_64-unknown-linux-musl binary")
    args = parser.parse_args()
    binary = Path(args.binary).resolve()

    root = Path(tempfile.mkdtemp(prefix="cloudflare-purge-native-selftest-"))
    log_path = root / "requests.jsonl"
    api = fake_cloudflare.make_server(selftest.GOOD_TOKEN, str(log_path))
    api_url = f"http://127.0.0.1:{api.server_address[1]}{fake_cloudflare.API_PREFIX}"
    threading.Thread(target=api.serve_forever, daemon=True).start()
    marker = root / "tampered-binary-ran"

    # The release assets: this binary, and stand-ins for the platforms this machine cannot run.
    www = root / "www"
    good = www / "good"
    good.mkdir(parents=True)
    for name in assets():
        if name == ASSET:
            shutil.copy(binary, good / name)
        else:
            (good / name).write_text(f"stand-in for {name}\n", encoding="utf-8")
    tampered = www / "tampered"
    tampered.mkdir()
    script = f'#!/bin/sh\ntouch "{marker}"\necho result=purged >>"$GITHUB_OUTPUT"\n'
    (tampered / ASSET).write_text(script, encoding="utf-8")
    (tampered / ASSET).chmod(0o755)
    (www / "empty").mkdir()
    files = FileServer(www)

    # The release commit's two files, on copies; and one whose pin is not this binary's.
    original = root / "main"
    released = root / "released"
    for tree in (original, released):
        shutil.copytree(ROOT / "native", tree / "native")
        shutil.copy(ROOT / "action.yml", tree / "action.yml")
    sums = root / "SHA256SUMS"
    sums.write_text(release_files("sums", str(good)).stdout, encoding="utf-8")
    release_files("stamp", str(released), VERSION, REPOSITORY, str(sums), DIGEST)
    wrong_pin = root / "wrong-pin"
    shutil.copytree(released, wrong_pin)
    native = wrong_pin / "native" / "action.yml"
    real = hashlib.sha256(binary.read_bytes()).hexdigest()
    other = hashlib.sha256(b"another build").hexdigest()
    native.write_text(native.read_text(encoding="utf-8").replace(real, other), encoding="utf-8")
    trees = {"main": original, "released": released, "wrong-pin": wrong_pin}

    def nothing_ran(cause):
        return {"outputs": {"result": "failed", "cause": cause}}

    quick = {  # run.sh's test knobs: a stalled download is given up after a few seconds
        "CLOUDFLARE_PURGE_DOWNLOAD_STALL_SECONDS": "1",
        "CLOUDFLARE_PURGE_DOWNLOAD_MAX_SECONDS": "60",
        "CLOUDFLARE_PURGE_DOWNLOAD_ATTEMPTS": "1",
    }
    cases = [
        {
            "name": "a release tag: the pinned binary is downloaded, checked and purges",
            "inputs": PURGE,
            "exit": 0,
            "outputs": {"result": "purged", "cause": ""},
            "downloads": 1,
            "binary_ran": True,
        },
        {
            "name": "the binary's own failure is the step's (exit status and outputs)",
            "inputs": {**PURGE, "api_token": selftest.BAD_TOKEN},
            "exit": 1,
            "outputs": {"result": "failed", "cause": "token-invalid"},
            "downloads": 1,
            "binary_ran": True,
        },
        {
            "name": "the binary's annotations link the README on the release's repository",
            "inputs": {**PURGE, "dry_run": "maybe"},
            "exit": 2,
            "outputs": {"result": "failed", "cause": "invalid-input"},
            "stdout": [f"(https://github.com/{REPOSITORY}#inputs-and-outputs)"],
            "downloads": 1,
            "binary_ran": True,
        },
        {
            "name": "a served binary that is not the released one is deleted, never run",
            "inputs": PURGE,
            "download_base": files.url + "/tampered",
            "exit": 1,
            "stdout": ["::error title=cloudflare-purge checksum mismatch::", "nothing was run"],
            "downloads": 1,
            **nothing_ran("unexpected-response"),
        },
        {
            "name": "a pin that is not the binary's stops the step before it runs",
            "tree": "wrong-pin",
            "inputs": PURGE,
            "exit": 1,
            "stdout": ["::error title=cloudflare-purge checksum mismatch::"],
            "downloads": 1,
            **nothing_ran("unexpected-response"),
        },
        {
            "name": "a runner without a release binary is told so",
            "inputs": PURGE,
            "os": "Linux",
            "arch": "ARM",
            "exit": 2,
            "stdout": [
                "::error title=No cloudflare-purge binary for Linux ARM::",
                "runner.arch 'ARM'",
                "container action",
            ],
            **nothing_ran("invalid-input"),
        },
        {
            "name": "main's native/action.yml is not a release and says which to use",
            "tree": "main",
            "inputs": PURGE,
            "exit": 2,
            "stdout": ["::error title=Not a cloudflare-purge release::", f"uses: {REPOSITORY}/native@vX"],
            **nothing_ran("invalid-input"),
        },
        {
            "name": "a release without this platform's asset fails the download clearly",
            "inputs": PURGE,
            "download_base": files.url + "/empty",
            "exit": 1,
            "stdout": ["::error title=cloudflare-purge download failed::", ASSET],
            "downloads": 1,
            **nothing_ran("network-error"),
        },
        {
            "name": "plain http to anything but loopback is refused before any download",
            "inputs": PURGE,
            "download_base": "http://downloads.example.com/cloudflare-purge",
            "exit": 2,
            "stdout": ["::error title=Download address refused::"],
            **nothing_ran("invalid-input"),
        },
        {
            "name": "a loopback-looking address whose host is elsewhere is refused",
            "inputs": PURGE,
            "download_base": "http://localhost:80@downloads.example.com/cloudflare-purge",
            "exit": 2,
            "stdout": ["::error title=Download address refused::"],
            **nothing_ran("invalid-input"),
        },
        {
            "name": "a download that stops moving is given up (stall limit) and fails with network-error",
            "inputs": PURGE,
            "download_base": files.url + "/stall",
            "env": quick,
            "within": 25,
            "exit": 1,
            "stdout": ["::error title=cloudflare-purge download failed::", "stalled", "After 1 attempt(s)"],
            "downloads": 1,
            **nothing_ran("network-error"),
        },
        {
            "name": "a download that never ends is cut at the overall limit and retried a bounded number of times",
            "inputs": PURGE,
            "download_base": files.url + "/stall",
            "env": {
                "CLOUDFLARE_PURGE_DOWNLOAD_STALL_SECONDS": "600",
                "CLOUDFLARE_PURGE_DOWNLOAD_MAX_SECONDS": "2",
                "CLOUDFLARE_PURGE_DOWNLOAD_ATTEMPTS": "2",
            },
            "within": 25,
            "exit": 1,
            "stdout": ["::error title=cloudflare-purge download failed::", "ran over 2 s", "After 2 attempt(s)"],
            "downloads": 2,
            **nothing_ran("network-error"),
        },
        {
            "name": "a download setting that is not a whole number is refused before any download",
            "inputs": PURGE,
            "env": {"CLOUDFLARE_PURGE_DOWNLOAD_ATTEMPTS": "0"},
            "exit": 2,
            "stdout": ["::error title=Invalid download setting::", "CLOUDFLARE_PURGE_DOWNLOAD_ATTEMPTS"],
            **nothing_ran("invalid-input"),
        },
        {
            "name": "SIGINT during the download: nothing is run or purged, and the outputs say cancelled",
            "inputs": PURGE,
            "download_base": files.url + "/slow",
            "signal": "INT",
            "within": 2,
            "exit": 1,
            "stdout": ["::error title=Cancelled::", "(SIGINT)", "nothing was purged"],
            "downloads": 1,
            **nothing_ran("cancelled"),
        },
        {
            "name": "SIGTERM during the download: nothing is run or purged, and the outputs say cancelled",
            "inputs": PURGE,
            "download_base": files.url + "/slow",
            "signal": "TERM",
            "within": 2,
            "exit": 1,
            "stdout": ["::error title=Cancelled::", "(SIGTERM)", "nothing was purged"],
            "downloads": 1,
            **nothing_ran("cancelled"),
        },
        {
            "name": "SIGINT during a stalled download ends the step at once",
            "inputs": PURGE,
            "download_base": files.url + "/stall",
            "signal": "INT",
            "within": 2,
            "exit": 1,
            "stdout": ["::error title=Cancelled::", "(SIGINT)"],
            "downloads": 1,
            **nothing_ran("cancelled"),
        },
        {
            "name": "a RUNNER_TEMP where no directory can be made fails with an annotation and a cause",
            "inputs": PURGE,
            "runner_temp": "missing",
            "exit": 1,
            "stdout": ["::error title=No room for the cloudflare-purge download::", "RUNNER_TEMP"],
            **nothing_ran("outputs-not-written"),
        },
    ]

    passed = failed = 0
    try:
        for name, check in (
            (
                "the release rewrites exactly the release lines of both action files",
                lambda: stamp_checks(original, released, sums, good, root),
            ),
            (
                "release.sh checks, dry-runs, and pushes only the tag of the release commit",
                lambda: release_script_checks(root, good),
            ),
            (
                "release-check-binary.sh wants the exact version, and no dynamic loader with --static",
                lambda: binary_check_checks(root, binary),
            ),
        ):
            if report(name, check()):
                passed += 1
            else:
                failed += 1

        for number, case in enumerate(cases, 1):
            workdir = root / f"case{number}"
            workdir.mkdir()
            log_path.write_text("", encoding="utf-8")
            files.requests.clear()
            marker.unlink(missing_ok=True)
            done, outputs, summary = run_step(case, trees, files, api_url, workdir)
            requests = selftest.read_log(log_path)
            problems = check_case(case, done, outputs, summary, requests, list(files.requests), workdir, marker)
            if problems:
                failed += 1
                print(f"FAIL {case['name']}")
                for text in problems:
                    print(f"     - {text}")
                print("     --- stdout ---\n" + done.stdout)
                print("     --- stderr ---\n" + done.stderr)
                print("     --- outputs ---\n" + json.dumps(outputs, indent=2))
                print("     --- served ---\n" + "\n".join(files.requests))
            else:
                passed += 1
                print(f"ok   {case['name']}")
    finally:
        files.stop.set()
        api.shutdown()
        files.httpd.shutdown()
        shutil.rmtree(root, ignore_errors=True)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
