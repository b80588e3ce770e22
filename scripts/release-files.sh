#!/usr/bin/env bash
# The file work of a release, apart from git, so that it can be run and checked
# on a copy (.github/selftest/native_selftest.py does):
#
#   scripts/release-files.sh assets
#       Prints the release binaries' file names (native/assets.txt), one a line.
#   scripts/release-files.sh sums DIR
#       Prints SHA256SUMS (sha256sum's format) for the release binaries in DIR,
#       one line per asset of native/assets.txt, in that order. Fails when one
#       is missing.
#   scripts/release-files.sh stamp TREE X.Y.Z OWNER/REPO SUMS DIGEST
#       Turns the unreleased action files of the checkout TREE into the release
#       ones: action.yml's `  image: Dockerfile` becomes
#       `  image: docker://ghcr.io/<owner>/<repo>@sha256:<hex> # X.Y.Z`
#       (lowercased; DIGEST is the pushed image's sha256:<hex>: a tag can be
#       moved by whoever controls the registry, a digest names the bytes), and
#       native/action.yml's empty release data is filled in: the version, the
#       repository and, from the file SUMS, one SHA-256 per asset. Each line it
#       rewrites must be there exactly once and still empty, so a tree that is
#       already stamped, or whose action files changed shape, is refused.
#   scripts/release-files.sh pinned TREE
#       Prints SHA256SUMS as the release commit TREE pins it in
#       native/action.yml, to check and attach the binaries against.
#
# The asset list is the native/assets.txt beside this script. Files are
# rewritten with sed into a temporary file and moved back (GNU and BSD sed
# spell -i differently).
set -euo pipefail

die() {
    echo "release-files: $*" >&2
    exit 1
}

assets_txt="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/native/assets.txt"

# "target asset" lines from native/assets.txt.
targets_and_assets() {
    local os target asset
    while read -r os _ target asset _; do
        case "$os" in '' | '#'*) continue ;; esac
        echo "$target $asset"
    done <"$assets_txt"
}

# The env: name native/run.sh reads a target's checksum from.
checksum_variable() {
    printf 'CLOUDFLARE_PURGE_SHA256_%s' "$(printf '%s' "$1" | tr 'abcdefghijklmnopqrstuvwxyz-' 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_')"
}

sha256() {
    local sum
    if command -v sha256sum >/dev/null 2>&1; then
        sum="$(sha256sum <"$1")"
    else
        sum="$(shasum -a 256 <"$1")"
    fi
    printf '%s' "${sum%% *}"
}

# rewrite FILE EXPECTED_LINE NEW_LINE: replace a line that must occur exactly once.
rewrite() {
    local file="$1" old="$2" new="$3" count
    count="$(grep -cxF -- "$old" "$file" || true)"
    [[ "$count" == 1 ]] || die "$file should have exactly one line '$old' (found $count)"
    # Neither line holds a sed metacharacter: versions, hex and owner/repo only,
    # checked by the callers; '|' delimits.
    sed "s|^${old}\$|${new}|" "$file" >"$file.new"
    mv "$file.new" "$file"
    grep -qxF -- "$new" "$file" || die "$file was not rewritten as expected ('$new')"
}

sums() {
    local dir="$1" target asset
    [[ -d "$dir" ]] || die "no directory $dir"
    while read -r target asset; do
        [[ -f "$dir/$asset" ]] || die "$dir has no $asset (a binary of native/assets.txt)"
        printf '%s  %s\n' "$(sha256 "$dir/$asset")" "$asset"
    done < <(targets_and_assets)
}

stamp() {
    local tree="$1" version="$2" repository="$3" sums_file="$4" digest="$5" target asset line sum image native
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'$version' is not X.Y.Z"
    [[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || die "'$digest' is not an image digest (sha256:<64 hex>)"
    [[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || die "'$repository' is not owner/repo"
    [[ -f "$sums_file" ]] || die "no file $sums_file"
    native="$tree/native/action.yml"
    [[ -f "$tree/action.yml" && -f "$native" ]] || die "$tree has no action.yml and native/action.yml"

    # Every asset's checksum, checked before anything is rewritten.
    while read -r target asset; do
        line="$(grep -E "^[0-9a-f]{64} [ *]${asset//./\\.}\$" "$sums_file" || true)"
        [[ -n "$line" && "$line" != *$'\n'* ]] ||
            die "$sums_file should have exactly one '<sha256>  $asset' line"
    done < <(targets_and_assets)

    # GHCR names are lowercase; GitHub owner and repository names need not be.
    # The tag stays as a comment, for readers; the runner pulls by digest.
    image="docker://ghcr.io/$(printf '%s' "$repository" | tr '[:upper:]' '[:lower:]')@$digest # $version"
    # `  image: Dockerfile` can only be the image line of runs: (it must occur once).
    rewrite "$tree/action.yml" "  image: Dockerfile" "  image: $image"

    rewrite "$native" "        CLOUDFLARE_PURGE_RELEASE_VERSION: ''" "        CLOUDFLARE_PURGE_RELEASE_VERSION: '$version'"
    rewrite "$native" "        CLOUDFLARE_PURGE_RELEASE_REPOSITORY: ''" "        CLOUDFLARE_PURGE_RELEASE_REPOSITORY: '$repository'"
    while read -r target asset; do
        sum="$(grep -E "^[0-9a-f]{64} [ *]${asset//./\\.}\$" "$sums_file")"
        sum="${sum%% *}"
        rewrite "$native" "        $(checksum_variable "$target"): ''" "        $(checksum_variable "$target"): '$sum'"
    done < <(targets_and_assets)
}

pinned() {
    local native="$1/native/action.yml" target asset variable sum
    [[ -f "$native" ]] || die "no file $native"
    while read -r target asset; do
        variable="$(checksum_variable "$target")"
        sum="$(sed -n "s/^        ${variable}: '\\([0-9a-f]\\{64\\}\\)'\$/\\1/p" "$native")"
        [[ "$sum" =~ ^[0-9a-f]{64}$ ]] || die "$native pins no single SHA-256 for $asset ($variable)"
        printf '%s  %s\n' "$sum" "$asset"
    done < <(targets_and_assets)
}

command="${1:-}"
shift || true
case "$command" in
    assets)
        [[ $# == 0 ]] || die "usage: scripts/release-files.sh assets"
        targets_and_assets | while read -r _ asset; do echo "$asset"; done
        ;;
    sums)
        [[ $# == 1 ]] || die "usage: scripts/release-files.sh sums DIR"
        sums "$1"
        ;;
    stamp)
        [[ $# == 5 ]] || die "usage: scripts/release-files.sh stamp TREE X.Y.Z OWNER/REPO SUMS DIGEST"
        stamp "$@"
        ;;
    pinned)
        [[ $# == 1 ]] || die "usage: scripts/release-files.sh pinned TREE"
        pinned "$1"
        ;;
    -h | --help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
        ;;
    *) die "usage: scripts/release-files.sh assets | sums DIR | stamp TREE X.Y.Z OWNER/REPO SUMS DIGEST | pinned TREE" ;;
esac
