#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# load-params.sh - TAP test of bench_mmio.ko's module parameters, run in the
# guest (busybox sh) BEFORE the module is loaded: insmod must refuse bad
# parameters cleanly (non-zero status, module not left behind, no WARNING,
# BUG or Oops in the kernel log), then a plain insmod must succeed and create
# /dev/bench_mmio as a root-only character device (crw-------).
#
# Leaves the module loaded (with its defaults) for the tests that follow:
#   scripts/vm-run --no-load --add tests/guest/load-params.sh ... \
#       --cmd "sh /load-params.sh && /mmio_selftest"
#
# KO=path overrides /bench_mmio.ko.  Exit status 0 only if every test passed.

KO=${KO:-/bench_mmio.ko}
MOD=bench_mmio
DEV=/dev/bench_mmio

n=0 pass=0 fail=0 skip=0

ok() {	# ok NAME [# SKIP reason]
	n=$((n + 1))
	if [ -n "${2:-}" ]; then
		echo "ok $n - $1 # SKIP $2"
		skip=$((skip + 1))
	else
		echo "ok $n - $1"
		pass=$((pass + 1))
	fi
}
not_ok() {	# not_ok NAME REASON
	n=$((n + 1))
	echo "not ok $n - $1 # $2"
	fail=$((fail + 1))
}
diag() { echo "# $*"; }

loaded() { grep -q "^$MOD " /proc/modules 2>/dev/null; }

# Kernel log lines after line $1 that mean trouble.
kernel_trouble() {
	dmesg | tail -n +"$(($1 + 1))" |
		grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection|kernel BUG|UBSAN:|KASAN:|refcount_t:' || true
}

# expect_refused NAME ERRNO-TEXT PARAMS...: insmod with PARAMS must fail
# cleanly, with that errno (as strerror() words it) and a message of ours.
expect_refused() {
	name=$1
	errtext=$2
	shift 2
	before=$(dmesg | wc -l)
	out=$(insmod "$KO" "$@" 2>&1)
	rc=$?
	[ -n "$out" ] && echo "$out" | sed 's/^/# insmod: /'
	dmesg | tail -n +"$((before + 1))" | grep -i "$MOD" | sed 's/^/# dmesg: /'
	trouble=$(kernel_trouble "$before")
	said=$(dmesg | tail -n +"$((before + 1))" | grep "$MOD: " | grep -v -e taints -e 'verification failed')
	if [ "$rc" = 0 ]; then
		not_ok "$name" "insmod $* succeeded"
		rmmod "$MOD" 2>/dev/null || diag "rmmod $MOD failed too"
	elif ! echo "$out" | grep -q "$errtext"; then
		not_ok "$name" "refused, but not with '$errtext'"
	elif [ -z "$said" ]; then
		not_ok "$name" "refused without saying why in the kernel log"
	elif loaded; then
		not_ok "$name" "insmod failed (status $rc) but $MOD is in /proc/modules"
	elif [ -n "$trouble" ]; then
		echo "$trouble" | sed 's/^/# kernel: /'
		not_ok "$name" "refused, but the kernel logged a warning"
	else
		ok "$name"
	fi
}

echo "TAP version 13"

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP not root"
	exit 0
fi
if [ ! -f "$KO" ]; then
	echo "1..0 # SKIP $KO does not exist"
	echo "# 0 passed, 1 failed"
	exit 1
fi
if loaded; then
	diag "$MOD is already loaded: rmmod it first"
	if ! rmmod "$MOD"; then
		echo "1..0 # SKIP $MOD is loaded and cannot be removed"
		echo "# 0 passed, 1 failed"
		exit 1
	fi
fi

