#!/usr/bin/env bash
# Usage: scripts/release.sh [--dry-run] X.Y.Z
#
# Makes the release commit for X.Y.Z and pushes its tag vX.Y.Z; the Release
# workflow then builds and pushes the image and moves the major tag vX.
#
# The release commit is the tip of main plus one change: action.yml's
#     runs:
#       using: docker
#       image: Dockerfile
# becomes
#       image: docker://ghcr.io/<owner>/<repo>:X.Y.Z
# so users of the tag pull a prebuilt image instead of compiling on every job.
# It is made in a temporary worktree on a detached HEAD and reachable only
# through the tag: main keeps `image: Dockerfile`, so `uses: ./` and act keep
# building the current code. Your checkout is not touched.
#
# Before running it, main must already have Cargo.toml's version = "X.Y.Z"
# (and Cargo.lock to match) and a "## [X.Y.Z]" section in CHANGELOG.md.
#
# Environment: RELEASE_REMOTE (default origin), RELEASE_BRANCH (default main),
# RELEASE_REPOSITORY (owner/repo; default: read from the remote's URL).
set -euo pipefail

die() {
    echo "release: $*" >&2
    exit 1
}

dry_run=0
version=
for arg in "$@"; do
    case "$arg" in
        -n | --dry-run) dry_run=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        -*) die "unknown option $arg" ;;
        *)
            [[ -z "$version" ]] || die "one version only"
            version="${arg#v}"
            ;;
    esac
done
[[ -n "$version" ]] || die "usage: scripts/release.sh [--dry-run] X.Y.Z"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'$version' is not X.Y.Z"
tag="v$version"
remote="${RELEASE_REMOTE:-origin}"
branch="${RELEASE_BRANCH:-main}"

cd "$(git rev-parse --show-toplevel)"

repository="${RELEASE_REPOSITORY:-}"
if [[ -z "$repository" ]]; then
    url="$(git remote get-url "$remote")" || die "no remote '$remote'"
    # https://github.com/owner/repo(.git), git@github.com:owner/repo(.git), ssh://git@github.com/owner/repo
    repository="$(printf '%s\n' "$url" | sed -n 's#^.*github\.com[:/]\([^/]*/[^/]*\)$#\1#p' | sed 's#\.git$##')"
    [[ -n "$repository" ]] || die "cannot tell owner/repo from '$url'; set RELEASE_REPOSITORY=owner/repo"
fi
# GHCR names are lowercase; GitHub owner and repository names need not be.
image="docker://ghcr.io/$(printf '%s' "$repository" | tr '[:upper:]' '[:lower:]'):$version"

echo "release: fetching $remote/$branch"
git fetch --quiet "$remote" "refs/heads/$branch"
base="$(git rev-parse FETCH_HEAD)"

if git rev-parse --quiet --verify "refs/tags/$tag" >/dev/null; then
    die "tag $tag exists locally"
fi
if [[ -n "$(git ls-remote --tags "$remote" "refs/tags/$tag")" ]]; then
    die "tag $tag exists on $remote"
fi

crate_version="$(git show "$base:Cargo.toml" | sed -n 's/^version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' | head -n 1)"
[[ "$crate_version" == "$version" ]] ||
    die "Cargo.toml on $remote/$branch says version \"$crate_version\"; bump it to \"$version\" (and Cargo.lock) in a pull request first"
git show "$base:CHANGELOG.md" | grep -q "^## \[$version\]" ||
    die "CHANGELOG.md on $remote/$branch has no '## [$version]' section"

workdir="$(mktemp -d)"
cleanup() {
    git worktree remove --force "$workdir/release" 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT
git worktree add --quiet --detach "$workdir/release" "$base"
action="$workdir/release/action.yml"

count="$(sed -n '/^runs:/,/^[^[:space:]#]/p' "$action" | grep -c '^  image: Dockerfile$' || true)"
[[ "$count" == 1 ]] ||
    die "action.yml on $remote/$branch should have exactly one '  image: Dockerfile' line under runs: (found $count)"
# Only the image line inside the top-level runs: block; written without -i, which
# GNU and BSD sed spell differently.
sed "/^runs:/,/^[^[:space:]#]/ s|^  image: Dockerfile\$|  image: $image|" "$action" >"$workdir/action.yml"
mv "$workdir/action.yml" "$action"
grep -qxF "  image: $image" "$action" || die "action.yml was not rewritten as expected"

git -C "$workdir/release" commit --quiet \
    -m "Release $version" \
    -m "action.yml runs the prebuilt image $image. This commit is reachable only through the tag $tag; main keeps image: Dockerfile." \
    action.yml
commit="$(git -C "$workdir/release" rev-parse HEAD)"
git --no-pager -C "$workdir/release" show --stat --patch "$commit"

if ((dry_run)); then
    echo "release: dry run: would tag $commit as $tag and push it to $remote"
    exit 0
fi

git tag --annotate "$tag" --message "cloudflare-purge $version" "$commit"
git push "$remote" "refs/tags/$tag"
echo "release: pushed $tag ($commit)."
echo "release: the Release workflow now builds ${image#docker://} and then moves v${version%%.*}."
