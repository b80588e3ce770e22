#!/usr/bin/env bash
# The one step of native/action.yml: downloads this release's cloudflare-purge
# binary for the runner, checks its SHA-256 against the one pinned in
# native/action.yml, and only then runs it in place of this script (exec), so
# the binary's exit status, annotations and GITHUB_OUTPUT lines are the step's.
#
# Everything arrives through the step's env: (see native/action.yml), never
# through ${{ }} in run:. The inputs are already there as INPUT_<NAME>; this
# script does not read them.
#
# Runs under bash 3.2 (macOS), bash 5 (Linux) and Git Bash (Windows): no
# associative arrays, no ${var,,}, no mapfile, no empty arrays under set -u.
#
# Before the binary runs, every failure ends as the binary's own would: one
# ::error annotation, result=failed and a cause code of the contract in
# GITHUB_OUTPUT, and the exit status that code has:
#   invalid-input        2  cannot work as written: not a release, no binary
#                           for this runner, a refused download address, a
#                           knob below that is not a whole number
#   network-error        1  the download failed, stalled or took too long
#                           (after its retries)
#   unexpected-response  1  the bytes are not provably the released binary:
#                           checksum mismatch, broken release data, no
#                           SHA-256 tool
#   outputs-not-written  1  no directory could be made in RUNNER_TEMP
#   cancelled            1  SIGINT or SIGTERM (the runner cancelling the
#                           step) before the binary started: nothing runs
#
# Test knobs (the self-test sets them to keep the stalled-download cases
# short; a workflow has no reason to): CLOUDFLARE_PURGE_DOWNLOAD_STALL_SECONDS
# (an attempt that moves no byte for about this long is given up; curl
# averages its speed over about 5 s, so it takes a few seconds more; default
# 30), CLOUDFLARE_PURGE_DOWNLOAD_MAX_SECONDS (an attempt's overall limit;
# default 120) and CLOUDFLARE_PURGE_DOWNLOAD_ATTEMPTS (default 3, each 2 s
# after the last).
set -euo pipefail

version="${CLOUDFLARE_PURGE_RELEASE_VERSION:-}"
repository="${CLOUDFLARE_PURGE_RELEASE_REPOSITORY:-}"
os="${CLOUDFLARE_PURGE_RUNNER_OS:-}"
arch="${CLOUDFLARE_PURGE_RUNNER_ARCH:-}"
action_path="${CLOUDFLARE_PURGE_ACTION_PATH:-}"
action_repository="${CLOUDFLARE_PURGE_ACTION_REPOSITORY:-}"
download_base="${CLOUDFLARE_PURGE_DOWNLOAD_BASE:-}"
[[ -n "$action_path" ]] || action_path="$(dirname "$0")"

# The step's env: names the checksum of each target's binary like this.
checksum_variable() {
    printf 'CLOUDFLARE_PURGE_SHA256_%s' "$(printf '%s' "$1" | tr 'abcdefghijklmnopqrstuvwxyz-' 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_')"
}

# Workflow-command data: %, CR and LF escaped (% first); in a property
# (escape_property) also : and ,.
escape() {
    local s="$1"
    s="${s//\%/%25}"
    s="${s//$'\r'/%0D}"
    s="${s//$'\n'/%0A}"
    printf '%s' "$s"
}
escape_property() {
    local s
    s="$(escape "$1")"
    s="${s//:/%3A}"
    s="${s//,/%2C}"
    printf '%s' "$s"
}

# fail CAUSE TITLE MESSAGE STATUS: one annotation, result=failed and the
# cause in the outputs, exit STATUS. A signal during it waits for it (see
# cancelled): the step then ends with this cause, not two.
finishing=
fail() {
    finishing=1
    echo "::error title=$(escape_property "$2")::$(escape "$3")"
    if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
        printf 'result=failed\ncause=%s\n' "$1" >>"$GITHUB_OUTPUT" || true
    fi
    exit "$4"
}

