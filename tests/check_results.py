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
PAGE, PMD = 4 << 10, 2 << 20

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


# The counts the README promises, written out: no model here (bench/theory.c
# is the one model, and every run's own `check` compares against it).
# Key: (strategy, size, align) -> counts the run's `faults` must show.
# "huge" is a kernel whose core mm calls ->huge_fault on pfnmaps (Debian
# 6.12+); "4k" is one that never does (Debian 6.1).
M, G = 1 << 20, 1 << 30
PROMISED = {
    "huge": {
        ("remap", 256 * M, "auto"): {"pte": 0, "pmd": 0, "pud": 0, "pages": 65536},
        ("pte", 256 * M, "auto"): {"pte": 65536, "pmd": 0, "pud": 0, "pages": 65536},
        ("bulk", 256 * M, "auto"): {"pte": 1, "pmd": 0, "pud": 0, "pages": 65536},
        ("pmd", 256 * M, "auto"): {"pte": 0, "pmd": 128, "pud": 0, "pages": 65536},
        ("pud", 256 * M, "auto"): {"pte": 0, "pmd": 128, "pud": 0, "pages": 65536},
        ("pmd", 64 * M, "auto"): {"pte": 0, "pmd": 32, "pud": 0, "pages": 16384},
        ("pud", 64 * M, "auto"): {"pte": 0, "pmd": 32, "pud": 0, "pages": 16384},
        ("remap", 1 * G, "auto"): {"pte": 0, "pmd": 0, "pud": 0, "pages": 262144},
        ("pte", 1 * G, "auto"): {"pte": 262144, "pmd": 0, "pud": 0, "pages": 262144},
        ("bulk", 1 * G, "auto"): {"pte": 1, "pmd": 0, "pud": 0, "pages": 262144},
        ("pmd", 1 * G, "auto"): {"pte": 0, "pmd": 512, "pud": 0, "pages": 262144},
        ("pud", 1 * G, "auto"): {"pte": 0, "pmd": 0, "pud": 1, "fallback": 0, "pages": 262144},
        ("pud", 2 * G, "auto"): {"pte": 0, "pmd": 0, "pud": 2, "fallback": 0, "pages": 524288},
        # ALIGN=none: the kernel's default VA, here never 2M-congruent to the
        # BAR (checked below): every page a PTE, no huge entry.
        ("pud", 256 * M, "none"): {"pte": 65536, "pmd": 0, "pud": 0, "pages": 65536},
    },
    "4k": {
        ("remap", 256 * M, "auto"): {"pte": 0, "pmd": 0, "pud": 0, "fallback": 0, "pages": 65536},
        ("pte", 256 * M, "auto"): {"pte": 65536, "pmd": 0, "pud": 0, "fallback": 0, "pages": 65536},
        ("bulk", 256 * M, "auto"): {"pte": 1, "pmd": 0, "pud": 0, "fallback": 0, "pages": 65536},
        ("pmd", 256 * M, "auto"): {"pte": 65536, "pmd": 0, "pud": 0, "fallback": 0, "pages": 65536},
        ("pud", 256 * M, "auto"): {"pte": 65536, "pmd": 0, "pud": 0, "fallback": 0, "pages": 65536},
        ("pmd", 64 * M, "auto"): {"pte": 16384, "pmd": 0, "pud": 0, "fallback": 0, "pages": 16384},
        ("pud", 64 * M, "auto"): {"pte": 16384, "pmd": 0, "pud": 0, "fallback": 0, "pages": 16384},
        ("pud", 1 * G, "auto"): {"pte": 262144, "pmd": 0, "pud": 0, "fallback": 0, "pages": 262144},
        ("pud", 2 * G, "auto"): {"pte": 524288, "pmd": 0, "pud": 0, "fallback": 0, "pages": 524288},
        ("pud", 256 * M, "none"): {"pte": 65536, "pmd": 0, "pud": 0, "fallback": 0, "pages": 65536},
    },
}
# "huge-pmd": a kernel whose core mm calls ->huge_fault on pfnmaps but has
# no PUD pfnmaps (arm64: no ARCH_SUPPORTS_PUD_PFNMAP): `pud` maps with PMDs.
PROMISED["huge-pmd"] = dict(PROMISED["huge"])
PROMISED["huge-pmd"].update({
    ("pud", 1 * G, "auto"): {"pte": 0, "pmd": 512, "pud": 0, "fallback": 0, "pages": 262144},
    ("pud", 2 * G, "auto"): {"pte": 0, "pmd": 1024, "pud": 0, "fallback": 0, "pages": 524288},
})
# Each supported guest kernel: its kind, and how its release starts
# (NAME-arm64: ARCH=arm64, its release ends in -arm64).
KERNEL_KIND = {"debian-6.12": "huge", "debian-6.1": "4k", "debian-7.2": "huge", "debian-7.3-rc": "huge",
               "debian-7.2-arm64": "huge-pmd", "debian-7.3-rc-arm64": "huge-pmd"}
