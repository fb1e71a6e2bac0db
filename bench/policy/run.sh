#!/usr/bin/env bash
# The policy pack benchmark (bench/README.md "Policy pack"): builds what it compares, then runs it.
# Usage: bench/policy/run.sh [compare|stress|all] [--runs N]
#   compare  the NativeAOT executable, the built dll and the @pulumi/policy Node pack (bench/policy-node-pack,
#            installed here with npm ci), side by side through one low-overhead client, nghttp2's h2load (default,
#            3 runs), and the floor: the same client against no-op servers (bench/NeoCloud.Infra.Policy.Floor)
#   stress   issue 12 point 4 against the native executable and the dll
# Loopback traffic only. Needs clang (the NativeAOT publish) and h2load (Debian nghttp2-client): installed with apt-get
# when missing and this runs as root, otherwise it stops and says what to install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mode="${1:-compare}"; shift || true
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

need() { # need <command> <Debian package>
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== apt-get install -y $2 (for $1)"
    apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "run.sh: $1 not found: install $2 (Debian/Ubuntu: apt-get install -y $2)" >&2; exit 1; }
}
need clang clang
if [ "$mode" != "stress" ]; then need h2load nghttp2-client; fi

echo "== npm ci (bench/policy-node-pack: @pulumi/policy 1.21.0)"
(cd bench/policy-node-pack && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
echo "== dotnet build (policy, bench)"
dotnet build bench/NeoCloud.Infra.Policy.Bench -c Release -nologo -v:q -clp:NoSummary
dotnet build policy -c Release -nologo -v:q -clp:NoSummary
echo "== dotnet publish policy -r linux-x64 -p:PublishAot=true"
dotnet publish policy -c Release -r linux-x64 -p:PublishAot=true -o artifacts/policy-native/linux-x64 -nologo -v:q -clp:NoSummary
if [ "$mode" != "stress" ]; then
  echo "== dotnet publish bench/NeoCloud.Infra.Policy.Floor -r linux-x64 -p:PublishAot=true (the no-op floor servers)"
  dotnet publish bench/NeoCloud.Infra.Policy.Floor -c Release -r linux-x64 -p:PublishAot=true -o artifacts/policy-floor/linux-x64 -nologo -v:q -clp:NoSummary
fi
bench="bench/NeoCloud.Infra.Policy.Bench/bin/Release/net10.0/NeoCloud.Infra.Policy.Bench.dll"
case "$mode" in
  compare) dotnet "$bench" compare "$@" ;;
  stress) dotnet "$bench" stress --target native; dotnet "$bench" stress --target dll ;;
  all) dotnet "$bench" compare "$@"; dotnet "$bench" stress --target native; dotnet "$bench" stress --target dll ;;
  *) echo "usage: bench/policy/run.sh [compare|stress|all] [--runs N]" >&2; exit 2 ;;
esac