# The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, to this
# process only. bash runs a trap only between commands, so curl runs in the
# background and the script waits for it with `wait`, which a trapped signal
# interrupts at once. After a cancel nothing more runs, least of all the
# binary: curl is stopped, the download deleted, and the step fails.
curl_pid=
dir=
stage="before the download"
cancelled() {
    [[ -z "$finishing" ]] || return 0
    if [[ -n "$curl_pid" ]]; then
        kill "$curl_pid" 2>/dev/null || true
        wait "$curl_pid" 2>/dev/null || true
    fi
    [[ -z "$dir" ]] || rm -rf "$dir"
    fail cancelled "Cancelled" \
        "The runner cancelled the step (SIG$1) ${stage}: cloudflare-purge was not run, so nothing was purged." 1
}
trap 'cancelled INT' INT
trap 'cancelled TERM' TERM

# knob VARIABLE NAME DEFAULT: VARIABLE becomes the whole number in the
# environment variable NAME, or DEFAULT when NAME is unset or empty.
knob() {
    local value="${!2:-$3}"
    if ! [[ "$value" =~ ^[1-9][0-9]{0,4}$ ]]; then
        fail invalid-input "Invalid download setting" \
            "$2 is '${value}'; expected a whole number from 1 to 99999." 2
    fi
    printf -v "$1" '%s' "$value"
}

container_hint="On a Linux runner with Docker, the container action needs no download: uses: ${action_repository:-<owner>/cloudflare-purge}@vX."

if [[ -z "$version" ]]; then
    fail invalid-input "Not a cloudflare-purge release" \
        "This native/action.yml carries no release data: it comes from a branch or commit, not from a release tag, so there is no released binary to download and no checksum to check it against. Use a release tag: uses: ${action_repository:-<owner>/cloudflare-purge}/native@vX (or @vX.Y.Z). ${container_hint}" 2
fi
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ && "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
    fail unexpected-response "Broken cloudflare-purge release data" \
        "native/action.yml says version '${version}' of repository '${repository}'; expected X.Y.Z and owner/name. The release commit was not made by scripts/release.sh." 1
fi

# The binary for this runner, from the one list of release assets.
asset=
target=
platforms=
while read -r row_os row_arch row_target row_asset _; do
    case "$row_os" in '' | '#'*) continue ;; esac
    row_asset="${row_asset%$'\r'}"
    platforms="${platforms:+$platforms, }$row_os $row_arch"
    if [[ "$row_os" == "$os" && "$row_arch" == "$arch" ]]; then
        target="$row_target"
        asset="$row_asset"
    fi
done <"$action_path/assets.txt"
if [[ -z "$asset" ]]; then
    fail invalid-input "No cloudflare-purge binary for ${os:-this OS} ${arch:-this architecture}" \
        "cloudflare-purge ${version} has no release binary for runner.os '${os}', runner.arch '${arch}'; binaries exist for ${platforms}. ${container_hint} Elsewhere, build it from source (cargo build --release --locked) and run it with the inputs as INPUT_<NAME> variables." 2
fi

checksum_name="$(checksum_variable "$target")"
expected="${!checksum_name:-}"
if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
    fail unexpected-response "Broken cloudflare-purge release data" \
        "native/action.yml pins no SHA-256 for ${asset} (${checksum_name} is '${expected}'). The release commit was not made by scripts/release.sh." 1
fi

# Only the checksum decides which bytes run; the address only where they come from.
proto='=https'
if [[ -n "$download_base" ]]; then
    base="${download_base%/}"
    proto=
    case "$base" in
        *@*) ;; # no user info: in http://localhost:80@elsewhere the host is elsewhere
        https://?*) proto='=https' ;;
        http://127.0.0.1 | http://127.0.0.1[:/]* | http://localhost | http://localhost[:/]* | http://\[::1\] | http://\[::1\][:/]*)
            proto='=http'
            ;;
    esac
    if [[ -z "$proto" ]]; then
        fail invalid-input "Download address refused" \
            "CLOUDFLARE_PURGE_DOWNLOAD_BASE is '${download_base}'; it must be an https:// address without user info (http:// only for 127.0.0.1, localhost or [::1])." 2
    fi
else
    base="https://github.com/${repository}/releases/download/v${version}"
fi
url="${base}/${asset}"

temp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
if command -v cygpath >/dev/null 2>&1; then
    temp="$(cygpath -u "$temp")" # Git Bash: D:\a\_temp → /d/a/_temp
fi
stall_seconds='' max_seconds='' attempts='' # set by knob
knob stall_seconds CLOUDFLARE_PURGE_DOWNLOAD_STALL_SECONDS 30
knob max_seconds CLOUDFLARE_PURGE_DOWNLOAD_MAX_SECONDS 120
knob attempts CLOUDFLARE_PURGE_DOWNLOAD_ATTEMPTS 3

