#!/usr/bin/env bash
# `make image`: builds the root's Dockerfile as it is and checks what the image holds.
#
# With Docker when a Docker engine answers, else daemonless with podman (or buildah).
# When the base image (debian:12-slim) is neither in local storage nor pullable, e.g.
# behind a firewall that lets only Debian's mirror through, it is made locally with
# `debootstrap --variant=minbase bookworm` and imported under the same name, so the
# Dockerfile's FROM resolves without Docker Hub. Then the built image is run:
#   - frontdesk-api, -worker, -web and -ctl --version print FRONTDESK_VERSION;
#   - its entrypoint is frontdesk-api, and it runs as uid 10001;
#   - /usr/share/zoneinfo exists (lib/calendar reads it);
#   - ldd finds every shared library of every binary in the runtime stage.
# It installs nothing: what is missing is named, with the Debian packages that bring it.
#
# Settings (environment):
#   FRONTDESK_VERSION  the version baked in (default: git describe --tags --always --dirty)
#   IMAGE              the tag to build (default: frontdesk:$FRONTDESK_VERSION)
#   IMAGE_TOOL         docker, podman or buildah (default: the first that works)
#   IMAGE_STORAGE      podman/buildah storage driver, e.g. vfs where overlay cannot mount
#   IMAGE_ISOLATION    podman/buildah build isolation, e.g. chroot inside a container
#   IMAGE_CA_BUNDLE    a CA bundle npm must trust inside the build, behind a proxy that
#                      re-signs TLS (default: $NODE_EXTRA_CA_CERTS, if set); a build secret
#   IMAGE_CHECK_ONLY   1: build nothing, only check IMAGE (built elsewhere, or earlier)
#   DEBIAN_MIRROR      for debootstrap and the base's apt (default: http://deb.debian.org/debian)
#   DEBIAN_SECURITY_MIRROR  the base's security updates (default: http://deb.debian.org/debian-security)
set -euo pipefail

cd "$(dirname "$0")/.."
BASE=debian:12-slim
BASE_FULL=docker.io/library/debian:12-slim
FRONTDESK_VERSION=${FRONTDESK_VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo unknown)}
# The version as the binaries print it (ops/embed-version.sh keeps only these characters).
EXPECTED_VERSION=$(printf '%s' "$FRONTDESK_VERSION" | tr -cd 'A-Za-z0-9._+-' | cut -c1-64)
[ -n "$EXPECTED_VERSION" ] || EXPECTED_VERSION=unknown
IMAGE=${IMAGE:-frontdesk:$EXPECTED_VERSION}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
BINARIES="frontdesk-api frontdesk-worker frontdesk-web frontdesk-ctl"

say() { printf 'image-build: %s\n' "$*"; }
die() { printf 'image-build: %s\n' "$*" >&2; exit 1; }

# --- the tool -------------------------------------------------------------------------
docker_answers() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
pick_tool() {
    if [ -n "${IMAGE_TOOL:-}" ]; then
        echo "$IMAGE_TOOL"
    elif docker_answers; then
        echo docker
    elif command -v podman >/dev/null 2>&1; then
        echo podman
    elif command -v buildah >/dev/null 2>&1; then
        echo buildah
    else
        return 1
    fi
}
TOOL=$(pick_tool) || die "no way to build an image: no Docker engine answers (docker info) and
  neither podman nor buildah is installed. On Debian 12 or Ubuntu, as root:
    apt-get install podman debootstrap uidmap fuse-overlayfs
  (debootstrap makes the base image when Docker Hub cannot be reached)."
case "$TOOL" in
    docker|podman|buildah) ;;
    *) die "IMAGE_TOOL=$TOOL: docker, podman or buildah" ;;
esac
command -v "$TOOL" >/dev/null 2>&1 || die "IMAGE_TOOL=$TOOL is not installed"
if [ "$TOOL" = docker ] && ! docker_answers; then
    die "IMAGE_TOOL=docker but no Docker engine answers (docker info)"
fi

