#!/usr/bin/env bash
# End-to-end wall time of `neocloud plan prod` including process start, for a ready-to-run (R2R) build.
# Usage: bench/plan/run.sh [runs=20] [stack=prod] [extra neocloud arguments, e.g. --simulate spike]
# Publishes infra/Plan with PublishReadyToRun into a temp dir, runs the native apphost N times from the repo root,
# prints every run and min/median/max in milliseconds. Target: < 1000 ms.
set -euo pipefail
runs="${1:-20}"
stack="${2:-prod}"
extra=("${@:3}")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mktemp -d "${TMPDIR:-/tmp}/neocloud-plan-bench.XXXXXX")"
trap 'rm -rf "$out"' EXIT

echo "publishing (Release, linux-x64, ReadyToRun, framework-dependent) into $out ..." >&2
dotnet publish "$root/infra/Plan/NeoCloud.Infra.Plan.csproj" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$out" -v quiet -nologo >&2

cd "$root"
"$out/neocloud" "$stack" "${extra[@]}" >/dev/null   # warm the OS file cache once; not counted
times=()
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s%N)
  set +e
  "$out/neocloud" "$stack" "${extra[@]}" >/dev/null
  code=$?
  set -e
  end=$(date +%s%N)
  if [[ $code -gt 1 ]]; then echo "run $i: exit $code" >&2; exit "$code"; fi
  times+=($(((end - start) / 1000000)))
done

sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
if ((n % 2)); then median=${sorted[n / 2]}; else median=$(((sorted[n / 2 - 1] + sorted[n / 2]) / 2)); fi
echo "neocloud plan $stack ${extra[*]}, $runs runs (ms): ${times[*]}"
echo "min ${sorted[0]} ms, median $median ms, max ${sorted[n - 1]} ms (target < 1000 ms, R2R, including process start)"
