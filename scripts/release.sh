#!/usr/bin/env bash
# Usage: scripts/release.sh [--check | --dry-run] [--assets DIR --image-digest sha256:HEX] X.Y.Z
#
# A release has two halves (docs/releasing.md tells the whole story):
#
#   scripts/release.sh X.Y.Z
#       From your clone: checks that main is ready for X.Y.Z (below), then
#       starts the Release workflow on main
#       (gh workflow run release.yml --ref main -f version=X.Y.Z), which builds
#       and checks the binaries and the image and then runs the second half.
#
#   scripts/release.sh --assets DIR --image-digest sha256:HEX X.Y.Z
#       In that workflow (or by hand, with the binaries of native/assets.txt in
#       DIR and the digest of the image already pushed): writes DIR/SHA256SUMS
#       and makes the release commit: the commit being released plus
#       action.yml's `image: Dockerfile` switched to the prebuilt image by
#       digest, docker://ghcr.io/<owner>/<repo>@sha256:HEX (the tag X.Y.Z in a
#       comment), and
#       native/action.yml's release data filled in (version, repository, one
#       SHA-256 per binary; scripts/release-files.sh does both). The commit is
#       made in a temporary worktree on a detached HEAD (your checkout is not
#       touched), tagged vX.Y.Z (annotated) and only the tag is pushed: main
#       keeps `image: Dockerfile` and empty release data.
#
#   --check    run the checks, nothing else
#   --dry-run  run the checks and show what would be done: the gh command and
#              the workflow's jobs in order, or with --assets the release
#              commit (its patch shows the image line); start and push nothing
#
# The checks: X.Y.Z is a plain version; Cargo.toml of the commit says it (and
# Cargo.lock must follow, the builds are --locked) and its CHANGELOG.md has a
# "## [X.Y.Z]" section; the tag vX.Y.Z exists neither here nor on the remote;
# the commit's action files are in the unreleased form that the release
# rewrites (tried on a copy).
#
# Environment: RELEASE_REMOTE (default origin), RELEASE_BRANCH (default main),
# RELEASE_REPOSITORY (owner/repo; default: read from the remote's URL),
# RELEASE_COMMIT (the commit to release; it must be on the branch; default:
# the branch's tip). Under GitHub Actions (GITHUB_ACTIONS=true, with GH_TOKEN
# set) git authenticates to the remote with GH_TOKEN through a credential
# helper that reads it from the environment: the token is never written to
# disk or put on a command line.
set -euo pipefail

die() {
    echo "release: $*" >&2
    exit 1
}

check_only=0
dry_run=0
assets=
digest=
version=
while (($#)); do
    case "$1" in
        --check) check_only=1 ;;
        -n | --dry-run) dry_run=1 ;;
        --assets)
            (($# >= 2)) || die "--assets needs a directory"
            assets="$2"
            shift
            ;;
        --assets=*) assets="${1#--assets=}" ;;
        --image-digest)
            (($# >= 2)) || die "--image-digest needs sha256:HEX"
            digest="$2"
            shift
            ;;
        --image-digest=*) digest="${1#--image-digest=}" ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        -*) die "unknown option $1" ;;
        *)
            [[ -z "$version" ]] || die "one version only"
            version="${1#v}"
            ;;
    esac
    shift
done
[[ -n "$version" ]] || die "usage: scripts/release.sh [--check | --dry-run] [--assets DIR --image-digest sha256:HEX] X.Y.Z"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'$version' is not X.Y.Z"
tag="v$version"
remote="${RELEASE_REMOTE:-origin}"
branch="${RELEASE_BRANCH:-main}"
if [[ -n "$assets" ]]; then
    # The release commit pins the image by digest, so the image is pushed first.
    [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] ||
        die "--assets needs --image-digest sha256:<64 hex>, the digest of the image already pushed (got '$digest')"
    [[ -d "$assets" ]] || die "no directory $assets"
    assets="$(cd "$assets" && pwd)"
fi

cd "$(git rev-parse --show-toplevel)"

# git for talking to the remote.
remote_git() {
    if [[ "${GITHUB_ACTIONS:-}" == true && -n "${GH_TOKEN:-}" ]]; then
        # shellcheck disable=SC2016 # $GH_TOKEN is expanded by the helper's shell, when git asks
        git -c credential.helper= \
            -c 'credential.helper=!f() { if test "$1" = get; then printf "username=x-access-token\npassword=%s\n" "$GH_TOKEN"; fi; }; f' \
            "$@"
    else
        git "$@"
    fi
}

repository="${RELEASE_REPOSITORY:-}"
if [[ -z "$repository" ]]; then
    url="$(git remote get-url "$remote")" || die "no remote '$remote'"
    # https://github.com/owner/repo(.git), git@github.com:owner/repo(.git), ssh://git@github.com/owner/repo
    repository="$(printf '%s\n' "$url" | sed -n 's#^.*github\.com[:/]\([^/]*/[^/]*\)$#\1#p' | sed 's#\.git$##')"
    [[ -n "$repository" ]] || die "cannot tell owner/repo from '$url'; set RELEASE_REPOSITORY=owner/repo"