RELEASE_PREFIX = {"debian-6.12": ("6.12",), "debian-6.1": ("6.1.",), "debian-7.2": ("7.2.",),
                  "debian-7.3-rc": ("7.3-", "7.3."), "debian-7.2-arm64": ("7.2.",),
                  "debian-7.3-rc-arm64": ("7.3-", "7.3.")}

def run_ok(run, what, with_reason=False):
    """A skip must be a baseline's, with a reason; else the run must be ok.
    True when the run's own checks should follow."""
    if run["status"] == "skip":
        tap(run["kind"] == "baseline" and bool(run.get("reason")),
            what + ": a baseline skipped with a reason" +
            (" (%s)" % run.get("reason") if with_reason else ""))
        return False
    tap(run["status"] == "ok", what + ": status ok", run.get("reason"))
    return run["status"] == "ok"



def is_huge(kernel):
    return KERNEL_KIND[kernel] in ("huge", "huge-pmd")


def release_ok(kernel, release):
    arm64 = kernel.endswith("-arm64")
    return release.startswith(RELEASE_PREFIX[kernel]) and release.endswith("-arm64") == arm64

# Which page-table leaves map a populated 1 GiB (the module's census walks the
# page tables; BENCH_MMIO_CENSUS), per kernel kind: the README's promise.
CENSUS_1G = {
    "huge": {"remap": {"pte": 262144, "pmd": 0, "pud": 0}, "pte": {"pte": 262144, "pmd": 0, "pud": 0},
             "bulk": {"pte": 262144, "pmd": 0, "pud": 0}, "pmd": {"pte": 0, "pmd": 512, "pud": 0},
             "pud": {"pte": 0, "pmd": 0, "pud": 1}},
    "huge-pmd": {"remap": {"pte": 262144, "pmd": 0, "pud": 0}, "pte": {"pte": 262144, "pmd": 0, "pud": 0},
                 "bulk": {"pte": 262144, "pmd": 0, "pud": 0}, "pmd": {"pte": 0, "pmd": 512, "pud": 0},
                 "pud": {"pte": 0, "pmd": 512, "pud": 0}},
    "4k": {s: {"pte": 262144, "pmd": 0, "pud": 0} for s in ("remap", "pte", "bulk", "pmd", "pud")},
}


def check_tlb(run, kernel, name):
    """A TLB curve: enough points, one ns/access per point, a census or a page size."""
    size = run["params"]["size_bytes"]
    what = "%s: tlb %s %dM" % (name, run["target"], size >> 20)
    if not run_ok(run, what, with_reason=True):
        return
    pts = run["points"]
    ws = [p["ws_bytes"] for p in pts]
    need = 8 if size >= (1 << 30) else 4
    tap(len(pts) >= need and ws == sorted(set(ws)) and ws[-1] == size,
        what + ": %d working sets, ascending, up to the whole mapping" % len(pts), json.dumps(ws))
    tap(all(p["ns_per_access"]["n"] == run["params"]["reps"] and p["ns_per_access"]["median"] > 0
            for p in pts), what + ": ns per access at every point over every repetition")
    pmu = run["pmu"]
    if not pmu["available"]:
        tap(bool(pmu.get("reason")) and all(p["counters"] is None for p in pts),
            what + ": no PMU: counters unavailable, with the reason", json.dumps(pmu)[:400])
    if run["kind"] == "baseline":
        tap(run["page_size"].get("obtained") in (PAGE, PMD, 1 << 30),
            what + ": labelled with the page size it got (%s)" % run.get("label"), json.dumps(run["page_size"]))
        return
    census = run.get("census")
    tap(census is not None and census["pages"] == size // PAGE,
        what + ": the page-table census covers the mapping", json.dumps(run.get("census_reason") or census))
    tap(run["check"]["status"] == "ok", what + ": census agrees with the fault counters",
        json.dumps(run["check"]))
    want = CENSUS_1G[KERNEL_KIND[kernel]].get(run["strategy"]) if size == 1 << 30 else None
    if want is not None and census is not None:
        tap(census["leaves"] == want, what + ": leaves %s (README)" % json.dumps(want, sort_keys=True),
            "census %s" % json.dumps(census["leaves"], sort_keys=True))