# The ivshmem device the guest runner adds: its BAR 0 is registers, not
# prefetchable memory.
ivshmem=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor")" = 0x1af4 ] && [ "$(cat "$d/device")" = 0x1110 ] && { ivshmem=${d##*/}; break; }
done

# Physical addresses from /proc/iomem (root sees them), not one machine's
# map: 16 MiB inside System RAM, and 1 GiB above 4 GiB that no top-level
# resource (RAM, a PCI window, ECAM, ...) touches.  x86 q35/pc and arm64
# virt differ (arm64's RAM starts at 1 GiB, its high ECAM sits at 256 GiB).
ram_phys= free_phys=$((1 << 32))
while IFS= read -r line; do
	case $line in " "*) continue ;; esac
	r=${line%% *}
	s=$((0x${r%-*})) e=$((0x${r#*-}))
	case $line in
	*": System RAM")
		a=$(((s + 0xffffff) & ~0xffffff))
		[ -z "$ram_phys" ] && [ $((a + 0xffffff)) -le "$e" ] && ram_phys=$(printf '0x%x' "$a") ;;
	esac
	if [ "$e" -ge "$free_phys" ] && [ "$s" -lt $((free_phys + 0x40000000)) ]; then
		free_phys=$(((e + 0x40000000) & ~0x3fffffff))
	fi
done </proc/iomem
free_phys=$(printf '0x%x' "$free_phys")
diag "from /proc/iomem: System RAM at $ram_phys, free 1 GiB at $free_phys"

echo "1..11"

before_bogus=$(dmesg | wc -l)
expect_refused "strategy=bogus is refused (EINVAL)" "Invalid argument" strategy=bogus
# The module names its strategies when it refuses one: the list to load with
# below comes from its table, not from this script.
strategies=$(dmesg | tail -n +"$((before_bogus + 1))" | sed -n 's/.*strategy=bogus: unknown, expected one of: *//p' | tail -n 1)
if [ -n "$ram_phys" ]; then
	expect_refused "phys= over System RAM is refused (EINVAL)" "Invalid argument" phys="$ram_phys" size=0x1000000
else
	not_ok "phys= over System RAM is refused (EINVAL)" "no System RAM of 32 MiB in /proc/iomem"
fi
expect_refused "bar= of a device that does not exist is refused (ENODEV)" "No such device" bar=0000:00:1f.7/2
expect_refused "bar=garbage is refused (EINVAL)" "Invalid argument" bar=garbage
expect_refused "a BAR index out of range is refused (EINVAL)" "Invalid argument" bar=0000:00:00.0/9
if [ -n "$ivshmem" ]; then
	expect_refused "a BAR that is not prefetchable memory is refused (EINVAL)" "Invalid argument" "bar=$ivshmem/0"
else
	ok "a BAR that is not prefetchable memory is refused # SKIP no ivshmem device"
fi

# A physical range outside RAM (above the guest's RAM and its PCI holes) loads.
before=$(dmesg | wc -l)
if insmod "$KO" phys="$free_phys" size=0x40000000 2>&1 | sed 's/^/# insmod: /' && loaded &&
	grep -q "$MOD" /proc/iomem && rmmod "$MOD" && [ -z "$(kernel_trouble "$before")" ]; then
	ok "phys= of a range outside RAM loads, is claimed in /proc/iomem and unloads"
else
	not_ok "phys= of a range outside RAM loads, is claimed in /proc/iomem and unloads"
	loaded && rmmod "$MOD"
fi

# Every strategy loads on every kernel: one this kernel cannot deliver falls
# back (GET_INFO's max_level says to what) instead of being refused.
before=$(dmesg | wc -l)
bad=
for s in $strategies; do
	if insmod "$KO" "strategy=$s" 2>&1 | sed 's/^/# insmod: /' && loaded &&
		[ "$(cat /sys/module/$MOD/parameters/strategy 2>/dev/null)" = "$s" ] && rmmod "$MOD"; then
		:
	else
		bad="$bad $s"
		loaded && rmmod "$MOD"
	fi
done
if [ -z "$strategies" ]; then
	not_ok "every strategy= loads" "the module did not list its strategies when it refused strategy=bogus"
elif [ -n "$bad" ]; then
	not_ok "every strategy= loads ($strategies)" "refused or misreported:$bad"
elif [ -n "$(kernel_trouble "$before")" ]; then
	kernel_trouble "$before" | sed 's/^/# kernel: /'
	not_ok "every strategy= loads ($strategies)" "the kernel logged a warning"
else
	ok "every strategy= loads ($strategies)"
fi

# The good load.
before=$(dmesg | wc -l)
out=$(insmod "$KO" 2>&1)
rc=$?
[ -n "$out" ] && echo "$out" | sed 's/^/# insmod: /'
dmesg | tail -n +"$((before + 1))" | grep -i "$MOD" | sed 's/^/# dmesg: /'
if [ "$rc" = 0 ] && loaded; then
	ok "insmod $KO with the defaults succeeds"
else
	not_ok "insmod $KO with the defaults succeeds" "status $rc"
fi

# devtmpfs creates the node synchronously, but allow a moment for mdev setups.
i=0
while [ ! -e "$DEV" ] && [ $i -lt 20 ]; do
	sleep 0.1 2>/dev/null || sleep 1
	i=$((i + 1))
done
if [ -c "$DEV" ]; then
	mode=$(ls -l "$DEV" | cut -c1-10)
	owner=$(ls -ln "$DEV" | awk '{ print $3 ":" $4 }')
	diag "$(ls -l "$DEV")"
	if [ "$mode" = "crw-------" ] && [ "$owner" = "0:0" ]; then
		ok "$DEV is crw------- root:root"
	else
		not_ok "$DEV is crw------- root:root" "mode $mode owner $owner"
	fi
else
	not_ok "$DEV is crw------- root:root" "$DEV does not exist or is not a character device"
fi

trouble=$(kernel_trouble "$before")
if [ -z "$trouble" ]; then
	ok "no kernel warning while loading"
else
	echo "$trouble" | sed 's/^/# kernel: /'
	not_ok "no kernel warning while loading" "the kernel logged a warning"
fi

echo "# $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
