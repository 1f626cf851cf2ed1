#!/usr/bin/env bash
# A single-node Slurm cluster for CI and for trying the scripts here: munged, slurmctld and slurmd on this
# machine, state under $CARRIERSIM_SLURM_DIR (default /tmp/carriersim-slurm). Needs root and Debian's
# slurm-wlm and munge packages; there is no systemd, so the daemons are started here and stopped by PID.
#
#   deploy/slurm/ci-cluster.sh start   # returns when the node is idle
#   deploy/slurm/ci-cluster.sh stop
set -euo pipefail

dir=${CARRIERSIM_SLURM_DIR:-/tmp/carriersim-slurm}
host=$(hostname -s)
conf=/etc/slurm/slurm.conf

# wait_for CMD...: retries CMD for up to 30 s.
wait_for() {
  for _ in $(seq 150); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "ci-cluster: timed out waiting for: $*" >&2
  return 1
}

node_idle() { [ "$(sinfo -h -n "$host" -o %T)" = idle ]; }
ctld_up() { scontrol ping | grep -q UP; }
munge_ok() { munge -n | unmunge; }

start() {
  mkdir -p "$dir"/{state,spool,log}
  # munge: the key must be munge's, mode 0400; /run/munge does not exist without systemd.
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
  install -d -o munge -g munge -m 0755 /run/munge
  if ! munge_ok >/dev/null 2>&1; then
    setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground \
      >"$dir/log/munged.out" 2>&1 </dev/null &
    echo $! >"$dir/munged.pid"
    wait_for munge_ok
  fi
  local mem=$(( $(free -m | awk '/^Mem:/ {print $2}') - 1024 ))
  mkdir -p /etc/slurm
  cat >"$conf" <<CONF
ClusterName=carriersim-ci
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.daemon.pid
SlurmdPidFile=$dir/slurmd.daemon.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  setsid /usr/sbin/slurmctld -D >"$dir/log/slurmctld.out" 2>&1 </dev/null &
  echo $! >"$dir/slurmctld.pid"
  wait_for ctld_up
  setsid /usr/sbin/slurmd -D >"$dir/log/slurmd.out" 2>&1 </dev/null &
  echo $! >"$dir/slurmd.pid"
  wait_for node_idle
  echo "ci-cluster: node $host idle (state and logs in $dir)"
}

# gone PID: the process has exited (a zombie counts as gone).
gone() { [ ! -e "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

stop() {
  local d pid
  for d in slurmd slurmctld munged; do
    [ -f "$dir/$d.pid" ] || continue
    pid=$(cat "$dir/$d.pid")
    if ! gone "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      wait_for gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$d.pid"
  done
  echo "ci-cluster: stopped"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