def check_baseline(run, name):
    """An ordinary-memory baseline: ok with the page size it got, or a skip that says why."""
    what = "%s: %s %s %dM" % (name, run["bench"], run["target"],
                              run["params"]["size_bytes"] >> 20)
    if run["status"] == "skip":
        tap(bool(run.get("reason")), what + ": skipped with a reason (%s)" % run.get("reason"))
        return
    tap(run["status"] == "ok", what + ": status ok", run.get("reason"))
    if run["status"] != "ok":
        return
    ps = run.get("page_size") or {}
    got = ps.get("obtained")
    zero_page = run["params"].get("access") == "read"
    tap(got in (PAGE, PMD, 1 << 30) or (zero_page and got is None),
        what + ": records the page size it got (%s, from %s)" % (got, ps.get("source")),
        json.dumps(ps))
    if run["target"] == "thp" and got != PMD:
        tap(any("huge" in note for note in run.get("notes", [])),
            what + ": says that it got no huge pages", json.dumps(run.get("notes")))
    if run.get("check") is not None:
        tap(run["check"]["status"] == "ok",
            what + ": ru_minflt is one fault per page obtained", json.dumps(run["check"]))
    m = run["metrics"].get("populate_ns")
    tap(m is not None and m["n"] == run["params"]["reps"],
        what + ": populate_ns summarised over every repetition", json.dumps(m))


def check_no_align_hook(doc, run, name):
    """A module built without its get_unmapped_area hook must never say ok."""
    mod = doc["module"]
    what = "%s: %s %s align=%s (module without the alignment hook)" % (
        name, run["bench"], run.get("strategy"), run["params"]["align"])
    tap("get_unmapped_area" not in mod["features"],
        what + ": module.features lacks get_unmapped_area", json.dumps(mod["features"]))
    tap(run["status"] == "ok", what + ": status ok", run.get("reason"))
    if run["status"] != "ok":
        return
    c = run["check"]
    tap(c["status"] == "mismatch" and "get_unmapped_area" in (c.get("explanation") or ""),
        what + ": check.status is mismatch and names the missing hook", json.dumps(c, indent=1))


# --- zap, fork, threads ------------------------------------------------------
# The refault after a zap, by level, at the sizes tests/run gives (README):
# (strategy, size, partial offset, partial length) -> {op: counts}.  Every
# leaf the zapped range meets refaults at its level; no fallback, as the
# regions the populate took down a level keep their tables.
def _c(pte=0, pmd=0, pud=0, pages=None):
    return {"pte": pte, "pmd": pmd, "pud": pud, "fallback": 0,
            "pages": pages if pages is not None else pte + pmd * 512 + pud * 512 * 512}


def _zap_promise(kind):
    z = {}
    for s in ("remap", "pte", "bulk", "pmd", "pud"):
        if s == "bulk":
            whole = part = _c(pte=1, pages=16384)
        elif s in ("remap", "pte") or kind == "4k":
            whole, part = _c(pte=16384), _c(pte=8192)
        else:
            whole, part = _c(pmd=32), _c(pmd=16)
        z[(s, 64 * M, 16 * M, 32 * M)] = {"whole": whole, "partial": part, "revoke": whole}
    # 2M at 1G of a 2G pud mapping: with PUDs the zap is widened to the
    # extent [1G, 2G) and one PUD refaults; else the 2M alone (no PUD VMA).
    two = {"huge": (_c(pud=2), _c(pud=1)), "huge-pmd": (_c(pmd=1024), _c(pmd=1)),
           "4k": (_c(pte=524288), _c(pte=512))}[kind]
    z[("pud", 2 * G, 1 * G, 2 * M)] = {"whole": two[0], "partial": two[1], "revoke": two[0]}
    return z