fi
[[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || die "'$repository' is not owner/repo"

echo "release: fetching $remote/$branch"
remote_git fetch --quiet "$remote" "refs/heads/$branch"
tip="$(git rev-parse FETCH_HEAD)"
base="$tip"
if [[ -n "${RELEASE_COMMIT:-}" ]]; then
    base="$(git rev-parse --verify --quiet "${RELEASE_COMMIT}^{commit}")" || die "unknown commit $RELEASE_COMMIT"
    git merge-base --is-ancestor "$base" "$tip" || die "$base is not on $remote/$branch"
fi
echo "release: releasing $base ($remote/$branch is at $tip)"

if git rev-parse --quiet --verify "refs/tags/$tag" >/dev/null; then
    die "tag $tag exists locally"
fi
if [[ -n "$(remote_git ls-remote --tags "$remote" "refs/tags/$tag")" ]]; then
    die "tag $tag exists on $remote"
fi

crate_version="$(git show "$base:Cargo.toml" | sed -n 's/^version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' | head -n 1)"
[[ "$crate_version" == "$version" ]] ||
    die "Cargo.toml of $base says version \"$crate_version\"; bump it to \"$version\" (and Cargo.lock) in a pull request first"
git show "$base:CHANGELOG.md" | grep -q "^## \[$version\]" ||
    die "CHANGELOG.md of $base has no '## [$version]' section"

workdir="$(mktemp -d)"
cleanup() {
    git worktree remove --force "$workdir/release" 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT
git worktree add --quiet --detach "$workdir/release" "$base"
# The commit's own release-files.sh and asset list, whatever this checkout has.
files="$workdir/release/scripts/release-files.sh"
[[ -f "$files" ]] || die "$base has no scripts/release-files.sh"

# The rewrite must work on this commit's files before anything is built: try it
# on a copy, with empty stand-ins for the binaries.
mkdir -p "$workdir/try/assets"
cp -R "$workdir/release/action.yml" "$workdir/release/native" "$workdir/try/"
bash "$files" assets | while read -r asset; do : >"$workdir/try/assets/$asset"; done
bash "$files" sums "$workdir/try/assets" >"$workdir/try/SHA256SUMS"
bash "$files" stamp "$workdir/try" "$version" "$repository" "$workdir/try/SHA256SUMS" "sha256:$(printf '0%.0s' {1..64})" ||
    die "the action files of $base cannot be turned into release ones (above)"

if ((check_only)); then
    echo "release: $base is ready to be released as $tag"
    exit 0
fi

if [[ -z "$assets" ]]; then
    dispatch=(gh workflow run release.yml --repo "$repository" --ref "$branch" -f "version=$version")
    if ((dry_run)); then
        echo "release: dry run: would start the Release workflow: ${dispatch[*]}"
        # What that run does, job by job, as the workflow of the commit names them.
        echo "release: its jobs, in order:"
        sed -n 's/^    name: \(.*\)$/release:   - \1/p' "$workdir/release/.github/workflows/release.yml" |
            sed 's/\${{ matrix\.[a-z]* }}/(one job per asset of native\/assets.txt)/' ||
            echo "release:   ($base has no .github/workflows/release.yml)"
        exit 0
    fi
    command -v gh >/dev/null || die "gh (GitHub CLI) is needed to start the Release workflow: https://cli.github.com/"
    "${dispatch[@]}"
    echo "release: started the Release workflow for $version on $branch; it releases $branch's tip when it starts."
    echo "release: follow it with: gh run list --repo $repository --workflow release.yml"
    exit 0
fi

echo "release: SHA256SUMS of the binaries in $assets"
bash "$files" sums "$assets" >"$workdir/SHA256SUMS"
mv "$workdir/SHA256SUMS" "$assets/SHA256SUMS"
cat "$assets/SHA256SUMS"

bash "$files" stamp "$workdir/release" "$version" "$repository" "$assets/SHA256SUMS" "$digest"

image="$(sed -n 's/^  image: \([^ ]*\).*/\1/p' "$workdir/release/action.yml")"
git -C "$workdir/release" commit --quiet \
    -m "Release $version" \
    -m "action.yml runs the prebuilt image $image (the tag $version, pinned by digest); native/action.yml downloads the binaries of $tag and checks them against the SHA-256s below. This commit is reachable only through the tag $tag; main keeps image: Dockerfile and empty release data." \
    -m "$(cat "$assets/SHA256SUMS")" \
    action.yml native/action.yml
commit="$(git -C "$workdir/release" rev-parse HEAD)"
git --no-pager -C "$workdir/release" show --stat --patch "$commit"

if ((dry_run)); then
    echo "release: dry run: would tag $commit as $tag and push it to $remote"
    exit 0
fi

git tag --annotate "$tag" --message "cloudflare-purge $version" "$commit"
remote_git push "$remote" "refs/tags/$tag"
echo "release: pushed $tag ($commit)."
