#!/usr/bin/env bash
# Builds the container images of the containers backend from this checkout's packaged jars
# (kv-node/target and chaos/target; `bin/raftbed images` packages them first). Nothing is pulled:
#
#   raftbed/base:bookworm     debootstrap --variant=minbase bookworm (+ libfaketime), docker import;
#                             built once: kept as an image, and its tarball cached for a new engine
#   raftbed/node:VERSION      base + a jlink runtime of the build's JDK with the modules jdeps finds
#                             the node's jars need + kv-node's jar and its runtime dependencies
#   raftbed/proxy:VERSION     node image's runtime + the chaos jars; runs the Toxiproxy-API proxy on 8474
#
# usage: bin/lib/images.sh [--base]     (--base: only the base image, which needs no jars)
#
# The node and proxy images are rebuilt on every call; Docker's layer cache makes that a few
# seconds when the jars did not change. Prints the time of each step.
# Exit codes: 0 built, 2 cannot build (no engine, jars not packaged, base needs root), 1 a build failed.
# Environment: RAFTBED_CACHE (default ~/.cache/raftbed), RAFTBED_DEBIAN_MIRROR (default: apt's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bin/lib/jdk.sh"
say() { echo "images: $*" >&2; }
fail() { say "$1"; exit "${2:-2}"; }
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

case "${1:-}" in
  --base) base_only=1 ;;
  "") base_only= ;;
  *) fail "unknown option '$1' (usage: bin/lib/images.sh [--base])" ;;
esac
command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1 \
  || fail "no Docker engine answers; start one (as root: bin/lib/docker-setup.sh)"
export DOCKER_BUILDKIT=0 # the classic builder: Debian's engine has no buildx, and it needs none here
cache=${RAFTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/raftbed}
mkdir -p "$cache"
total_start=$(now)

