#!/usr/bin/env bash
# Start a one-node Slurm cluster on this machine, for CI and for trying the Slurm profile.
#   bash .ci/slurm-up.sh      (as root; Debian 12; no systemd needed)
#   bash .ci/slurm-down.sh    stops exactly the daemons this script started
#
# Installs Debian's slurmctld, slurmd, slurm-client and munge if they are missing, writes
# /etc/slurm/slurm.conf for this one machine (no accounting database: `sacct` does not work,
# `squeue` does), starts munged, slurmctld and slurmd in the background, records their PIDs
# in $SSR_SLURM_STATE/pids and waits until the node is idle and `srun hostname` runs.
# Running it again while its cluster is up only checks the cluster. It never overwrites a
# slurm.conf it did not write and never touches Slurm daemons it did not start.
#
# Every finished job is also written to /var/log/slurm/jobcomp.log (jobcomp/filetxt), so
# .ci/slurm-check.py can confirm each Snakemake job ran and completed as a Slurm job.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=.ci/slurm-paths.sh
source "$HERE/slurm-paths.sh"
TIMEOUT=${SSR_SLURM_TIMEOUT:-90}     # seconds to wait for the node to become idle
LOG_DIR=/var/log/slurm

say() { echo "slurm-up: $*"; }
die() {
  echo "slurm-up: ERROR: $*" >&2
  for log in "$LOG_DIR/slurmctld.log" "$LOG_DIR/slurmd.log" "$LOG_DIR/munged.out"; do
    if [[ -s $log ]]; then echo "--- last lines of $log" >&2; tail -n 15 "$log" >&2; fi
  done
  exit 1
}

[[ $(id -u) -eq 0 ]] || die "run as root (it installs packages and starts daemons)"

# PID of the daemon NAME recorded in the PID file, if that process is still alive and still NAME.
recorded_pid() {
  local name=$1 pid
  [[ -f $PID_FILE ]] || return 1
  pid=$(awk -v n="$name" '$1 == n {print $2}' "$PID_FILE" | tail -n 1)
  [[ -n $pid && -r /proc/$pid/comm && $(cat "/proc/$pid/comm") == "$name" ]] || return 1
  echo "$pid"
}

cluster_ready() {
  [[ $(sinfo -h -N -o '%T' 2>/dev/null | head -n 1) == idle ]] || return 1
  timeout 30 srun -N1 -n1 -t 1 hostname >/dev/null 2>&1
}

# ---------------------------------------------------------------- packages
PACKAGES=(munge slurmctld slurmd slurm-client)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  # Without systemd the packages' own service starts fail or are refused; this script starts
  # the daemons itself. Refuse the starts for the install unless a policy is already there.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [[ $(trap -p EXIT) ]]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
fi

# ---------------------------------------------------------------- already up?
if pid_ctld=$(recorded_pid slurmctld) && pid_d=$(recorded_pid slurmd); then
  if cluster_ready; then
    say "cluster already up (slurmctld $pid_ctld, slurmd $pid_d); nothing to do"
    exit 0
  fi
  say "recorded daemons are running but the node is not ready; restarting them"
  bash "$HERE/slurm-down.sh"
fi
for name in slurmctld slurmd; do
  if ! recorded_pid "$name" >/dev/null && pgrep -x "$name" >/dev/null; then
    die "a $name that this script did not start is running (PID $(pgrep -x "$name" | tr '\n' ' '));" \
        "stop it first, or use that cluster directly"
  fi
done
# A daemon of ours that is still alive while its partner died: stop what is left, start afresh.
if [[ -f $PID_FILE ]]; then bash "$HERE/slurm-down.sh"; fi

# ---------------------------------------------------------------- slurm.conf
host=$(hostname -s)
node_line=$(slurmd -C | head -n 1)
[[ $node_line == NodeName=* ]] || die "slurmd -C printed no node line: $node_line"
node_line="$node_line NodeAddr=127.0.0.1 State=UNKNOWN"

new_conf=$(cat <<EOF
$MARKER: a one-node test cluster, not for production.
# No accounting database: sacct does not work here; squeue does (see profiles/slurm).
ClusterName=ssrci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
# No cgroups in this container: track processes by parent PID, bind no tasks.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# One line per finished job, read by .ci/slurm-check.py.
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG_DIR/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
# Finished jobs stay visible to squeue for 300 s (Slurm's default), which squeue-based
# status checks rely on.
MinJobAge=300
MailProg=/bin/true
# Jobs that ask for no memory (srun hostname) get this much per CPU, not the whole node.
DefMemPerCPU=500
$node_line
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
)

if [[ -e $CONF ]] && ! grep -qF "$MARKER" "$CONF"; then
  die "$CONF exists and was not written by this script; refusing to overwrite it"
fi
mkdir -p /etc/slurm
printf '%s\n' "$new_conf" > "$CONF"
chmod 644 "$CONF"

# ---------------------------------------------------------------- directories
install -d -o slurm -g slurm -m 755 /var/lib/slurm /var/lib/slurm/slurmctld "$LOG_DIR"
install -d -o root -g root -m 755 /var/lib/slurm/slurmd
install -d -o munge -g munge -m 755 /run/munge
install -d -m 755 "$STATE_DIR"
# A fresh jobcomp log per cluster start; job ids restart at 1 because slurmctld starts with -c.
: > "$LOG_DIR/jobcomp.log"
chown slurm:slurm "$LOG_DIR/jobcomp.log"
# PID files of daemons that are gone (a killed earlier run) confuse package scripts.
for f in /run/slurmctld.pid /run/slurmd.pid /run/munge/munged.pid; do
  if [[ -f $f ]] && ! kill -0 "$(cat "$f" 2>/dev/null || echo 0)" 2>/dev/null; then rm -f "$f"; fi
done
: > "$PID_FILE"

# ---------------------------------------------------------------- munge
if [[ ! -s /etc/munge/munge.key ]]; then
  say "creating /etc/munge/munge.key"
  mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "munged already running; using it"
else
  # -F: stay in the foreground, so $! is munged itself. setsid: leave this shell's session.
  setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
    </dev/null >"$LOG_DIR/munged.out" 2>&1 &
  echo "munged $!" >> "$PID_FILE"
  for _ in $(seq 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n | unmunge >/dev/null || die "munged did not start"
fi

# ---------------------------------------------------------------- slurmctld, slurmd
# -c: start with an empty job queue, so jobs of an interrupted earlier run never restart.
setsid /usr/sbin/slurmctld -D -c </dev/null >"$LOG_DIR/slurmctld.out" 2>&1 &
echo "slurmctld $!" >> "$PID_FILE"
setsid /usr/sbin/slurmd -D </dev/null >"$LOG_DIR/slurmd.out" 2>&1 &
echo "slurmd $!" >> "$PID_FILE"

say "waiting up to ${TIMEOUT}s for node $host to become idle"
deadline=$((SECONDS + TIMEOUT))
until [[ $(sinfo -h -N -o '%T' 2>/dev/null | head -n 1) == idle ]]; do
  for name in slurmctld slurmd; do
    recorded_pid "$name" >/dev/null || die "$name exited during start-up (see $LOG_DIR/$name.out)"
  done
  if ((SECONDS >= deadline)); then
    sinfo -N -l >&2 || true
    sinfo -R >&2 || true
    die "node $host is not idle after ${TIMEOUT}s"
  fi
  sleep 1
done
out=$(timeout 60 srun -N1 -n1 -t 1 hostname 2>&1) || die "srun hostname failed: $out"
say "cluster up: node $host idle, srun ran on $out; PIDs in $PID_FILE:"
sed 's/^/  /' "$PID_FILE"
