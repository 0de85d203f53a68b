# Paths shared by .ci/slurm-up.sh and .ci/slurm-down.sh (sourced by both): where the PIDs of
# the daemons slurm-up started are kept, and the slurm.conf it writes with its marker line, by
# which slurm-down knows the conf is slurm-up's to remove.
STATE_DIR=${SSR_SLURM_STATE:-/run/ssr-slurm}
PID_FILE=$STATE_DIR/pids
CONF=/etc/slurm/slurm.conf
MARKER="# Written by .ci/slurm-up.sh"