ZAP_REFAULT = {k: _zap_promise(k) for k in ("huge", "huge-pmd", "4k")}
# What a populate of 64M faults (fork: the child of an unpopulated mapping
# populates it; threads: summed over the threads), per kind.
POP_64M = {k: {"remap": _c(pages=16384), "pte": _c(pte=16384), "bulk": _c(pte=1, pages=16384),
               "pmd": _c(pmd=32) if k != "4k" else _c(pte=16384),
               "pud": _c(pmd=32) if k != "4k" else _c(pte=16384)} for k in ("huge", "huge-pmd", "4k")}


def _counts(c):
    return {k: c[k] for k in ("pte", "pmd", "pud", "fallback", "pages")}


def check_zap(run, kernel, name):
    size = run["params"]["size_bytes"]
    what = "%s: zap %s %dM" % (name, run["target"], size >> 20)
    if run["kind"] == "baseline":
        tap(run["status"] == "skip" and bool(run.get("reason")),
            what + ": a baseline is skipped with a reason (zap is a device operation)")
        return
    tap(run["status"] == "ok", what + ": status ok", run.get("reason"))
    if run["status"] != "ok":
        return
    tap(run["populate_check"]["status"] == "ok", what + ": the populate's counts are the theory's",
        json.dumps(run["populate_check"]))
    par = run["params"]
    want = ZAP_REFAULT[KERNEL_KIND[kernel]].get((run["strategy"], size, par["partial_offset"], par["partial_length"]))
    for op in ("whole", "partial", "revoke"):
        z = run["zaps"][op]
        w = "%s: %s" % (what, op)
        tap(z["check"]["status"] == "ok", w + ": refault counts by level are the theory's for the range zapped",
            json.dumps(z["check"], indent=1))
        tap(z["refault_identical"] is True, w + ": refault counts identical across repetitions")
        if z["census_after"] is not None:
            c = z["census_after"]
            tap(c["pages"] == c["expected_pages"],
                w + ": the census after the zap misses exactly the pages zapped (%d left)" % c["expected_pages"],
                json.dumps(c))
        if op == "revoke":
            tap(z["sigbus_while_revoked"] is True and z["sigbus_count"] >= 1,
                w + ": a touch while revoked gets SIGBUS", json.dumps(z))
        else:
            wd, a, zz = z["widen"], z["asked"], z["zapped"]
            if wd["widened"]:
                lo, hi = zz["offset"], zz["offset"] + zz["length"]
                ok = (wd["guard"] and lo <= a["offset"] and hi >= a["offset"] + a["length"]
                      and zz != a)
            else:
                ok = zz == a
            tap(ok and wd["widened"] == (wd["zaps_widened"] > 0 if wd["guard"] else False)
                and wd["predicted"] == wd["widened"],
                w + ": says whether the zap was widened (%s) and which range it zapped" % wd["widened"],
                json.dumps(z["widen"]) + " asked " + json.dumps(a) + " zapped " + json.dumps(zz))
        if want is not None:
            got = _counts(z["refault"])
            tap(got == want[op], w + ": refault %s (README)" % json.dumps(want[op], sort_keys=True),
                "measured %s" % json.dumps(got, sort_keys=True))
        for m in ("zap_%s_ns" % op if op != "revoke" else "revoke_ns", "refault_%s_ns" % op):
            mm = run["metrics"].get(m)
            tap(mm is not None and mm["n"] == run["params"]["reps"],
                w + ": metric %s over every repetition" % m, json.dumps(mm))
    mm = run["metrics"].get("munmap_ns")
    tap(mm is not None and mm["n"] == run["params"]["reps"], what + ": munmap_ns over every repetition")


