#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""test_lava.py BENCH_MMIO: `bench_mmio lava` on synthetic results (TAP).

No guest, no LAVA: the lines `bench_mmio lava` writes for results with the
awkward cases (runs of one bench.target that differ in a param, a repeated
run, a failed and a skipped run, a sweep with float fields, a check mismatch,
an unavailable census, counts that differ between repetitions) must be
lava-test-case commands whose measurements are the compare/export lkp keys
and values, and whose checks say pass/fail/skip as the result does.
"""
import copy
import json
import os
import random
import re
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests"))
sys.path.insert(0, os.path.join(TOP, "compare"))
import test_compare as T  # noqa: E402

n = failed = 0


def ok(cond, desc, diag=()):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, desc))
    if not cond:
        failed += 1
        for d in list(diag)[:20]:
            print("#   %s" % d)


def main():
    bench = sys.argv[1]
    rng = random.Random(5)
    tmp = tempfile.mkdtemp()
    pud = T.run("pud", 1.0, rng)
    pud["check"] = {"status": "ok", "expected": None, "measured": None, "explanation": None}
    pud["attribution"] = {"consistent": True}
    pud_small = copy.deepcopy(pud)
    pud_small["params"]["size_bytes"] = 2097152
    pud_small["params"]["madvise"] = True
    pud_small["check"] = {"status": "mismatch", "expected": None, "measured": None, "explanation": "x"}
    pud_small["attribution"] = {"consistent": False}
    pte = T.run("pte", 1.0, rng, pte=65536, pmd=0)
    pte_again = copy.deepcopy(pte)
    varying = T.run("pmd", 1.0, rng)
    varying["faults_per_rep"] = [{"pmd": 128, "pte": 0}, {"pmd": 127, "pte": 1}]
    failed_run = {"bench": "fault", "target": "remap", "status": "fail", "reason": "boom", "params": {}}
    skipped = {"bench": "fault", "target": "hugetlb1g", "status": "skip", "reason": "no pages", "params": {}}
    fault = T.result("6.12", [pud, pud_small, pte, pte_again, varying, failed_run, skipped])
    tlb_run = T.run("pmd", 1.0, rng, bench="tlb")
    tlb_run["census"] = {"leaves": {"pte": 0, "pmd": 128, "pud": 0}, "pages": 65536, "source": "walk"}
    tlb_run["check"] = {"status": "unavailable", "method": "census", "expected": None, "measured": None,
                        "explanation": "no census"}
    tlb_run["points"] = [{"ws_bytes": ws / 3.0, "accesses": 65536, "label": "a b",
                          "ns_per_access": T.summary([1.5 * ws, 2.5 * ws])} for ws in (4096, 1 << 20, 1e17)]
    tlb = T.result("6.12", [tlb_run])
    files = []
    for name, doc in (("fault", fault), ("tlb", tlb)):
        p = os.path.join(tmp, name + ".json")
        with open(p, "w") as fh:
            json.dump(doc, fh)
        files.append(p)

    print("TAP version 13")
    r = subprocess.run([bench, "lava"] + files, capture_output=True, text=True)
    lines = r.stdout.splitlines()
    pat = re.compile(r"lava-test-case [A-Za-z0-9_.+-]+ --result (pass|fail|skip)"
                     r"( --measurement -?[0-9][0-9.e+-]* --units [A-Za-z0-9_]+)?")
    ok(r.returncode == 0 and lines and all(pat.fullmatch(l) for l in lines),
       "bench_mmio lava: every line is 'lava-test-case NAME --result R [--measurement V --units U]'",
       [r.stderr] + [l for l in lines if not pat.fullmatch(l)])
    names = [l.split()[1] for l in lines]
    ok(len(names) == len(set(names)), "bench_mmio lava: no case name twice",
       sorted({x for x in names if names.count(x) > 1}))
    res = {l.split()[1]: l.split()[3] for l in lines}
    chk = subprocess.run(["/usr/bin/python3", os.path.join(TOP, "scripts", "lava-check"), "--compare-export",
                          bench] + files, capture_output=True, text=True)
    ok(chk.returncode == 0, "bench_mmio lava measurements = compare/export lkp on every edge case",
       chk.stdout.splitlines() + [chk.stderr])
    want = {
        "fault.pud.madvise_None.size_bytes_268435456.status": "pass",
        "fault.pud.madvise_None.size_bytes_268435456.check": "pass",
        "fault.pud.madvise_None.size_bytes_268435456.attribution": "pass",
        "fault.pud.madvise_True.size_bytes_2097152.check": "fail",
        "fault.pud.madvise_True.size_bytes_2097152.attribution": "fail",
        "fault.pte.status": "pass",
        "fault.pte_2.status": "pass",
        "fault.remap.status": "fail",
        "fault.hugetlb1g.status": "skip",
        "tlb.pmd.check": "skip",
        "tlb.pmd.census.leaves.pmd": "pass",
    }
    wrong = ["%s: %s, want %s" % (k, res.get(k), v) for k, v in want.items() if res.get(k) != v]
    ok(not wrong, "checks: status ok/fail/skip, check ok/mismatch/unavailable, attribution, as pass/fail/skip",
       wrong)
    ok("fault.pmd.faults.pmd" not in res and "fault.pmd.faults.pte" not in res and "fault.pmd.faults.pud" in res,
       "a count that differs between repetitions is not reported (as in lkp); the others are",
       [k for k in res if k.startswith("fault.pmd.faults")])
    ok(any(k.startswith("tlb.pmd.ns_per_access.") and "ws_bytes_3.3333333333333332e+16" in k for k in res),
       "a sweep point's float field is named as Python writes it",
       [k for k in res if "ns_per_access" in k][:6])
    ok(r.stdout == subprocess.run([bench, "lava"] + files, capture_output=True, text=True).stdout,
       "the same results give the same lines in the same order")
    bad = subprocess.run([bench, "lava", os.path.join(tmp, "missing.json")], capture_output=True, text=True)
    ok(bad.returncode == 1 and "missing.json" in bad.stderr and not bad.stdout,
       "bench_mmio lava: an unreadable result is an error (exit 1) naming the file", [bad.stderr])
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
