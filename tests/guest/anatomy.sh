#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# anatomy.sh - trace the kernel functions of bench_mmio's faults with ftrace's
# function_graph tracer, in a guest (busybox sh) with the module loaded.
# scripts/anatomy boots it under QEMU icount (shift 0: a guest "ns" is one
# guest instruction) and turns what it writes into tables and figures:
#
#   sh /anatomy.sh [--strategies=pte,bulk,pmd,pud] [--sizes=pte=64K,bulk=1M,...]
#                  [--reps=2] [--untraced-reps=3] [--buffer-kb=65536]
#                  [--max-faults=1024]
#
# Per strategy, three runs of `bench_mmio fault --warmup=0` in this boot:
#
#   untraced  no tracer: the bench's own fault latency (metrics.fault_p50_ns),
#             the reference the traced numbers are checked against;
#   full      function_graph from the fault entry points (set_graph_function:
#             handle_mm_fault, and lock_vma_under_rcu / lock_mm_and_find_vma
#             where they are traceable), every kernel function hooked: the
#             call trees, each traced call inflated by the tracer's own cost;
#   top       the same entry points, but only they and the module's fault
#             handlers hooked (set_ftrace_filter): their durations without
#             the cost of tracing what they call.  full - top, over the
#             number of calls traced in full, is the tracer's cost per call.
#
# Both traced runs are limited to the bench's pid (set_ftrace_pid, the shell
# that execs it) and record funcgraph-abstime, funcgraph-tail and, where the
# kernel has it, funcgraph-retval (a handle_mm_fault that returns
# VM_FAULT_RETRY shows as such).  A strategy whose requested size would make
# more than --max-faults faults per pass at the level the kernel can map
# (module caps core_pmd / core_pud) is run at 4M instead, and says so.
#
# Writes to $BENCH_MMIO_OUT (/out): meta.txt (key=value), per strategy S:
# S-untraced.json, S-full.json, S-top.json (bench results), S-full.trace.gz,
# S-top.trace.gz, S-full.stats, S-top.stats (per-CPU ring buffer statistics).
# Exit status: 0 all done; 3 no usable tracer; 4 trace events were lost
# (overrun, dropped); 1 a bench run failed; 2 bad usage.

strategies=pte,bulk,pmd,pud sizes= reps=2 ureps=3 buffer_kb=65536 max_faults=1024
for a in "$@"; do
	case $a in
	--strategies=*) strategies=${a#*=} ;;
	--sizes=*) sizes=${a#*=} ;;
	--reps=*) reps=${a#*=} ;;
	--untraced-reps=*) ureps=${a#*=} ;;
	--buffer-kb=*) buffer_kb=${a#*=} ;;
	--max-faults=*) max_faults=${a#*=} ;;
	*) echo "anatomy.sh: unknown argument $a" >&2; exit 2 ;;
	esac
done
out=${BENCH_MMIO_OUT:-/out}
mkdir -p "$out"
meta=$out/meta.txt
: >"$meta"
say() { echo "anatomy.sh: $*"; }
m() { echo "$1=$2" >>"$meta"; }
fail() { rc=$1; shift; say "FAIL: $*" >&2; m error "$*"; exit "$rc"; }

bench=/bench_mmio
[ -x "$bench" ] || fail 2 "no $bench in the guest (add it: --add build/bench/bench_mmio)"

size_of() {	# the requested size of strategy $1
	s=
	for kv in $(echo "$sizes" | tr , ' '); do
		[ "${kv%%=*}" = "$1" ] && s=${kv#*=}
	done
	if [ -z "$s" ]; then
		case $1 in
		pte|remap) s=64K ;; bulk) s=128K ;; pmd) s=4M ;; pud) s=1G ;; *) s=64K ;;
		esac
	fi
	echo "$s"
}
bytes() {	# 64K -> 65536
	n=${1%[KkMmGg]}
	case $1 in
	*[Kk]) echo $((n << 10)) ;; *[Mm]) echo $((n << 20)) ;; *[Gg]) echo $((n << 30)) ;; *) echo "$n" ;;
	esac
}

# tracefs
T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
if [ ! -e $T/trace ]; then
	mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
	T=/sys/kernel/debug/tracing
fi
[ -e $T/trace ] || fail 3 "no tracefs (CONFIG_FTRACE?)"
grep -qw function_graph $T/available_tracers ||
	fail 3 "kernel $(uname -r) has no function_graph tracer (available: $(cat $T/available_tracers))"

m kernel "$(uname -r)"
m arch "$(uname -m)"
m version "$(cat /proc/version)"
m trace_clock "$(cat $T/trace_clock)"
m cmdline "$(cat /proc/cmdline)"
m icount_shift "${BENCH_MMIO_ICOUNT_SHIFT:-}"
m clock "${BENCH_MMIO_CLOCK:-}"
dmesg | grep -iE 'tsc|clocksource|arch_timer' | sed 's/^/dmesg=/' >>"$meta"

traceable() { grep -qE "^$1( |\$)" $T/available_filter_functions; }
tops=
for f in lock_vma_under_rcu lock_mm_and_find_vma handle_mm_fault; do
	traceable $f && tops="$tops $f"
done
traceable handle_mm_fault || fail 3 "handle_mm_fault is not traceable on $(uname -r)"
drv=
for f in bench_mmio_vm_fault bench_mmio_vm_huge_fault bench_mmio_stats_fault; do
	traceable $f && drv="$drv $f"