# Global options of podman/buildah (storage) and of their build (isolation, network).
GLOBAL=()
BUILD_OPTS=()
if [ "$TOOL" != docker ]; then
    [ -z "${IMAGE_STORAGE:-}" ] || GLOBAL+=(--storage-driver "$IMAGE_STORAGE")
    [ -z "${IMAGE_ISOLATION:-}" ] || BUILD_OPTS+=(--isolation "$IMAGE_ISOLATION")
fi
# Host networking: apt-get and npm inside the build reach the mirrors as this host does,
# where podman's bridge network may not exist (a sandbox, a container). Docker's default
# network is left alone: BuildKit refuses host networking unless the builder allows it.
[ "$TOOL" = docker ] || BUILD_OPTS+=(--network host)
IMAGE_CA_BUNDLE=${IMAGE_CA_BUNDLE:-${NODE_EXTRA_CA_CERTS:-}}
if [ -n "$IMAGE_CA_BUNDLE" ]; then
    [ -r "$IMAGE_CA_BUNDLE" ] || die "IMAGE_CA_BUNDLE=$IMAGE_CA_BUNDLE cannot be read"
    BUILD_OPTS+=(--secret "id=ca_bundle,src=$IMAGE_CA_BUNDLE")
fi
tool() { "$TOOL" "${GLOBAL[@]}" "$@"; }
if [ "${IMAGE_CHECK_ONLY:-0}" = 1 ]; then
    say "checking $IMAGE (version $EXPECTED_VERSION) with $TOOL${GLOBAL[*]:+ ${GLOBAL[*]}}"
else
    say "building $IMAGE (version $EXPECTED_VERSION) with $TOOL${GLOBAL[*]:+ ${GLOBAL[*]}}"
fi

# Reads a field of the built image: FORMAT for docker/podman image inspect, BUILDAH_FORMAT
# for buildah inspect (which nests the image's configuration under .OCIv1).
image_field() {
    if [ "$TOOL" = buildah ]; then
        tool inspect --type image --format "$2" "$IMAGE"
    else
        tool image inspect --format "$1" "$IMAGE"
    fi
}

