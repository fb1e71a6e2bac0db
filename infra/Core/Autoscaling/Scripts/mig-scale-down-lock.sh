#!/bin/sh
# The MIG scale-down lock (NeoCloud.Infra, issue 14): while the GPU Operator's MIG manager applies a node's MIG layout,
# the node carries cluster-autoscaler.kubernetes.io/scale-down-disabled=true, so cluster-autoscaler never removes it.
#
# This script implements exactly MigNodeLock.Decide (infra/Core/Autoscaling/MigNodeLock.cs); the Core test
# MigScaleDownLockScriptTests runs it against every node state of that decision and compares the patches.
# Every INTERVAL seconds: list the nodes, decide per node, merge-patch the annotations that change.
#
# Environment: LOCK_INTERVAL_SECONDS (default 15), LOCK_CONFIG_CHANGE_GRACE_SECONDS (default 300),
# LOCK_HEARTBEAT_FILE (default /tmp/heartbeat; touched after every successful pass, read by the liveness probe),
# LOCK_NOW (epoch seconds; tests only). Argument --once: one pass, exit status 0 when every patch succeeded.
set -u

INTERVAL="${LOCK_INTERVAL_SECONDS:-15}"
GRACE="${LOCK_CONFIG_CHANGE_GRACE_SECONDS:-300}"
HEARTBEAT="${LOCK_HEARTBEAT_FILE:-/tmp/heartbeat}"

# One output line per node whose annotations change: name <TAB> reason <TAB> merge patch (JSON).
DECIDE='
def desired_lock($m; $s; $applied; $since):
  if $m == null then {lock: false, applied: null, since: null, reason: "no nvidia.com/mig.config label: not a MIG-managed node"}
  elif $s == null then {lock: true, applied: null, since: null, reason: "no nvidia.com/mig.config.state yet: the MIG manager has not reported on \($m)"}
  elif $s != "success" then {lock: true, applied: null, since: null, reason: "nvidia.com/mig.config.state is \($s) for \($m)"}
  elif $applied == null or $applied == $m then {lock: false, applied: $m, since: null, reason: "\($m) applied (state success)"}
  elif ($since != null and ($since | test("^[0-9]{1,15}$"))) | not then
    {lock: true, applied: $applied, since: ($now | tostring), reason: "nvidia.com/mig.config changed from \($applied) to \($m); waiting for the MIG manager"}
  elif $now - ($since | tonumber) >= $grace then
    {lock: false, applied: $m, since: null, reason: "\($m) reported success for \($now - ($since | tonumber))s without a new apply: already applied"}
  else {lock: true, applied: $applied, since: $since, reason: "nvidia.com/mig.config changed from \($applied) to \($m); waiting for the MIG manager"}
  end;

def put($key; $current; $want):
  if $want == null then (if $current == null then {} else {($key): null} end)
  elif $current == $want then {}
  else {($key): $want} end;

.items[]
| (.metadata.labels // {}) as $l
| (.metadata.annotations // {}) as $a
| ($a["cluster-autoscaler.kubernetes.io/scale-down-disabled"]) as $disabled
| ($a["neocloud.io/mig-scale-down-lock"] == "true") as $owned
| desired_lock($l["nvidia.com/mig.config"]; $l["nvidia.com/mig.config.state"]; $a["neocloud.io/mig-applied-config"]; $a["neocloud.io/mig-config-changed-at"]) as $d
| (put("neocloud.io/mig-applied-config"; $a["neocloud.io/mig-applied-config"]; $d.applied)
   + put("neocloud.io/mig-config-changed-at"; $a["neocloud.io/mig-config-changed-at"]; $d.since)
   + (if $d.lock then
        (if $disabled == "true" then {} else {"cluster-autoscaler.kubernetes.io/scale-down-disabled": "true", "neocloud.io/mig-scale-down-lock": "true"} end)
      elif $owned then
        {"neocloud.io/mig-scale-down-lock": null} + (if $disabled == "true" then {"cluster-autoscaler.kubernetes.io/scale-down-disabled": null} else {} end)
      else {} end)) as $patch
| select($patch != {})
| "\(.metadata.name)\t\($d.reason)\t\({metadata: {annotations: $patch}} | tojson)"
'

reconcile() {
  now="${LOCK_NOW:-$(date +%s)}"
  work="$(mktemp)" || return 1
  if ! kubectl get nodes -o json > "$work.nodes"; then
    echo "mig-scale-down-lock: listing nodes failed" >&2
    rm -f "$work" "$work.nodes"
    return 1
  fi
  if ! jq -r --argjson now "$now" --argjson grace "$GRACE" "$DECIDE" < "$work.nodes" > "$work"; then
    echo "mig-scale-down-lock: deciding failed" >&2
    rm -f "$work" "$work.nodes"
    return 1
  fi
  status=0
  tab="$(printf '\t')"
  while IFS="$tab" read -r name reason patch; do
    echo "mig-scale-down-lock: node $name: $reason"
    if ! kubectl patch node "$name" --type=merge -p "$patch"; then
      echo "mig-scale-down-lock: patching node $name failed" >&2
      status=1
    fi
  done < "$work"
  rm -f "$work" "$work.nodes"
  if [ "$status" -eq 0 ]; then
    touch "$HEARTBEAT"
  fi
  return "$status"
}

if [ "${1:-}" = "--once" ]; then
  reconcile
  exit $?
fi

while :; do
  reconcile || echo "mig-scale-down-lock: pass failed; retrying in ${INTERVAL}s" >&2
  sleep "$INTERVAL"
done
