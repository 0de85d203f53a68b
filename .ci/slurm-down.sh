#!/usr/bin/env bash
# Stop the one-node Slurm cluster that .ci/slurm-up.sh started.
# Stops only the daemons whose PIDs slurm-up recorded (and checks each PID still belongs to
# that daemon), after cancelling the jobs left on that cluster. Removes PID files of daemons
# that are gone, and the slurm.conf that slurm-up wrote: with it in place and no controller,
# every `scontrol` waits 9 s, and the Slurm executor plugin runs one each time Snakemake
# starts (any Snakemake run, not only Slurm ones). Safe to run when nothing is up.
set -euo pipefail

# shellcheck source=.ci/slurm-paths.sh
source "$(cd "$(dirname "$0")" && pwd)/slurm-paths.sh"

say() { echo "slurm-down: $*"; }

alive_as() {  # alive_as PID NAME: PID is running and is NAME
  [[ -r /proc/$1/comm && $(cat "/proc/$1/comm" 2>/dev/null) == "$2" ]]
}

if [[ -f $PID_FILE ]]; then
  ctld=$(awk '$1 == "slurmctld" {print $2}' "$PID_FILE" | tail -n 1)
  # Jobs still on our cluster would outlive slurmd (their slurmstepd is not slurmd's child
  # for long); cancel them while the controller can still do it.
  if [[ -n $ctld ]] && alive_as "$ctld" slurmctld; then
    jobs=$(timeout 10 squeue -h -o %i 2>/dev/null || true)
    if [[ -n $jobs ]]; then
      say "cancelling jobs left on the cluster: $(echo $jobs)"
      # shellcheck disable=SC2086
      timeout 10 scancel $jobs || true
      for _ in $(seq 20); do
        [[ -z $(timeout 10 squeue -h -t PD,R,CG -o %i 2>/dev/null || true) ]] && break
        sleep 0.5
      done
    fi
  fi
  # Stop in reverse start order: slurmd, slurmctld, munged.
  tac "$PID_FILE" | while read -r name pid; do
    [[ -n ${pid:-} ]] || continue
    if ! alive_as "$pid" "$name"; then
      say "$name ($pid) is not running"
      continue
    fi
    kill -TERM "$pid"
    for _ in $(seq 100); do
      alive_as "$pid" "$name" || break
      sleep 0.1
    done
    if alive_as "$pid" "$name"; then
      say "$name ($pid) ignored SIGTERM for 10 s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
    say "stopped $name ($pid)"
  done
  rm -f "$PID_FILE"
else
  say "no PID file at $PID_FILE; nothing of ours to stop"
fi

# Stale PID files (their process is gone) make later package scripts fail.
for f in /run/slurmctld.pid /run/slurmd.pid /run/munge/munged.pid; do
  if [[ -f $f ]] && ! kill -0 "$(cat "$f" 2>/dev/null || echo 0)" 2>/dev/null; then
    rm -f "$f"
    say "removed stale $f"
  fi
done

if [[ -f $CONF ]] && grep -qF "$MARKER" "$CONF"; then
  rm -f "$CONF"
  say "removed $CONF (written by slurm-up)"
fi
