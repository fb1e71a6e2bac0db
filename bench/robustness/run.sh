#!/usr/bin/env bash
# Acceptance figures of issue 12 (not run in CI). From the repository root:
#   bench/robustness/run.sh [stack-mutations=3000] [state-mutations=1500]
# 1. mutated stack files through `neocloud plan` and mutated preview/state files through the offline check:
#    crashes, hangs (> 10 s), input errors without a path, dropped values, secret canaries printed (all must be 0);
# 2. `neocloud plan` on the checked-in stacks and the offline check on generated previews of 1,000 / 10,000 / 20,000
#    resources: wall time and peak memory (/usr/bin/time -v, maximum resident set size).
set -euo pipefail
stacks="${1:-3000}"
states="${2:-1500}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="$(mktemp -d "${TMPDIR:-/tmp}/neocloud-robustness.XXXXXX")"
trap 'rm -rf "$out"' EXIT
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }

echo "building (Release) ..." >&2
dotnet build -c Release bench/NeoCloud.Infra.Robustness.Bench -v quiet -nologo >&2
bench="bench/NeoCloud.Infra.Robustness.Bench/bin/Release/net10.0/NeoCloud.Infra.Robustness.Bench.dll"
plan="infra/Plan/bin/Release/net10.0/neocloud.dll"
check="policy/bin/Release/net10.0/NeoCloud.Infra.Policy.dll"

status=0
dotnet "$bench" stack "$stacks" || status=1
dotnet "$bench" state "$states" || status=1

measure() { # label, command...
  local label="$1"; shift
  set +e
  /usr/bin/time -v "$@" >"$out/stdout" 2>"$out/time"
  local code=$?
  set -e
  local wall rss
  wall=$(grep -F "Elapsed (wall clock)" "$out/time" | awk '{print $NF}')
  rss=$(grep -F "Maximum resident set size" "$out/time" | awk '{print $NF}')
  printf '  %-34s exit %d, wall %s, peak RSS %d MiB\n' "$label" "$code" "$wall" $((rss / 1024))
}

echo "neocloud plan on the checked-in stacks (Release build, process start included):"
for s in dev prod cloud; do measure "neocloud plan $s" dotnet "$plan" "$s"; done
echo "offline check on generated previews (tenants, buckets with companions, workloads):"
for n in 1000 10000 20000; do
  dotnet "$bench" generate "$n" "$out/preview-$n.json" >/dev/null
  measure "check --preview-json ($n resources)" dotnet "$check" check --preview-json "$out/preview-$n.json" --stack prod --format json
done
exit $status
