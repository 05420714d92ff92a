#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# stress.sh - the race harness, the fuzzer and the SIGKILL test in a guest
# (busybox sh), with the module loaded; TAP.  scripts/stress runs it:
#
#   sh /stress.sh [--seed=N] [--duration=S] [--exclude=ID,...] [--fuzz-count=N]
#                 [--procs=P] [--threads=T] [--no-stress] [--no-fuzz] [--no-kill]
#
#   1. /stress: the seeded race harness (its own TAP lines);
#   2. /fuzz: the bounded fuzzer, same seed;
#   3. `bench_mmio fault` killed with SIGKILL mid-run leaves no file (no
#      partial JSON, no temporary) in its result directory, and the module
#      still maps afterwards;
#   4. the module unloads; x86 PAT (debugfs pat_memtype_list) has no
#      reservation it did not have before the run; the kernel log has no
#      WARNING, BUG, Oops, lockdep report or "bad p?d" line.
# Exit status 0 only if every test passed.

seed= duration=30 exclude= fuzz_count=20000 procs=2 threads=3 fuzz=1 kill=1 stress=1
for a in "$@"; do
	case $a in
	--seed=*) seed=${a#*=} ;;
	--duration=*) duration=${a#*=} ;;
	--exclude=*) exclude=${a#*=} ;;
	--fuzz-count=*) fuzz_count=${a#*=} ;;
	--procs=*) procs=${a#*=} ;;
	--threads=*) threads=${a#*=} ;;
	--no-fuzz) fuzz=0 ;;
	--no-kill) kill=0 ;;
	--no-stress) stress=0 ;;
	*) echo "stress.sh: unknown argument $a" >&2; exit 2 ;;
	esac
done
[ -n "$seed" ] || seed=$(($(date +%s) % 1000000000))
echo "# stress.sh: seed=$seed duration=${duration}s exclude=${exclude:-none} fuzz-count=$fuzz_count"

n=0 fails=0
ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
# A producer's TAP lines become ours (renumbered), the rest diagnostics.
retap() {
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			st=0; case $line in "not ok "*) st=1 ;; esac
			desc=${line#*ok }; desc=${desc#* - }
			ok $st "$desc" ;;
		"TAP version"*|1..*) ;;
		*) echo "$line" ;;
		esac
	done
}

# The backing's tags, written around the module while it is not loaded:
# the ivshmem BAR (vendor 0x1af4, device 0x1110, BAR 2) that vm-run gives.
pretagged=
if ! grep -q '^bench_mmio ' /proc/modules; then
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat $d/vendor)" = 0x1af4 ] && [ "$(cat $d/device)" = 0x1110 ] && [ -e $d/resource2 ] || continue
		/stress --tag-through=$d/resource2 >/tmp/tag.out 2>&1
		rc=$?
		retap </tmp/tag.out
		[ $rc = 0 ] && pretagged=--pretagged
		break
	done
fi
grep -q '^bench_mmio ' /proc/modules || insmod /bench_mmio.ko || { echo "not ok 1 - insmod"; exit 1; }
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
pat=/sys/kernel/debug/x86/pat_memtype_list
[ -r $pat ] && cat $pat >/tmp/pat.before
dmesg >/tmp/dmesg.before

if [ $stress = 1 ]; then
	/stress --seed="$seed" --duration="$duration" --procs="$procs" --threads="$threads" $pretagged \
		${exclude:+--exclude="$exclude"} >/tmp/stress.out 2>&1
	rc=$?
	retap </tmp/stress.out
	ok $rc "stress: exit status $rc (seed $seed)"
fi

if [ $fuzz = 1 ]; then
	/fuzz --seed="$seed" --count="$fuzz_count" ${exclude:+--exclude="$exclude"} >/tmp/fuzz.out 2>&1
	rc=$?
	retap </tmp/fuzz.out
	ok $rc "fuzz: exit status $rc (seed $seed, $fuzz_count calls)"
fi

if [ $kill = 1 ]; then
	# Long enough under TCG to be mid-run after a second: 512K PTE faults per pass.
	mkdir -p /tmp/killed
	bench_mmio fault --strategy=pte --size=2G --reps=3 --quiet --out=/tmp/killed >/tmp/kill.out 2>&1 &
	pid=$!
	sleep 2
	running=1; kill -0 $pid 2>/dev/null || running=0
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	st=$?
	[ $running = 1 ] && [ $st = 137 ]
	ok $? "SIGKILL: bench_mmio fault was killed mid-run (exit $st)"
	left=$(ls -A /tmp/killed)
	[ -z "$left" ]
	ok $? "SIGKILL: no partial or temporary file in the result directory${left:+ (found: $left)}"
	mkdir -p /tmp/after
	bench_mmio fault --strategy=pud,remap --size=1G --reps=1 --quiet --out=/tmp/after >/tmp/after.out 2>&1
	rc=$?
	set -- /tmp/after/*.json
	[ $rc = 0 ] && [ $# = 1 ] && [ -f "$1" ]
	rc=$?
	ok $rc "SIGKILL: the module still maps afterwards (bench_mmio fault pud,remap 1G writes its result)"
	[ $rc = 0 ] || sed 's/^/# /' /tmp/after.out
fi

rmmod bench_mmio
ok $? "the module unloads"
if [ -r $pat ]; then
	cat $pat >/tmp/pat.after
	new=$(grep -v -x -F -f /tmp/pat.before /tmp/pat.after)
	[ -z "$new" ]
	ok $? "PAT: no reservation left behind (pat_memtype_list)"
	[ -z "$new" ] || echo "$new" | sed 's/^/# leaked: /'
else
	echo "# no $pat (not x86, or no PAT): not checked"
fi
dmesg >/tmp/dmesg.after
bad=$(grep -v -x -F -f /tmp/dmesg.before /tmp/dmesg.after |
	grep -E 'WARNING|BUG|Oops|lockdep|possible circular|bad p[mu4g]?d|invalid memtype|Call Trace|general protection')
[ -z "$bad" ]
ok $? "kernel log: no WARNING, BUG, Oops, lockdep or bad p?d line"
[ -z "$bad" ] || echo "$bad" | head -n 20 | sed 's/^/# /'
echo "1..$n"
echo "# stress.sh: seed=$seed, $fails failed"
[ $fails = 0 ]