if ! made="$(mktemp -d "${temp%/}/cloudflare-purge.XXXXXX")" || [[ -z "$made" ]]; then
    fail outputs-not-written "No room for the cloudflare-purge download" \
        "Could not create a directory in ${temp} (mktemp's message is above): nothing was downloaded or run. Check that the runner's temporary directory (RUNNER_TEMP) exists, is writable and its disk is not full." 1
fi
dir="$made"
binary="$dir/$asset"

# A download that stops moving is given up (--speed-limit/--speed-time), as
# is one that takes too long (--max-time, per attempt); curl retries those,
# refused connections and 408/429/5xx answers, never a 404.
echo "cloudflare-purge: downloading ${asset} of v${version} from ${base}"
stage="while ${asset} was being downloaded"
curl --fail --silent --show-error --location --connect-timeout 20 \
    --speed-limit 1 --speed-time "$stall_seconds" --max-time "$max_seconds" \
    --retry "$((attempts - 1))" --retry-delay 2 \
    --proto "$proto" --proto-redir "$proto" --tlsv1.2 --output "$binary" "$url" &
curl_pid=$!
status=0
wait "$curl_pid" || status=$?
curl_pid=
if [[ "$status" -ne 0 ]]; then
    rm -rf "$dir"
    what="could not download ${url}"
    if [[ "$status" -eq 28 ]]; then
        what="the download of ${url} stalled (no byte for ${stall_seconds} s) or ran over ${max_seconds} s"
    fi
    fail network-error "cloudflare-purge download failed" \
        "After ${attempts} attempt(s), ${what} (curl's message is above; exit ${status}). Nothing was run. If v${version} was released minutes ago, its binaries may still be uploading; otherwise check that the release has the asset ${asset} and that the runner reaches ${base%%/releases/*}." 1
fi
stage="after ${asset} was downloaded"

# Checked before the file is made executable, let alone run. Read from stdin:
# sha256sum escapes file names that hold a backslash (Windows paths).
if command -v sha256sum >/dev/null 2>&1; then
    actual="$(sha256sum <"$binary")"
elif command -v shasum >/dev/null 2>&1; then
    actual="$(shasum -a 256 <"$binary")" # macOS
else
    rm -rf "$dir"
    fail unexpected-response "No SHA-256 tool" "Neither sha256sum nor shasum is on PATH, so ${asset} cannot be checked; it was deleted and not run." 1
fi
actual="${actual%% *}"
if [[ "$actual" != "$expected" ]]; then
    rm -rf "$dir"
    fail unexpected-response "cloudflare-purge checksum mismatch" \
        "${url} has SHA-256 ${actual}, but native/action.yml of v${version} pins ${expected}. The file was deleted and nothing was run. A release asset never changes after its release; report this to the maintainers of ${repository}." 1
fi
chmod +x "$binary"

# The binary sees the step's environment minus this script's own variables.
unset CLOUDFLARE_PURGE_RELEASE_VERSION CLOUDFLARE_PURGE_RELEASE_REPOSITORY \
    CLOUDFLARE_PURGE_RUNNER_OS CLOUDFLARE_PURGE_RUNNER_ARCH CLOUDFLARE_PURGE_ACTION_PATH \
    CLOUDFLARE_PURGE_ACTION_REPOSITORY CLOUDFLARE_PURGE_DOWNLOAD_BASE \
    CLOUDFLARE_PURGE_DOWNLOAD_STALL_SECONDS CLOUDFLARE_PURGE_DOWNLOAD_MAX_SECONDS \
    CLOUDFLARE_PURGE_DOWNLOAD_ATTEMPTS
while read -r row_os _ row_target _; do
    case "$row_os" in '' | '#'*) continue ;; esac
    unset "$(checksum_variable "$row_target")"
done <"$action_path/assets.txt"
# The binary links its README on the action's repository page; a composite
# step's GITHUB_ACTION_REPOSITORY is empty on some runner versions.
if [[ -z "${GITHUB_ACTION_REPOSITORY:-}" ]]; then
    export GITHUB_ACTION_REPOSITORY="$repository"
fi
# No clean-up after exec: the runner empties RUNNER_TEMP when the job ends.
exec "$binary"
