#!/usr/bin/env bash
# The project's one test command (README "Run the tests"; .ci/run calls it).
#
# Two build worlds:
#   full    - the Pulumi SDK packages (Pulumi, Pulumi.Kubernetes, Pulumi.Aws, Pulumi.Random) restore
#             from the configured NuGet sources: every project builds and every suite runs.
#   reduced - they do not (an air-gapped or partial mirror): every project that does not need them
#             builds and its suite runs; the suites that need Pulumi are listed as SKIPPED with the
#             restore error that decided it.
# A project belongs to the Pulumi world when its project file says <NeoCloudWorld>pulumi</NeoCloudWorld>.
#
# Usage: scripts/test.sh [--world auto|full|reduced] [--no-format]
#   --world full     fail if the Pulumi packages cannot be restored (use on machines that must run everything)
#   --world reduced  never try the Pulumi world
#   --no-format      skip the `dotnet format --verify-no-changes` check
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

world="${NEOCLOUD_WORLD:-auto}"
check_format=1
while [ $# -gt 0 ]; do
  case "$1" in
    --world) world="$2"; shift 2 ;;
    --world=*) world="${1#--world=}"; shift ;;
    --no-format) check_format=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown argument '$1' (allowed: --world auto|full|reduced, --no-format)" >&2; exit 2 ;;
  esac
done
case "$world" in auto|full|reduced) ;; *) echo "test.sh: --world must be auto, full or reduced, not '$world'" >&2; exit 2 ;; esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out="$root/artifacts/test"
rm -rf "$out"; mkdir -p "$out"

# Project lists, from the solution.
mapfile -t all_projects < <(dotnet sln NeoCloud.Infra.sln list | grep -E '\.csproj$' | sort)
pulumi_projects=(); core_projects=()
for p in "${all_projects[@]}"; do
  if grep -q '<NeoCloudWorld>pulumi</NeoCloudWorld>' "$p"; then pulumi_projects+=("$p"); else core_projects+=("$p"); fi
done