def check_fork(run, kernel, name):
    size = run["params"]["size_bytes"]
    what = "%s: fork %s %dM" % (name, run["target"], size >> 20)
    if not run_ok(run, what):
        return
    v = run["variants"]
    for var in ("populated", "unpopulated", "dontfork"):
        m = run["metrics"]["fork_%s_ns" % var]
        tap(m["n"] == run["params"]["reps"], "%s: %s: fork_ns over every repetition" % (what, var))
    tap(v["dontfork"]["child"]["vma"] is False and v["populated"]["child"]["vma"] is True,
        what + ": MADV_DONTFORK: the child has no VMA; otherwise it has", json.dumps(v["dontfork"]["child"]))
    if run["kind"] != "pfnmap":
        return
    for var in ("populated", "unpopulated", "dontfork"):
        ch = v[var]["child"]
        tap(ch["check"]["status"] == "ok", "%s: %s: the child's faults are the model's" % (what, var),
            json.dumps(ch["check"]))
    pc, cc = v["populated"]["census"], v["populated"]["child"]["census"]
    tap(pc is not None and pc == cc and pc["pages"] == size // PAGE,
        what + ": fork copied every entry: the child's census is the parent's", json.dumps([pc, cc]))
    tap(_counts(v["populated"]["child"]["faults"]) == _c(pages=0),
        what + ": the child of a populated mapping faults nowhere (README)",
        json.dumps(v["populated"]["child"]["faults"]))
    want = POP_64M[KERNEL_KIND[kernel]].get(run["strategy"]) if size == 64 * M else None
    if want is not None:
        if run["strategy"] == "remap":
            want = _c(pages=0)	# populated by its mmap: the child got every entry
        got = _counts(v["unpopulated"]["child"]["faults"])
        tap(got == want, what + ": the child of an unpopulated mapping populates it: %s (README)"
            % json.dumps(want, sort_keys=True), "measured %s" % json.dumps(got, sort_keys=True))


def check_threads(run, kernel, name):
    size = run["params"]["size_bytes"]
    what = "%s: threads %s %dM" % (name, run["target"], size >> 20)
    if not run_ok(run, what):
        return
    grain = run["params"]["grain_bytes"]
    ts = [p["threads"] for p in run["points"]]
    tap(ts[0] == 1 and ts == sorted(set(ts)) and ts[-1] <= max(run["pus"], 1) * 256,
        what + ": T = %s" % ts)
    want = POP_64M[KERNEL_KIND[kernel]].get(run.get("strategy")) if size == 64 * M else None
    for p in run["points"]:
        w = "%s: T=%d" % (what, p["threads"])
        sl = sorted((t["slice_offset"], t["slice_length"]) for t in p["per_thread"])
        contiguous = all(a[0] + a[1] == b[0] for a, b in zip(sl, sl[1:]))
        tap(len(sl) == p["threads"] and sl[0][0] == 0 and contiguous and sum(x[1] for x in sl) == size
            and all(x[0] % grain == 0 for x in sl),
            w + ": disjoint slices of whole grains cover the mapping", json.dumps(sl))
        tap(p["check"]["status"] == "ok", w + ": faults summed over the threads are the model's",
            json.dumps(p["check"]))
        if want is not None and "faults" in p:
            got = {k: p["faults"][k] for k in ("pte", "pmd", "pud", "pages")}
            ww = {k: want[k] for k in ("pte", "pmd", "pud", "pages")}
            tap(got == ww, w + ": faults %s (README)" % json.dumps(ww, sort_keys=True),
                "measured %s" % json.dumps(got, sort_keys=True))
        nf = sum(t["minflt"] for t in p["per_thread"])
        for m in ("faults_per_s", "fault_latency_ns"):
            n = run["params"]["reps"] if nf or m == "faults_per_s" else 0    # remap: no fault
            tap(p[m]["n"] == n, w + ": %s over every repetition" % m, json.dumps(p[m]))


def check_run(doc, run, kernel, name):
    if run["bench"] in ("zap", "fork", "threads"):
        {"zap": check_zap, "fork": check_fork, "threads": check_threads}[run["bench"]](run, kernel, name)
        return
    if run["bench"] == "tlb":
        check_tlb(run, kernel, name)
        return
    if run.get("kind", "pfnmap") != "pfnmap":
        check_baseline(run, name)
        return
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
    want = PROMISED[KERNEL_KIND[kernel]].get((strat, size, run["params"]["align"]))
    if run["params"]["align"] == "none" and is_huge(kernel):
        # The literal numbers hold for a VA the kernel did not align to 2M.
        va, phys = run["mapping"]["va"], run["mapping"]["phys"]
        tap((va - phys) % PMD != 0, what + ": the default VA is not 2M-congruent to the BAR",
            json.dumps(run["mapping"]))
        tap(f["fallback"] > 0, what + ": the misaligned VA shows as fallbacks", json.dumps(f))
    if want is not None:
        bad = {k: (f.get(k), v) for k, v in want.items() if f.get(k) != v}
        tap(not bad, what + ": faults %s (README)" % json.dumps(want, sort_keys=True),
            "measured %s" % json.dumps(f, sort_keys=True))
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


