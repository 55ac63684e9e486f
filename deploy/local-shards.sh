#!/usr/bin/env bash
# Runs a fuzz campaign twice on this machine, as N shards in N separate processes and as one
# unsharded process, merges the shards with `raftbed report`, and checks that the merged campaign
# equals the unsharded one seed for seed (equal fingerprints: every seed's outcome, verdict and
# trace digest). Exit 0 when they are equal, 1 when not, 2 on bad usage.
#
#   deploy/local-shards.sh 1..400 4 runs/shards      (seed range, shard count, output folder)
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: deploy/local-shards.sh A..B N OUT_DIR" >&2; exit 2; }
seeds=$1; n=$2; out=$3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
raftbed="$root/bin/raftbed"
mkdir -p "$out"
"$raftbed" fuzz --help >/dev/null   # build once, before the shards start at the same time
pids=()
for k in $(seq 1 "$n"); do
  "$raftbed" fuzz --seeds "$seeds" --shard "$k/$n" --threads 1 --max-failures 0 --minimize 0 \
    --out "$out/shard-$k-of-$n" >"$out/shard-$k-of-$n.log" 2>&1 &
  pids+=($!)
done
"$raftbed" fuzz --seeds "$seeds" --threads 2 --max-failures 0 --minimize 0 --out "$out/unsharded" \
  >"$out/unsharded.log" 2>&1 || [ $? -eq 1 ]
for pid in "${pids[@]}"; do
  wait "$pid" || [ $? -eq 1 ]
done
merged=$("$raftbed" report "$out"/shard-*-of-"$n" --out "$out/merged.html" | grep '^fuzz campaign')
whole=$("$raftbed" report "$out/unsharded" --out "$out/unsharded.html" | grep '^fuzz campaign')
echo "merged:    $merged"
echo "unsharded: $whole"
if [ "${merged#*fingerprint }" = "${whole#*fingerprint }" ] && [ "${merged%%, from*}" = "${whole%%, from*}" ]; then
  echo "EQUAL: the $n merged shards are the unsharded campaign, seed for seed"
else
  echo "DIFFERENT: the merged shards and the unsharded campaign differ" >&2
  exit 1
fi
