#!/usr/bin/env bash
# Usage: scripts/release-check-binary.sh [--static] BINARY X.Y.Z
#
# Checks a release binary on the runner it was built for, before the Release
# workflow keeps it: with --static (the Linux binaries, which the FROM scratch
# image runs with nothing beside them), that it asks for no dynamic loader and
# no shared library; then that `BINARY --version` exits 0 and prints exactly
# "cloudflare-purge X.Y.Z". Runs with bash on Linux, macOS and Windows.
set -euo pipefail

die() {
    local message="$*"
    message="${message//\%/%25}"
    message="${message//$'\r'/%0D}"
    message="${message//$'\n'/%0A}"
    echo "::error title=Release binary check failed::$message"
    exit 1
}

static=0
if [[ "${1:-}" == "--static" ]]; then
    static=1
    shift
fi
[[ $# == 2 ]] || die "usage: scripts/release-check-binary.sh [--static] BINARY X.Y.Z"
binary="$1"
expected="cloudflare-purge $2"
[[ -f "$binary" ]] || die "no file $binary"

if ((static)); then
    # A static(-pie) executable has no PT_INTERP program header and no DT_NEEDED entry.
    if readelf --program-headers --wide "$binary" | grep -q 'INTERP'; then
        die "$binary asks for a dynamic loader"
    fi
    if readelf --dynamic --wide "$binary" | grep -q '(NEEDED)'; then
        die "$binary needs shared libraries: $(readelf --dynamic --wide "$binary" | grep '(NEEDED)' | tr -s ' ' | tr '\n' ';')"
    fi
fi

chmod +x "$binary"
# With nothing from this job's environment but PATH (and Windows' SYSTEMROOT): a
# binary that ignored --version would find no input or credential to act on.
status=0
output="$(env -i PATH="$PATH" ${SYSTEMROOT:+"SYSTEMROOT=$SYSTEMROOT"} "$binary" --version </dev/null)" || status=$?
output="${output%$'\r'}"
if [[ "$status" != 0 ]]; then
    die "$binary --version exited $status (output: '$output')"
fi
if [[ "$output" != "$expected" ]]; then
    die "$binary --version printed '$output', expected '$expected'"
fi
echo "$binary: $output"