debian_mirror() {
  local m=${RAFTBED_DEBIAN_MIRROR:-}
  if [ -z "$m" ]; then
    m=$(sed -n 's/^URIs: *\([^ ]*debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
  fi
  if [ -z "$m" ]; then
    m=$(awk '$1 == "deb" && $2 ~ /debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

build_base() {
  local t tarball="$cache/base-bookworm.tar.gz" dir
  docker image inspect raftbed/base:bookworm >/dev/null 2>&1 && { say "base: raftbed/base:bookworm is there"; return; }
  t=$(now)
  if [ ! -s "$tarball" ]; then
    [ "$(id -u)" -eq 0 ] || fail "base: building raftbed/base:bookworm needs root (debootstrap); run this once as root"
    command -v debootstrap >/dev/null 2>&1 || fail "base: debootstrap is missing (apt-get install debootstrap)"
    dir=$(mktemp -d "$cache/debootstrap.XXXXXX")
    say "base: debootstrap --variant=minbase bookworm from $(debian_mirror) (a minute or two; log $cache/debootstrap.log)"
    if ! debootstrap --variant=minbase --include=libfaketime bookworm "$dir/root" "$(debian_mirror)" \
        >"$cache/debootstrap.log" 2>&1; then
      tail -n 10 "$cache/debootstrap.log" >&2
      rm -rf "$dir"
      fail "base: debootstrap failed; see $cache/debootstrap.log" 1
    fi
    # Package lists, caches and docs are of no use in an image that installs nothing later.
    rm -rf "$dir"/root/var/cache/apt/* "$dir"/root/var/lib/apt/lists/* "$dir"/root/usr/share/doc/* \
      "$dir"/root/usr/share/man/* "$dir"/root/usr/share/locale/*
    # One path for libfaketime whatever the architecture (FakeTime looks there too).
    ln -s "$(cd "$dir/root" && ls -d usr/lib/*/faketime | head -n 1 | sed 's|^|/|')" "$dir/root/usr/local/lib/faketime"
    tar --numeric-owner -C "$dir/root" -czf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$dir"
  else
    say "base: importing the cached $tarball"
  fi
  docker import -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/sh"]' "$tarball" raftbed/base:bookworm >/dev/null
  say "base: raftbed/base:bookworm built in $(took "$t")"
}

# The JDK modules a jar and its dependencies need (jdeps); cached by the jars' contents.
modules_of() {   # modules_of JAR LIBDIR
  local jar=$1 lib=$2 key file
  key=$( { "$JAVA_HOME/bin/java" -version 2>&1; sha256sum "$jar" "$lib"/*.jar | cut -c1-64; } | sha256sum | cut -c1-16)
  file="$cache/modules-$key"
  if [ ! -s "$file" ]; then
    "$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 21 --print-module-deps \
      --class-path "$lib/*" "$jar" 2>/dev/null | tail -n 1 >"$file.tmp"
    grep -q '^java\.base' "$file.tmp" || fail "jdeps found no modules for $jar" 1
    mv "$file.tmp" "$file"
  fi
  cat "$file"
}

build_runtime() {   # prints the runtime directory
  local t modules key dir
  t=$(now)
  modules=$(modules_of "$node_jar" "$root/kv-node/target/lib")
  key=$( { "$JAVA_HOME/bin/java" -version 2>&1; echo "$modules"; } | sha256sum | cut -c1-16)
  dir="$cache/jre-$key"
  if [ ! -x "$dir/bin/java" ]; then
    rm -rf "$dir"
    "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
      --compress=zip-6 --output "$dir" >&2 || fail "runtime: jlink failed" 1
  fi
  say "runtime: $(du -sh "$dir" | cut -f1) jlink runtime of $("$dir/bin/java" -version 2>&1 | head -n 1 | tr -d '"'), modules $modules ($(took "$t"))"
  echo "$dir"
}

stage() {   # stage DIR FILES...: a fresh build context
  local dir=$1; shift
  rm -rf "$dir"
  mkdir -p "$dir/lib"
  cp "$@" "$dir/lib/"
}

docker_build() {   # docker_build DOCKERFILE TAG CONTEXT [ARGS...]
  local file=$1 tag=$2 context=$3 out
  shift 3
  if ! out=$(docker build -q -f "$file" -t "$tag" --label "io.raftbed.version=$version" "$@" "$context" 2>&1); then
    echo "$out" | grep -v -e DEPRECATED -e BuildKit -e 'environment-variable' >&2
    fail "docker build of $tag failed" 1
  fi
}

build_base
[ -z "$base_only" ] || exit 0
raftbed_find_jdk >/dev/null || exit 2
node_jar=$(ls "$root"/kv-node/target/kv-node-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1 || true)
chaos_jar=$(ls "$root"/chaos/target/chaos-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1 || true)
[ -n "$node_jar" ] && [ -d "$root/kv-node/target/lib" ] && [ -n "$chaos_jar" ] && [ -d "$root/chaos/target/lib" ] \
  || fail "the jars are not packaged; run bin/raftbed images (it packages them) or bin/mvn package"
version=$(basename "$chaos_jar" .jar)
version=${version#chaos-}
ctx="$root/chaos/target/docker"
runtime=$(build_runtime)

t=$(now)
stage "$ctx/node" "$node_jar" "$root"/kv-node/target/lib/*.jar
cp -a "$runtime" "$ctx/node/runtime"
cp "$root/chaos/docker/node/node-entrypoint.sh" "$ctx/node/"
docker_build "$root/chaos/docker/node/Dockerfile" "raftbed/node:$version" "$ctx/node"
say "node: raftbed/node:$version built in $(took "$t")"

t=$(now)
# The proxy image holds the chaos jar and its dependencies but for those only the containers backend
# uses (Testcontainers and the Docker client): the proxy never starts a container.
proxy_jars=()
for j in "$root"/chaos/target/lib/*.jar; do
  case "$(basename "$j")" in
    testcontainers-*|docker-java-*|jna-*|duct-tape-*|annotations-*|commons-compress-*|commons-io-*|commons-lang3-*|commons-codec-*|slf4j-api-*|slf4j-nop-*) ;;
    *) proxy_jars+=("$j") ;;
  esac
done
stage "$ctx/proxy" "$chaos_jar" "${proxy_jars[@]}"
# A chaos jar without io.raftbed.chaos.proxy (an old build) still gives an image, one that cannot
# serve; a label says so, and the tests read it.
if "$JAVA_HOME/bin/jar" tf "$chaos_jar" | grep -q '^io/raftbed/chaos/proxy/'; then proxy=present; else proxy=absent; fi
needs=$(modules_of "$chaos_jar" "$ctx/proxy/lib")
for m in ${needs//,/ }; do
  grep -q "^$m\$" <("$runtime/bin/java" --list-modules | sed 's/@.*//') \
    || fail "proxy: the chaos jar needs module $m, which the node runtime lacks" 1
done
docker_build "$root/chaos/docker/proxy/Dockerfile" "raftbed/proxy:$version" "$ctx/proxy" \
  --build-arg "NODE_IMAGE=raftbed/node:$version" --label "io.raftbed.proxy=$proxy"
say "proxy: raftbed/proxy:$version built in $(took "$t") (proxy command $proxy)"
# A rebuild moves the tags to new images; the ones they left are ours, untagged, and unused.
pruned=$(docker image prune -f --filter "label=io.raftbed.version" 2>/dev/null | sed -n 's/^Total reclaimed space: //p')
[ -z "$pruned" ] || [ "$pruned" = 0B ] || say "removed the images earlier builds left untagged ($pruned)"
say "done in $(took "$total_start"): raftbed/base:bookworm raftbed/node:$version raftbed/proxy:$version"
