#!/usr/bin/env bash
# A real Slurm cluster of one node: installs Debian's slurm-wlm and munge
# (as root; a failed install is reported and the test skips, saying why),
# starts munged, slurmctld and slurmd on private paths and ports, submits
# the script `faasim sweep --emit slurm --shards 6` prints (a 6-task job
# array, then a merge job with --dependency=afterok), waits for the merge
# and compares its sweep.json and sweep.csv byte for byte with the
# unsharded run. Every daemon it started is stopped on the way out.
set -euo pipefail
cd "$(dirname "$0")/.."

skip() {
	echo "slurm: SKIP: $*"
	echo "slurm: 0 passed, 0 failed, 1 skipped"
	exit 0
}
fail() {
	echo "slurm: FAIL: $*"
	for f in "$work"/*.log "$work"/out/logs/*; do
		[ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }
	done
	exit 1
}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || skip "not root: Debian's slurm-wlm and munge are installed and run as root"
t0=$(now)
if command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then
	echo "slurm: $(slurmctld -V) and munge already installed"
else
	if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) >/tmp/faasim-slurm-install.log 2>&1; then
		tail -n 20 /tmp/faasim-slurm-install.log
		skip "apt-get install slurm-wlm munge failed (log above); the Slurm recipe is not tested"
	fi
	echo "slurm: $(slurmctld -V) and munge installed in $(since "$t0") s"
fi

work=$(mktemp -d /tmp/faasim-slurm.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$work"
}
trap cleanup EXIT

# munge: a key and a socket of our own, so a munged already running on the
# machine is left alone.
mkdir -p "$work/munge" "$work/state" "$work/spool"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 755 "$work/munge"
chmod 400 "$work/munge/munge.key"
munged --foreground --force --socket="$work/munge/munge.socket" --key-file="$work/munge/munge.key" \
	--pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" --log-file="$work/munged.log" \
	>"$work/munged.out.log" 2>&1 &
pids+=($!)

# Ports unlikely to be taken (two CI runs may share the machine).
port=$((20000 + RANDOM % 20000))
host=$(hostname -s)
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=faasimci
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/munge.socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerParameters=defer_batch
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
for i in $(seq 50); do
	[ -S "$work/munge/munge.socket" ] && break
	sleep 0.1
done
[ -S "$work/munge/munge.socket" ] || fail "munged did not start"

t1=$(now)
slurmctld -D -f "$SLURM_CONF" >"$work/slurmctld.out.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/slurmd.out.log" 2>&1 &
pids+=($!)
for i in $(seq 150); do
	state=$(sinfo -h -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.2
done
[ "$state" = idle ] || fail "the node did not become idle (sinfo: ${state:-no answer})"
echo "slurm: slurmctld and slurmd up, node $host idle with $(nproc) CPUs, in $(since "$t1") s"

# A small sweep: 3 rates × 2 replications = 6 runs, one per array task.
go build -o "$work/faasim" ./cmd/faasim
cat >"$work/ci-sweep.yaml" <<'EOF'
name: slurm-ci
duration: 2m
warmup: 10s
functions:
  - {name: api, memory_mb: 512, exec: {dist: lognormal, median: 40ms, p99: 300ms}}
workload: {type: poisson, rate: 10}
systems:
  - {name: lambda, type: faas, platform: aws-lambda-x86, keep_alive: {policy: fixed, idle: 30s}}
  - {name: vms, type: server, platform: aws-ec2-m5.large, instances: 1, workers_per_instance: 4}
sweep:
  replications: 2
  axes:
    workload.rate: [5, 20, 60]
EOF
"$work/faasim" sweep "$work/ci-sweep.yaml" --emit slurm --shards 6 >"$work/submit.sh"
grep -q -- '--array=0-5' "$work/submit.sh" || fail "the emitted script has no --array=0-5"
grep -q -- '--dependency=afterok' "$work/submit.sh" || fail "the emitted script has no --dependency=afterok"

t2=$(now)
(cd "$work" && FAASIM="$work/faasim" OUT="$work/out" sh submit.sh) || fail "submitting the emitted script failed"
for i in $(seq 600); do
	queue=$(squeue -h -o '%i %T %r' 2>/dev/null || true)
	[ -z "$queue" ] && break
	if grep -q DependencyNeverSatisfied <<<"$queue"; then
		fail "a shard failed, so the merge can never run: $queue"
	fi
	sleep 0.2
done
[ -z "$queue" ] || fail "the jobs did not finish in 120 s: $queue"
[ -f "$work/out/sweep/sweep.json" ] || fail "the merge job wrote no sweep.json: $(cat "$work/out/logs/merge.out" 2>/dev/null)"
shards=$(ls "$work/out/shards" | wc -l)
echo "slurm: 6-task array and its merge ran in $(since "$t2") s ($shards shard files)"

"$work/faasim" sweep "$work/ci-sweep.yaml" --out "$work/whole" >/dev/null
for f in sweep.json sweep.csv; do
	cmp "$work/whole/$f" "$work/out/sweep/$f" || fail "$f merged on Slurm differs from the unsharded run's"
done
echo "slurm: merged sweep.json and sweep.csv are byte-identical to the unsharded run's"
echo "slurm: the whole test took $(since "$t0") s"
echo "slurm: 1 passed, 0 failed"