done
echo "$drv" | grep -q bench_mmio_vm_fault || fail 3 "bench_mmio_vm_fault is not traceable (module loaded?)"
m tops "$tops"
m driver_functions "$drv"
opts=
for o in funcgraph-abstime funcgraph-tail funcgraph-retval funcgraph-duration funcgraph-cpu \
	funcgraph-overhead funcgraph-irqs funcgraph-proc funcgraph-retval-hex function-fork; do
	[ -e $T/options/$o ] && opts="$opts $o"
done
# Options are created with the tracer: look again once it is set.
echo function_graph >$T/current_tracer
for o in funcgraph-abstime funcgraph-tail funcgraph-retval funcgraph-duration funcgraph-cpu \
	funcgraph-overhead funcgraph-irqs funcgraph-proc funcgraph-retval-hex function-fork; do
	[ -e $T/options/$o ] && ! echo "$opts" | grep -qw -- "$o" && opts="$opts $o"
done
echo nop >$T/current_tracer
m options "$opts"
say "$(uname -r): tracing from$tops; module handlers$drv; options$opts"

opt() {	# opt NAME 0|1, where the option exists
	[ -e $T/options/$1 ] && echo "$2" >$T/options/$1
}

setup() {	# setup full|top
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_pid
	echo >$T/set_graph_function
	echo >$T/set_graph_notrace 2>/dev/null
	echo >$T/set_ftrace_filter
	echo >$T/set_ftrace_notrace
	[ -e $T/max_graph_depth ] && echo 0 >$T/max_graph_depth
	echo "$buffer_kb" >$T/buffer_size_kb
	for f in $tops; do echo "$f" >>$T/set_graph_function; done
	if [ "$1" = top ]; then
		for f in $tops $drv; do echo "$f" >>$T/set_ftrace_filter; done
	fi
	echo function_graph >$T/current_tracer
	opt funcgraph-abstime 1
	opt funcgraph-tail 1
	opt funcgraph-retval 1
	opt funcgraph-retval-hex 1
	opt funcgraph-duration 1
	opt funcgraph-cpu 0
	opt funcgraph-overhead 0
	opt funcgraph-irqs 0
	opt funcgraph-proc 0
	opt function-fork 1
	echo >$T/trace
}

lost() {	# lost: the number of events the ring buffer lost, over all CPUs
	cat $T/per_cpu/cpu*/stats | awk '/^(overrun|commit overrun|dropped events):/ { n += $NF } END { print n + 0 }'
}

# caps: one tiny run (4K of pte) for the module's capabilities.
"$bench" fault --strategy=pte --size=4K --reps=1 --warmup=0 --quiet --out="$out/caps-probe.json" >/dev/null ||
	fail 1 "bench_mmio fault --strategy=pte --size=4K failed"
caps=$(awk '/"caps": *\[/ { on = 1; next } on && /\]/ { exit } on { gsub(/[", ]/, ""); printf "%s ", $0 }' "$out/caps-probe.json")
m caps "$caps"
has_cap() { echo " $caps " | grep -q " $1 "; }

rc=0
for s in $(echo "$strategies" | tr , ' '); do
	size=$(size_of "$s")
	# The level this kernel maps the strategy at, and the faults per pass.
	lvl=4096
	case $s in
	pmd) has_cap core_pmd && lvl=$((2 << 20)) ;;
	pud) if has_cap core_pud; then lvl=$((1 << 30)); elif has_cap core_pmd; then lvl=$((2 << 20)); fi ;;
	bulk) lvl=$(bytes "$size") ;;
	esac
	nf=$(( ($(bytes "$size") + lvl - 1) / lvl ))
	tsize=$size
	if [ "$nf" -gt "$max_faults" ]; then
		tsize=4M
		say "$s: $size would take $nf faults per pass here (caps:$caps); traced at $tsize"
	fi
	m "$s.size" "$tsize"
	m "$s.requested_size" "$size"
	m "$s.expected_faults_per_pass" "$nf"
	args="fault --strategy=$s --size=$tsize --warmup=0 --quiet"

	say "$s: untraced, $ureps reps of $tsize"
	"$bench" $args --reps="$ureps" --out="$out/$s-untraced.json" >/dev/null || {
		say "$s: untraced bench_mmio $args failed" >&2; m "$s.failed" untraced; rc=1; continue; }

	for mode in full top; do
		setup $mode
		say "$s: $mode trace, $reps rep(s) of $tsize"
		# The shell that execs the bench (which re-execs itself, same pid).
		sh -c "echo \$\$ >$T/set_ftrace_pid; echo 1 >$T/tracing_on; exec $bench $args --reps=$reps --out=$out/$s-$mode.json" >/dev/null
		brc=$?
		echo 0 >$T/tracing_on
		cat $T/per_cpu/cpu*/stats >"$out/$s-$mode.stats"
		n=$(lost)
		cat $T/trace | gzip -c >"$out/$s-$mode.trace.gz"
		m "$s.$mode.lost" "$n"
		if [ "$brc" != 0 ]; then
			say "$s: $mode bench_mmio $args failed ($brc)" >&2; m "$s.failed" "$mode"; rc=1
		fi
		if [ "$n" != 0 ]; then
			say "$s: $mode trace LOST $n events (buffer_size_kb=$buffer_kb: raise --buffer-kb)" >&2
			[ $rc = 0 ] && rc=4
		fi
	done
done
echo 0 >$T/tracing_on
echo nop >$T/current_tracer
echo >$T/set_ftrace_pid
echo >$T/set_graph_function
echo >$T/set_ftrace_filter
m done "$rc"
exit $rc