def ci_outside(node, path=""):
    """Metric summaries whose ci95 leaves [min, max]: the schema cannot say it."""
    if isinstance(node, dict):
        ci = node.get("ci95")
        if isinstance(ci, list) and len(ci) == 2 and node.get("min") is not None and node.get("max") is not None:
            lo, hi, mn, mx = ci[0], ci[1], node["min"], node["max"]
            eps = 1e-9 * max(abs(mn), abs(mx), 1)
            if not (mn - eps <= lo <= hi <= mx + eps):
                yield "%s: ci95 [%g, %g] outside [%g, %g]" % (path or "/", lo, hi, mn, mx)
        for k, v in node.items():
            yield from ci_outside(v, path + "/" + str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from ci_outside(v, "%s[%d]" % (path, i))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", required=True, choices=sorted(KERNEL_KIND) + ["host"],
                    help="where the results come from (host: this machine, baselines only)")
    ap.add_argument("--expect-files", type=int, default=None,
                    help="exactly this many result files must be there")
    ap.add_argument("--no-align-hook", action="store_true",
                    help="the module was built without its get_unmapped_area hook")
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
        bad = list(ci_outside(doc))
        tap(not bad, "%s: every ci95 lies within its metric's [min, max] (never below 0 for a positive one)" % name,
            "; ".join(bad[:5]))
        if args.kernel == "host" or doc["module"] is None:
            # baselines alone: no module on the host, no device opened
            for run in doc["runs"]:
                tap(run.get("kind") == "baseline",
                    "%s: %s is a baseline (no module in the result)" % (name, run.get("target")))
                check_run(doc, run, args.kernel, name)
            continue
        virt = doc["system"]["virt"]["type"]
        tap(virt in ("tcg", "kvm"), "%s: system.virt.type names the hypervisor (%s)" % (name, virt))
        release = doc["system"]["kernel"]["release"]
        tap(release_ok(args.kernel, release),
            "%s: ran on %s (%s)" % (name, args.kernel, release))
        thp = doc["system"]["thp"]
        if thp["enabled"] != "always" and is_huge(args.kernel):
            # Debian 6.12.115+ carries the fix that lets pfnmaps bypass THP,
            # and 7.x has it (measured: 32 PMD faults at 64M under 'never'):
            # the suite must find that out from the kernel, not assume it.
            tap(thp.get("gates_pfnmap") is False,
                "%s: THP '%s' measured not to gate huge pfnmap faults on %s"
                % (name, thp["enabled"], args.kernel), json.dumps(thp))
        mod = doc["module"]
        caps = mod["caps"]
        core_huge = "core_pmd" in caps or "core_pud" in caps
        huge = mod["huge_pfnmap_faults"]
        if KERNEL_KIND[args.kernel] == "huge":
            tap(core_huge and huge["pmd"] and huge["pud"] and mod["max_level"]["pud"] == "pud",
                "%s: the result says this kernel delivers huge pfnmap faults" % name,
                json.dumps(mod))
        elif KERNEL_KIND[args.kernel] == "huge-pmd":
            tap(core_huge and huge["pmd"] and not huge["pud"] and "core_pud" not in caps
                and mod["max_level"]["pmd"] == "pmd" and mod["max_level"]["pud"] == "pmd",
                "%s: the result says this kernel delivers PMD but no PUD pfnmap faults (pud maps with PMDs)"
                % name, json.dumps(mod))
        if is_huge(args.kernel):
            if not args.no_align_hook:
                # A kernel API change once dropped the hook silently (6.10).
                tap("get_unmapped_area" in mod["features"],
                    "%s: module.features has the alignment hook (get_unmapped_area)" % name,
                    json.dumps(mod["features"]))
        else:
            tap(not core_huge and not huge["pmd"] and not huge["pud"]
                and "cannot deliver huge pfnmap faults" in huge["summary"]
                and mod["max_level"]["pud"] == "pte" and mod["max_level"]["pmd"] == "pte",
                "%s: the result says this kernel cannot deliver huge pfnmap faults" % name,
                json.dumps(mod))
        for run in doc["runs"]:
            if run.get("kind", "pfnmap") == "pfnmap":
                tap(run["strategy"] in mod["strategies"],
                    "%s: %s is one of module.strategies" % (name, run["strategy"]),
                    json.dumps(mod["strategies"]))
            if args.no_align_hook:
                check_no_align_hook(doc, run, name)
            else:
                check_run(doc, run, args.kernel, name)
    print("1..%d" % n)
    print("# %d passed, %d failed" % (n - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
