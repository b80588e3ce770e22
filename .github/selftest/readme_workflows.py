#!/usr/bin/env python3
"""Every ```yaml block of the README is a complete workflow or says it is a fragment.

    readme_workflows.py [README.md]

A block whose first line is a `# fragment: …` comment is a piece of a workflow
(a step, the `with:` of a step) and is only checked for that first line. Every
other block must be a whole workflow (top-level `on:` and `jobs:`); each is
written to a temporary directory and run through actionlint (on PATH: .ci/lint
puts its venv there). Exit 1 on the first block that is neither, or on any
actionlint finding.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.dont_write_bytecode = True


def blocks(text):
    """(line number, body) of every ```yaml block."""
    for match in re.finditer(r"^```yaml\n(.*?)^```$", text, re.M | re.S):
        yield text[: match.start()].count("\n") + 1, match.group(1)


def main():
    readme = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    text = readme.read_text(encoding="utf-8")
    complete, fragments, problems = [], 0, []
    for line, body in blocks(text):
        first = body.lstrip("\n").splitlines()[0] if body.strip() else ""
        if first.startswith("# fragment:"):
            fragments += 1
            continue
        if re.search(r"^on:", body, re.M) and re.search(r"^jobs:", body, re.M):
            complete.append((line, body))
        else:
            problems.append(f"{readme}:{line}: a yaml block that is neither a workflow nor marked '# fragment:'")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        workflows = Path(tmp) / ".github" / "workflows"
        workflows.mkdir(parents=True)
        files = []
        for line, body in complete:
            path = workflows / f"readme-line-{line}.yml"
            path.write_text(body, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(["actionlint", *files], cwd=tmp)
    print(f"readme_workflows: {len(complete)} workflows linted, {fragments} fragments")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
