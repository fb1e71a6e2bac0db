#!/usr/bin/env bash
# Instruction count per Analyze call of one analyzer executable, under valgrind's callgrind (bench/README.md
# "Instruction counts per Analyze call"): repeatable on a loaded machine, unlike wall-clock latency.
# Usage: bench/policy/callgrind.sh <executable> [floor mode: grpc|kestrel] [--count N] [--out FILE]
#   Starts the executable under `valgrind --tool=callgrind`, runs `Bench.dll calls` once as warm-up (ConfigureStack,
#   the 200 requests validated through GrpcClient, then N calls through h2load), zeroes the counters, runs it again,
#   dumps, and prints the instructions (Ir) of the second run divided by N. The second run also holds its 200 validation
#   calls, ConfigureStack and 200 h2load connection setups, the same for every executable measured this way.
# valgrind 3.19 gives up on the NativeAOT `.dbg` file ("Possibly corrupted debuginfo file"), and the published
# executable is stripped; so the run uses a copy whose debug link points to a symbol-table-only copy of the `.dbg`
# (objcopy --strip-debug): same code, function names for callgrind_annotate. callgrind_control (vgdb) does not answer
# here, so the counters are zeroed by callgrind itself at every ConfigureStack (--zero-before; each `calls` run starts
# with one) and written when the process exits (SIGTERM; SIGINT is not acted on under valgrind here): the total holds the
# second run and the shutdown, so the shutdown (the main thread's share: nothing else runs on it) is also printed apart.
# Needs valgrind and h2load; the bench built (dotnet build bench/NeoCloud.Infra.Policy.Bench -c Release).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
exe="$1"; shift
mode=()
if [ "${1:-}" = grpc ] || [ "${1:-}" = kestrel ]; then mode=("$1"); shift; fi
count=3000; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: bench/policy/callgrind.sh <executable> [grpc|kestrel] [--count N] [--out FILE]" >&2; exit 2 ;;
  esac
done
bench="$root/bench/NeoCloud.Infra.Policy.Bench/bin/Release/net10.0/NeoCloud.Infra.Policy.Bench.dll"
dir="$(mktemp -d /tmp/neocloud-callgrind.XXXXXX)"
out="${out:-$dir/callgrind.out}"
dbg="$exe.dbg"; [ -f "$dbg" ] || dbg="$exe.dbg.off"
cp "$exe" "$dir/exe"
if [ -f "$dbg" ]; then
  objcopy --strip-debug "$dbg" "$dir/exe.sym"
  objcopy --remove-section=.gnu_debuglink "$dir/exe"
  (cd "$dir" && objcopy --add-gnu-debuglink=exe.sym exe)
fi
(cd "$dir" && exec valgrind --tool=callgrind --callgrind-out-file="$out" '--zero-before=*__ConfigureStack' ./exe "${mode[@]}" 127.0.0.1:1 >"$dir/stdout" 2>"$dir/stderr") &
vg=$!
trap 'kill "$vg" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$dir/stdout" ] && break; kill -0 "$vg" 2>/dev/null || break; sleep 0.5; done
port="$(head -n1 "$dir/stdout")"
[ -n "$port" ] || { echo "callgrind.sh: no port from $exe" >&2; cat "$dir/stderr" >&2; exit 1; }
dotnet "$bench" calls --port "$port" --count 1000 >/dev/null
dotnet "$bench" calls --port "$port" --count "$count"
kill -TERM "$vg" 2>/dev/null || true
wait "$vg" 2>/dev/null || true
trap - EXIT
dump="$(ls -1t "$out"* | head -n1)"
ir="$(grep -m1 -E '^(summary|totals):' "$dump" | awk '{print $2}')"
main="$(callgrind_annotate --inclusive=yes "$dump" 2>/dev/null | awk '$NF ~ /^\[/ && $(NF-1) == "???:main" {gsub(",", "", $1); print $1; exit}')"
main="${main:-0}"
echo "$exe ${mode[*]}: $ir instructions over $count Analyze calls = $((ir / count)) per call; without the shutdown (main thread, $main): $(((ir - main) / count)) per call (dump $dump)"