# --- the base image -------------------------------------------------------------------
base_present() {
    case "$TOOL" in
        docker) docker image inspect "$BASE" >/dev/null 2>&1 ;;
        podman) tool image exists "$BASE_FULL" ;;
        buildah) tool inspect --type image "$BASE_FULL" >/dev/null 2>&1 ;;
    esac
}
make_base_locally() {
    local why=$1 root started
    command -v debootstrap >/dev/null 2>&1 ||
        die "$BASE cannot be pulled ($why) and debootstrap, which would make it from
  $DEBIAN_MIRROR, is not installed: apt-get install debootstrap"
    [ "$(id -u)" = 0 ] || die "$BASE cannot be pulled ($why); making it with debootstrap needs root"
    say "the base $BASE is made locally with debootstrap --variant=minbase bookworm from"
    say "  $DEBIAN_MIRROR, because it could not be pulled: $why"
    started=$(date +%s)
    root=$(mktemp -d /var/tmp/frontdesk-base.XXXXXX)
    # Removed however we leave; the tree is root's and large.
    trap 'rm -rf "$root"' EXIT
    debootstrap --variant=minbase bookworm "$root" "$DEBIAN_MIRROR" >"$root.log" 2>&1 ||
        { tail -20 "$root.log" >&2; die "debootstrap failed (log: $root.log)"; }
    rm -f "$root.log"
    # As the official slim image: no package lists or caches, apt cleans after itself.
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
    # Slim as the official slim image: no manuals, documentation (but copyrights) or
    # translations, now or from packages installed later.
    cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<EOF
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    rm -rf "$root"/usr/share/{groff,info,linda,lintian/overrides,locale,man}/*
    # The sources of the official image: updates and security fixes, not only the release.
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $DEBIAN_SECURITY_MIRROR
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    printf 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true"; };\n' \
        >"$root/etc/apt/apt.conf.d/docker-clean"
    tar -C "$root" --numeric-owner -c . |
        tool import --quiet --change 'CMD ["bash"]' - "$BASE_FULL" >/dev/null
    rm -rf "$root"
    trap - EXIT
    say "imported the local base as $BASE_FULL ($(( $(date +%s) - started ))s)"
}
ensure_base() {
    local pull_log
    if base_present; then
        say "base $BASE is in local storage"
        return
    fi
    pull_log=$(mktemp)
    if tool pull "$BASE_FULL" >"$pull_log" 2>&1; then
        say "pulled $BASE"
    else
        make_base_locally "$(grep -i error "$pull_log" | tail -1 | cut -c1-300)"
    fi
    rm -f "$pull_log"
}

# --- the build ------------------------------------------------------------------------
build_s=
if [ "${IMAGE_CHECK_ONLY:-0}" != 1 ]; then
    ensure_base
    [ -z "$IMAGE_CA_BUNDLE" ] || say "npm in the build trusts the CAs of $IMAGE_CA_BUNDLE (build secret ca_bundle)"
    started=$(date +%s)
    tool build "${BUILD_OPTS[@]}" --build-arg FRONTDESK_VERSION="$FRONTDESK_VERSION" -t "$IMAGE" .
    build_s=$(( $(date +%s) - started ))
    say "built $IMAGE in ${build_s}s"
fi

# --- the checks -----------------------------------------------------------------------
# Runs a command in the image as it ships (its USER), entrypoint replaced. With buildah,
# or with chroot isolation (where an OCI runtime cannot start containers, e.g. inside
# another container), through a buildah working container run with that isolation.
run_in_image() {
    local entry=$1 c rc
    shift
    if [ "$TOOL" = buildah ] || [ "${IMAGE_ISOLATION:-}" = chroot ]; then
        command -v buildah >/dev/null 2>&1 || die "running the image with chroot isolation needs buildah"
        c=$(buildah "${GLOBAL[@]}" from --quiet --pull-never "$IMAGE")
        if buildah "${GLOBAL[@]}" run ${IMAGE_ISOLATION:+--isolation "$IMAGE_ISOLATION"} \
                "$c" -- "$entry" "$@"; then rc=0; else rc=$?; fi
        buildah "${GLOBAL[@]}" rm "$c" >/dev/null
        return $rc
    fi
    tool run --rm --network none --entrypoint "$entry" "$IMAGE" "$@"
}
failures=0
check() {   # check WHAT EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        say "ok: $1"
    else
        say "FAILED: $1: expected '$2', got '$3'"
        failures=$((failures + 1))
    fi
}
for b in $BINARIES; do
    out=$(run_in_image "/usr/local/bin/$b" --version 2>&1 || true)
    check "$b --version" "$b $EXPECTED_VERSION" "$out"
done
check "entrypoint is frontdesk-api" '[/usr/local/bin/frontdesk-api]' \
    "$(image_field '[{{range $i, $a := .Config.Entrypoint}}{{if $i}} {{end}}{{$a}}{{end}}]' \
                   '[{{range $i, $a := .OCIv1.Config.Entrypoint}}{{if $i}} {{end}}{{$a}}{{end}}]' 2>&1 || true)"
check "runs as uid 10001" "10001:10001" "$(run_in_image id -u 2>&1 || true):$(run_in_image id -g 2>&1 || true)"
check "/usr/share/zoneinfo exists" "Europe/Paris" \
    "$(run_in_image sh -c 'test -f /usr/share/zoneinfo/Europe/Paris && echo Europe/Paris' 2>&1 || true)"
for b in $BINARIES; do
    # ldd fails on a missing binary; else its "not found" lines are what is missing.
    check "ldd $b resolves every library" resolved "$(run_in_image sh -c \
        'out=$(ldd "$1") || exit 1; if echo "$out" | grep "not found"; then exit 1; fi; echo resolved' \
        sh "/usr/local/bin/$b" 2>&1 | tr '\n' ' ' | sed 's/ $//' || true)"
done
if [ "$TOOL" = buildah ]; then
    size=$(tool images --noheading --format '{{.Size}}' "$IMAGE" 2>/dev/null || echo unknown)
else
    size="$(( $(image_field '{{.Size}}' '' 2>/dev/null || echo 0) / 1000000 )) MB"
fi
say "image $IMAGE: $size${build_s:+, built in ${build_s}s}"
[ "$failures" = 0 ] || die "$failures check(s) failed"
say "all checks passed"
