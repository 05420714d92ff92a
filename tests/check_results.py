#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check_results.py --kernel K DIR: check the bench_mmio results in DIR.

Every *.json must validate against schema/bench_mmio-1.schema.json, and each
`fault` run must show the fault counts that kernel K must give for its
strategy, size and alignment (the numbers README.md promises).  Prints TAP;
exits 1 if any check failed.
"""
import argparse
import glob
import json
import os
import sys

import jsonschema

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(TOP, "schema", "bench_mmio-1.schema.json")
PAGE, PMD, PUD = 4 << 10, 2 << 20, 1 << 30

n = 0
failed = 0


def tap(good, desc, diag=None):
    global n, failed
    n += 1
    print(("ok %d - %s" if good else "not ok %d - %s") % (n, desc))
    if not good:
        failed += 1
        if diag:
            for line in str(diag).splitlines():
                print("#   " + line)


def expect_612(run):
    """Counts Debian 6.12 must give: core mm delivers huge pfnmap faults."""
    strat = run["strategy"]
    size = run["params"]["size_bytes"]
    align = run["params"]["align"]
    pages = size // PAGE
    if align != "auto":
        return None             # depends on the VA: the run's own check covers it
    return {
        "remap": {"pte": 0, "pmd": 0, "pud": 0},
        "pte": {"pte": pages, "pmd": 0, "pud": 0},
        "bulk": {"pmd": 0, "pud": 0},
        "pmd": {"pte": 0, "pmd": size // PMD, "pud": 0},
        "pud": ({"pte": 0, "pmd": 0, "pud": size // PUD} if size % PUD == 0
                else {"pte": 0, "pmd": size // PMD, "pud": 0}),
    }[strat]


def expect_61(run):
    """Counts Debian 6.1 must give: ->huge_fault is never called on pfnmaps."""
    strat = run["strategy"]
    pages = run["params"]["size_bytes"] // PAGE
    return {
        "remap": {"pte": 0, "pmd": 0, "pud": 0, "fallback": 0},
        "pte": {"pte": pages, "pmd": 0, "pud": 0, "fallback": 0},
        "bulk": {"pmd": 0, "pud": 0, "fallback": 0},
        "pmd": {"pte": pages, "pmd": 0, "pud": 0, "fallback": 0},
        "pud": {"pte": pages, "pmd": 0, "pud": 0, "fallback": 0},
    }[strat]


def check_run(doc, run, kernel, name):
    strat = run["strategy"]
    size = run["params"]["size_bytes"]
    what = "%s: %s %s %dM align=%s" % (name, run["bench"], strat, size >> 20,
                                       run["params"]["align"])
    tap(run["status"] == "ok", what + ": status ok", run.get("reason"))
    if run["status"] != "ok":
        return
    f = run["faults"]
    tap(run["check"]["status"] == "ok",
        what + ": counts match the suite's own theory",
        json.dumps(run["check"], indent=1))
    tap(run.get("faults_identical") is True, what + ": counts identical across repetitions")
    att = run["attribution"]
    tap(att["passes_agree"] is True and att["consistent"] is True,
        what + ": timed and instrumented passes agree, and every fault was attributed",
        json.dumps(att))
    want = expect_612(run) if kernel == "debian-6.12" else expect_61(run)
    if want is not None:
        bad = {k: (f.get(k), v) for k, v in want.items() if f.get(k) != v}
        tap(not bad, what + ": faults %s" % json.dumps(want, sort_keys=True),
            "measured %s" % json.dumps(f, sort_keys=True))
    if strat == "bulk":
        tap(1 <= f["pte"] <= 2 and f["pages"] == size // PAGE,
            what + ": bulk maps every page in at most 2 faults", json.dumps(f))
    if strat == "remap":
        tap(f["pages"] == size // PAGE, what + ": remap populates every page at mmap",
            json.dumps(f))
    if kernel == "debian-6.12" and run["params"]["align"] == "none" and strat == "pud":
        va_align = run["mapping"]["va_align"]
        tap(f["pud"] == 0 and (va_align >= PMD or f["fallback"] > 0),
            what + ": no PUD, and the misaligned VA shows as fallbacks "
            "(va_align %d)" % va_align, json.dumps(f))
    nfaults = f["pte"] + f["pmd"] + f["pud"]
    need = {"fault_p50_ns": 2, "fault_p99_ns": 100}
    for m in ("mmap_ns", "populate_ns", "munmap_ns", "fault_p50_ns", "fault_p99_ns"):
        metric = run["metrics"].get(m)
        if m in need and nfaults < need[m]:
            # too few samples for that percentile (remap: no fault at all)
            tap(metric is not None and metric["n"] == 0 and metric["median"] is None,
                what + ": no %s from %d faults per repetition" % (m, nfaults), json.dumps(metric))
            continue
        tap(metric is not None and metric["n"] == run["params"]["reps"]
            and metric["min"] <= metric["median"] <= metric["max"],
            what + ": metric %s summarised over every repetition" % m, json.dumps(metric))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True, choices=["debian-6.12", "debian-6.1"])
    ap.add_argument("--expect-files", type=int, default=None,
                    help="exactly this many result files must be there")
    ap.add_argument("dir")
    args = ap.parse_args()
    with open(SCHEMA) as fh:
        schema = json.load(fh)
    files = sorted(glob.glob(os.path.join(args.dir, "*.json")))
    if args.expect_files is None:
        tap(len(files) > 0, "%s: result files written" % args.kernel, "none in " + args.dir)
    else:
        tap(len(files) == args.expect_files,
            "%s: %d result files written, none lost" % (args.kernel, args.expect_files),
            "found %d in %s" % (len(files), args.dir))
    for path in files:
        name = os.path.basename(path)
        try:
            with open(path) as fh:
                doc = json.load(fh)
            jsonschema.validate(doc, schema)
            err = None
        except (ValueError, jsonschema.ValidationError) as e:
            err = e
        tap(err is None, "%s: valid JSON against the schema" % name, err)
        if err is not None:
            continue
        virt = doc["system"]["virt"]["type"]
        tap(virt in ("tcg", "kvm"), "%s: system.virt.type names the hypervisor (%s)" % (name, virt))
        release = doc["system"]["kernel"]["release"]
        tap(release.startswith("6.12" if args.kernel == "debian-6.12" else "6.1."),
            "%s: ran on %s (%s)" % (name, args.kernel, release))
        thp = doc["system"]["thp"]
        if thp["enabled"] != "always" and args.kernel == "debian-6.12":
            # Debian 6.12.115+ carries the fix that lets pfnmaps bypass THP:
            # the suite must find that out from the kernel, not assume it.
            tap(thp.get("gates_pfnmap") is False,
                "%s: THP '%s' measured not to gate huge pfnmap faults on Debian 6.12"
                % (name, thp["enabled"]), json.dumps(thp))
        mod = doc["module"]
        caps = mod["caps"]
        core_huge = "core_pmd" in caps or "core_pud" in caps
        huge = mod["huge_pfnmap_faults"]
        if args.kernel == "debian-6.12":
            tap(core_huge and huge["pmd"] and huge["pud"] and mod["max_level"]["pud"] == "pud",
                "%s: the result says this kernel delivers huge pfnmap faults" % name,
                json.dumps(mod))
        else:
            tap(not core_huge and not huge["pmd"] and not huge["pud"]
                and "cannot deliver huge pfnmap faults" in huge["summary"]
                and mod["max_level"]["pud"] == "pte" and mod["max_level"]["pmd"] == "pte",
                "%s: the result says this kernel cannot deliver huge pfnmap faults" % name,
                json.dumps(mod))
        for run in doc["runs"]:
            check_run(doc, run, args.kernel, name)
    print("1..%d" % n)
    print("# %d passed, %d failed" % (n - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
