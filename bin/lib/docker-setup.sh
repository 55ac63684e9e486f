#!/usr/bin/env bash
# Makes a Docker engine answer for the containers backend: installs Debian's docker.io and
# debootstrap when they are missing, and starts dockerd in the background when no engine answers.
# Idempotent: a running engine (this script's or anyone's) is used as it is.
#
#   bin/lib/docker-setup.sh          ensure an engine; exit 0 when `docker info` answers, 1 when it cannot
#   bin/lib/docker-setup.sh --check  only report whether an engine answers (0/1); installs and starts nothing
#   bin/lib/docker-setup.sh --stop   stop the dockerd this script started (by its recorded PID), if any
#
# Environment: RAFTBED_DOCKER_STORAGE_DRIVERS (default "overlay2 fuse-overlayfs vfs": tried in order),
# RAFTBED_DOCKERD_LOG (default /var/log/raftbed-dockerd.log).
#
# dockerd runs with --iptables=false --ip-forward=false: the backend needs no NAT and no forwarding
# (containers talk over one bridge, the host reaches published ports through docker-proxy), and the
# machine's firewall and sysctls stay as they were for everything else that runs here.
set -uo pipefail

pidfile=/run/raftbed-dockerd.pid
log=${RAFTBED_DOCKERD_LOG:-/var/log/raftbed-dockerd.log}
say() { echo "docker-setup: $*" >&2; }

engine_answers() { timeout 20 docker info >/dev/null 2>&1; }

describe_engine() {
  local v d
  v=$(timeout 20 docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null)
  d=$(timeout 20 docker info --format '{{.Driver}}' 2>/dev/null)
  say "engine answers: Docker ${v:-?}, storage driver ${d:-?}"
}

our_dockerd_pid() {   # the PID this script recorded, only while it still is a dockerd
  local pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && echo "$pid"
}

stop_ours() {
  local pid i
  if ! pid=$(our_dockerd_pid); then
    say "no dockerd started by this script is running"
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid"
  for i in $(seq 1 30); do
    [ -d "/proc/$pid" ] || break
    sleep 1
  done
  if [ -d "/proc/$pid" ]; then
    say "dockerd $pid did not stop in 30 s; sending SIGKILL"
    kill -KILL "$pid"
  fi
  rm -f "$pidfile"
  say "stopped dockerd $pid"
}

install_missing() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing ${missing[*]} and there is no apt-get to install them; install Docker yourself"
    return 1
  fi
  say "installing ${missing[*]} from Debian"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"; } >/tmp/raftbed-docker-apt.log 2>&1; then
    say "apt-get could not install ${missing[*]}:"
    tail -n 15 /tmp/raftbed-docker-apt.log >&2
    return 1
  fi
}

# Starts dockerd with one storage driver; 0 once `docker info` answers, 1 (daemon stopped) if not in 60 s.
try_driver() {
  local driver=$1 pid i
  say "starting dockerd with storage driver $driver (log: $log)"
  echo "---- $(date -u +%FT%TZ) dockerd --storage-driver=$driver" >>"$log"
  setsid dockerd --storage-driver="$driver" --iptables=false --ip-forward=false --ip-masq=false \
    </dev/null >>"$log" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"
  for i in $(seq 1 60); do
    if ! [ -d "/proc/$pid" ]; then
      say "dockerd with $driver exited:"
      tail -n 5 "$log" | sed 's/^/  /' >&2
      rm -f "$pidfile"
      return 1
    fi
    engine_answers && return 0
    sleep 1
  done
  say "dockerd with $driver did not answer in 60 s; stopping it"
  stop_ours
  return 1
}

main() {
  case "${1:-}" in
    --check)
      if engine_answers; then describe_engine; exit 0; fi
      say "no Docker engine answers ('docker info' failed)"; exit 1 ;;
    --stop) stop_ours; exit 0 ;;
    "") ;;
    *) say "unknown option '$1' (use --check or --stop)"; exit 2 ;;
  esac
  if command -v docker >/dev/null 2>&1 && engine_answers; then
    describe_engine
    exit 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "no Docker engine answers and this is not root, so none can be installed or started here;"
    say "start Docker (or give this user access to its socket) and run again"
    exit 1
  fi
  install_missing || exit 1
  if pid=$(our_dockerd_pid); then
    say "dockerd $pid (started earlier by this script) does not answer; restarting it"
    stop_ours
  elif pgrep -x dockerd >/dev/null 2>&1; then
    say "a dockerd not started by this script runs but does not answer; leaving it alone"
    exit 1
  fi
  mkdir -p "$(dirname "$log")"
  local driver
  for driver in ${RAFTBED_DOCKER_STORAGE_DRIVERS:-overlay2 fuse-overlayfs vfs}; do
    if try_driver "$driver"; then
      describe_engine
      exit 0
    fi
  done
  say "no storage driver worked (tried: ${RAFTBED_DOCKER_STORAGE_DRIVERS:-overlay2 fuse-overlayfs vfs}); see $log"
  exit 1
}

main "$@"
