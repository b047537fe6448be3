#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, to run scripts/slurm-array.sh end to end:
#
#   scripts/slurm-local.sh start    # install if missing, configure, start the daemons
#   scripts/slurm-local.sh stop     # stop the daemons this script started
#
# Debian's packages, run as root: munged, MariaDB and slurmdbd (the accounting that sacct
# reads, as on a real cluster), slurmctld and slurmd, with a minimal /etc/slurm/slurm.conf for
# localhost: this machine's CPUs and memory as `slurmd -C` reports them, one partition, no
# cgroups (they need a systemd host; a container often has none).
# Refuses to touch a Slurm configuration it did not write. Needs root.
set -euo pipefail

CONF=/etc/slurm/slurm.conf
DBD_CONF=/etc/slurm/slurmdbd.conf
MARK="# Written by PruneLab's scripts/slurm-local.sh"
LOGS=/var/log/slurm
SPOOL=/var/lib/slurm
# The pid files of the daemons `start` launched, so `stop` ends those and nothing else.
STARTED=/run/prunelab-slurm-local.started

die() { echo "slurm-local: $*" >&2; exit 1; }

install_missing() {
    local packages=(slurmctld slurmd slurm-client slurmdbd munge mariadb-server) missing=()
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "Installing ${missing[*]}"
    apt-get update -qq
    # Where services may not start on install (containers), the packages leave them stopped: this script starts them.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

write_conf() {
    for file in "$CONF" "$DBD_CONF"; do
        if [ -e "$file" ] && ! head -1 "$file" | grep -qF "$MARK"; then
            die "$file exists and was not written by this script; a real cluster is configured here, so use it"
        fi
    done
    local host node
    host=$(hostname -s)
    # This machine as slurmd sees it (CPUs, sockets, cores, memory), reached on the loopback.
    node=$(slurmd -C | head -1)
    mkdir -p "$LOGS" "$SPOOL/slurmctld" "$SPOOL/slurmd"
    cat > "$CONF" <<CONF
$MARK: a one-node cluster on localhost.
ClusterName=prunelab
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$SPOOL/slurmctld
SlurmdSpoolDir=$SPOOL/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    # slurmdbd keeps the job records in MariaDB, reached as root over its Unix socket.
    cat > "$DBD_CONF" <<CONF
$MARK: accounting for the one-node cluster.
AuthType=auth/munge
DbdHost=localhost
SlurmUser=root
PidFile=/run/slurmdbd.pid
LogFile=$LOGS/slurmdbd.log
StorageType=accounting_storage/mysql
StorageHost=localhost
StorageUser=root
StorageLoc=prunelab_slurm_acct_db
CONF
    chmod 600 "$DBD_CONF"
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# launch PIDFILE COMMAND…: starts a daemon unless one is running, and notes it for stop.
launch() {
    local pidfile=$1
    shift
    running "$pidfile" && return 0
    "$@"
    echo "$pidfile" >> "$STARTED"
}

# Waits up to 30 s for a command to succeed.
wait_for() {
    local what=$1
    shift
    for _ in $(seq 60); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.5
    done
    die "$what did not come up within 30 s; see the logs in $LOGS"
}

start() {
    [ "$(id -u)" -eq 0 ] || die "run as root: it installs packages and starts the daemons as root"
    install_missing
    write_conf
    mkdir -p /run/munge /run/mysqld
    chown munge:munge /run/munge
    chown mysql:mysql /run/mysqld
    launch /run/munge/munged.pid runuser -u munge -- /usr/sbin/munged
    # mariadbd stays in the foreground: run it in the background.
    launch /run/mysqld/mysqld.pid sh -c \
        "/usr/sbin/mariadbd --user=mysql --pid-file=/run/mysqld/mysqld.pid >$LOGS/mariadb.log 2>&1 &"
    wait_for MariaDB mariadb -e "select 1"
    launch /run/slurmdbd.pid slurmdbd
    wait_for slurmdbd sacctmgr -n list cluster
    launch /run/slurmctld.pid slurmctld
    launch /run/slurmd.pid slurmd
    # Ready when the node takes jobs: a second or two after a cold start.
    wait_for "the node" sh -c "sinfo -h -o %t | grep -qx idle"
    echo "Slurm is up: $(sinfo -h -o '%P %D node, %c CPUs, %m MB, %t')"
}

stop() {
    [ -f "$STARTED" ] || { echo "Nothing to stop: scripts/slurm-local.sh start launched no daemon"; return 0; }
    # The daemons start launched, last first, by the process ids in their pid files.
    local pidfile pid
    for pidfile in $(tac "$STARTED"); do
        if running "$pidfile"; then
            pid=$(cat "$pidfile")
            kill "$pid"
            for _ in $(seq 100); do
                if ! kill -0 "$pid" 2>/dev/null; then break; fi
                sleep 0.1
            done
        fi
    done
    rm -f "$STARTED"
    echo "Slurm stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) die "usage: scripts/slurm-local.sh start|stop" ;;
esac