# Decide the world: restore one Pulumi-world project and read why it failed, if it did.
skip_reason=""
if [ "$world" != "reduced" ] && [ ${#pulumi_projects[@]} -gt 0 ]; then
  probe="${pulumi_projects[0]}"
  if dotnet restore "$probe" >"$out/pulumi-probe.log" 2>&1; then
    world="full"
  else
    # Reduced world only when every restore error is a Pulumi package that the sources do not have.
    missing=$(grep -oE "NU110[123]: Unable to find package Pulumi[A-Za-z.]*" "$out/pulumi-probe.log" | sed -e 's/^.*Unable to find package //' -e 's/\.$//' | sort -u | paste -sd ',' - || true)
    other=$(grep -E ": error " "$out/pulumi-probe.log" | grep -vE "NU110[123]: +(Unable to find package Pulumi|- Found|  )" || true)
    if [ -z "$missing" ] || [ -n "$other" ]; then
      echo "test.sh: restoring $probe failed for a reason other than missing Pulumi packages:" >&2
      tail -30 "$out/pulumi-probe.log" >&2
      exit 1
    fi
    if [ "$world" = "full" ]; then
      echo "test.sh: --world full requested but these Pulumi packages do not restore: $missing" >&2
      exit 1
    fi
    world="reduced"
    skip_reason="needs $missing, which this machine's NuGet sources do not serve (NU1101)"
  fi
elif [ "$world" = "reduced" ]; then
  skip_reason="--world reduced was requested"
else
  world="full"
fi

if [ "$world" = "full" ]; then build_projects=("${all_projects[@]}"); else build_projects=("${core_projects[@]}"); fi

# A solution filter with the projects of this world, so build, format and test run once over all of them.
slnf="$root/artifacts/NeoCloud.Infra.$world.slnf"
{
  printf '{\n  "solution": {\n    "path": "../NeoCloud.Infra.sln",\n    "projects": [\n'
  for i in "${!build_projects[@]}"; do
    sep=","; [ "$i" -eq $((${#build_projects[@]} - 1)) ] && sep=""
    printf '      "%s"%s\n' "${build_projects[$i]}" "$sep"
  done
  printf '    ]\n  }\n}\n'
} > "$slnf"

echo "== world: $world (${#build_projects[@]} of ${#all_projects[@]} projects)"
dotnet build "$slnf" -c Release -nologo -v:q -clp:NoSummary -p:ContinuousIntegrationBuild=true

if [ "$check_format" = 1 ]; then
  echo "== dotnet format --verify-no-changes"
  dotnet format "$slnf" --verify-no-changes --no-restore -v:q
fi

# Test dependencies the suites need, installed by the project itself (fresh machines have none of them):
# node packages of test clients (a package-lock.json under tests/), Debian tools named in scripts/test-tools.txt.
while IFS= read -r lock; do
  dir="$(dirname "$lock")"
  if [ ! -d "$dir/node_modules" ] || [ "$lock" -nt "$dir/node_modules" ]; then
    echo "== npm ci ($dir)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done < <(find tests -name package-lock.json -not -path '*/node_modules/*' | sort)
if [ -f scripts/test-tools.txt ]; then
  while read -r cmd pkg; do
    case "$cmd" in ''|'#'*) continue ;; esac
    if ! command -v "$cmd" >/dev/null 2>&1; then
      echo "== apt-get install $pkg (for $cmd)"
      if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
      $sudo_cmd apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
    fi
  done < scripts/test-tools.txt
fi

# NEOCLOUD_TEST_NATIVE=1: publish the policy pack as a NativeAOT executable (needs clang; about 2 min on 2 cores) so
# the Policy suite also runs Pulumi's engine client against it with no PATH. Without it that one test is reported as
# skipped, with this way to run it (a binary published earlier is used when it is newer than the built dll).
if [ "${NEOCLOUD_TEST_NATIVE:-0}" = 1 ]; then
  if ! command -v clang >/dev/null 2>&1; then
    echo "== apt-get install clang (NativeAOT linker)"
    if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends clang >/dev/null
  fi
  echo "== dotnet publish policy -r linux-x64 -p:PublishAot=true (NEOCLOUD_TEST_NATIVE=1)"
  dotnet publish policy/NeoCloud.Infra.Policy.csproj -c Release -r linux-x64 -p:PublishAot=true -o artifacts/policy-native/linux-x64 -nologo -v:q -clp:NoSummary
fi

# Run each test project; keep going on failure so the summary covers every suite.
mapfile -t test_projects < <(for p in "${build_projects[@]}"; do case "$p" in tests/*) echo "$p" ;; esac; done)
passed=0; failed=0; skipped=0; status=0
for t in "${test_projects[@]}"; do
  name="$(basename "$t" .csproj)"
  echo "== $name"
  if ! dotnet test "$t" -c Release --no-build --nologo -v:q --logger "console;verbosity=minimal" >"$out/$name.log" 2>&1; then status=1; fi
  grep -E '^(Passed!|Failed!|  Failed |  Skipped |Skipped )|error|Error Message|Assert\.' "$out/$name.log" | head -60 || true
  line=$(grep -E '(Passed|Failed)!? +- +Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$out/$name.log" | tail -1 || true)
  if [ -z "$line" ]; then
    echo "   (no test summary from $name: see $out/$name.log)"; tail -20 "$out/$name.log"; status=1; continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line"); p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line"); s=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done

echo
echo "== suites"
for t in "${test_projects[@]}"; do echo "RAN      $(basename "$t" .csproj)"; done
if [ "$world" = "reduced" ]; then
  for p in "${pulumi_projects[@]}"; do
    case "$p" in tests/*) echo "SKIPPED  $(basename "$p" .csproj): $skip_reason" ;; esac
  done
  for p in "${pulumi_projects[@]}"; do
    case "$p" in tests/*) ;; *) echo "NOT BUILT $(basename "$p" .csproj): needs the Pulumi SDK packages" ;; esac
  done
fi
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
