#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""test_compare.py [RESULT...]: TAP tests of compare/, its exports and plot/.

Synthetic results (made here, seeded) test the statistics: identical sides
flag nothing, a +20% shift with realistic between-boot noise is flagged
worse and fails the gate, a changed fault count is reported first, runs are
matched by (bench, target, params), the Markdown table is well formed, the
OpenMetrics export passes `promtool check metrics`.  Real results given as
arguments (e.g. a 6.1 and a 6.12 `make bench` result) are plotted, exported
and compared too.  No test asserts a timing of the machine.
"""
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(TOP, "compare"))
import bmcompare  # noqa: E402
import bmresult  # noqa: E402
import bmresult  # noqa: E402

N = {"pass": 0, "fail": 0, "n": 0}


def ok(cond, desc, diag=""):
    N["n"] += 1
    if cond:
        N["pass"] += 1
        print("ok %d - %s" % (N["n"], desc))
    else:
        N["fail"] += 1
        print("not ok %d - %s" % (N["n"], desc))
        for line in str(diag).splitlines()[-30:]:
            print("#   " + line)


def summary(values, unit="ns", better="lower"):
    v = sorted(values)
    n = len(v)
    mean = sum(v) / n
    sd = (sum((x - mean) ** 2 for x in v) / (n - 1)) ** 0.5 if n > 1 else 0.0
    med = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    return {"unit": unit, "better": better, "n": n, "mean": mean, "stddev": sd, "min": v[0],
            "median": med, "max": v[-1], "ci95": [mean - sd, mean + sd], "values": list(values)}


def histogram(centre, rng, count=2000):
    """A log-ish latency histogram around centre with a heavy right tail."""
    h = {}
    for _ in range(count):
        x = centre * (1 + rng.gauss(0, 0.03))
        if rng.random() < 0.02:
            x *= rng.uniform(2, 30)
        lo = 2 ** int(x).bit_length() // 64 or 1
        b = int(x // lo) * lo
        h[b] = h.get(b, 0) + 1
    return {"buckets": [[float(b), float(b + (2 ** int(b).bit_length() // 64 or 1)), c] for b, c in sorted(h.items())],
            "count": count}


def run(target, scale, rng, reps=5, pte=0, pmd=128, size=268435456, bench="fault", within=0.01):
    """One run: every timing is base * scale * (1 + within-run noise)."""
    base = {"mmap_ns": 150e3, "populate_ns": 6e6, "munmap_ns": 3e5,
            "fault_p50_ns": 3000.0, "fault_p99_ns": 9000.0}
    metrics = {m: summary([b * scale * (1 + rng.gauss(0, within)) for _ in range(reps)]) for m, b in base.items()}
    metrics["minflt"] = summary([float(pte + pmd)] * reps, unit="count")
    return {"bench": bench, "target": target, "kind": "pfnmap", "strategy": target, "status": "ok",
            "reason": None, "params": {"size_bytes": size, "access": "read", "reps": reps, "align": "auto"},
            "faults": {"pte": pte, "pmd": pmd, "pud": 0, "fallback": 0, "pages": size // 4096},
            "metrics": metrics,
            "latency_histograms": {"fault": histogram(3000 * scale, rng)}}


def result(kernel, runs, virt="kvm", created="2026-01-01T00:00:00Z", extra=None):
    doc = {"schema": "bench_mmio/1", "suite": {"name": "bench_mmio", "version": "test"},
           "created": created, "command": ["bench_mmio"], "bench": runs[0]["bench"],
           "system": {"kernel": {"release": kernel, "version": "#1", "cmdline": ""},
                      "cpu": {"model_name": "Test CPU", "tsc_hz": 1, "invariant_tsc": True, "gbpages": True},
                      "virt": {"type": virt, "vendor": None, "source": "cpuid"}, "hostname": "t"},
           "backing": None, "module": {"strategies": sorted({r["target"] for r in runs})}, "runs": runs}
    if extra:
        doc["system"].update(extra)
    return doc


def side(tmp, name, kernel, scales, seed, boot_sd=0.03, **kw):
    """Several result files (boots), each with its own between-boot offset."""
    rng = random.Random(seed)
    paths = []
    for i, s in enumerate(scales):
        boot = s * (1 + rng.gauss(0, boot_sd))
        doc = result(kernel, [run("pud", boot, rng, **kw), run("pte", boot, rng, pte=65536, pmd=0)],
                     created="2026-01-01T00:00:%02dZ" % i)
        p = os.path.join(tmp, "%s-%d.json" % (name, i))
        with open(p, "w") as fh:
            json.dump(doc, fh)
        paths.append(p)
    return paths


def compare_cli(a, b, *extra):
    r = subprocess.run([os.path.join(TOP, "compare", "compare"), "-a", *a, "-b", *b, *extra],
                       capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def load(paths):
    return [bmresult.load(p) for p in paths]


def test_stats(tmp):
    a = side(tmp, "same-a", "6.12", [1.0] * 6, seed=1)
    b = side(tmp, "same-b", "6.12", [1.0] * 6, seed=2)
    rc, out, err = compare_cli(a, b)
    cmp = bmcompare.compare(load(a), load(b))
    ok(rc == 0 and not cmp["regressions"], "identical sides (6 boots each, 3% between-boot noise): no regression, exit 0",
       out + err)
    ok(not cmp["counts_changed"], "identical sides: no count changed", out)

    worse = side(tmp, "worse-b", "6.12", [1.2] * 6, seed=3)
    rc, out, err = compare_cli(a, worse)
    cmp = bmcompare.compare(load(a), load(worse))
    pop = [m for m in cmp["metrics"] if m["metric"] == "populate_ns"]
    ok(rc == 1, "+20% shift: exit status 1 (the gate fails)", out + err)
    ok(pop and all(m["regression"] and m["direction"] == "worse" and m["level"] == "runs" for m in pop),
       "+20% shift: populate_ns flagged worse from per-run values", out)
    ok(pop and all(15 < m["change_pct"] < 25 for m in pop), "+20% shift: change about +20%", out)
    ok(pop and all(m["boot_ci_pct"] and m["boot_ci_pct"][0] > 0 for m in pop),
       "+20% shift: bootstrap CI of the median change excludes 0 with 6 runs a side", out)
    ok("RESULT: " in out and "regression" in out.splitlines()[-1], "text ends with the verdict line", out)

    better = side(tmp, "better-b", "6.12", [0.8] * 6, seed=4)
    rc, out, err = compare_cli(a, better)
    ok(rc == 0 and "better" in out, "-20% shift: reported better, exit 0", out + err)

    rc, out, err = compare_cli(a, worse, "--threshold", "50")
    ok(rc == 0, "+20% shift under THRESHOLD=50: exit 0", out + err)

    # One run a side: repetitions, said to be optimistic.
    rc, out, err = compare_cli(a[:1], worse[:1])
    ok("optimistic" in out and "(reps)" in out, "one run a side: p-values from repetitions, marked optimistic", out)

    # A changed count comes first, whatever its p-value.
    c61 = []
    rng = random.Random(5)
    for i in range(3):
        doc = result("6.1", [run("pud", 1.0, rng, pte=65536, pmd=0)], created="2026-01-01T00:01:%02dZ" % i)
        c61.append(os.path.join(tmp, "c61-%d.json" % i))
        json.dump(doc, open(c61[-1], "w"))
    rc, out, err = compare_cli(c61, a[:3])
    lines = out.splitlines()
    first = next((i for i, l in enumerate(lines) if "COUNTS CHANGED" in l), None)
    table = next((i for i, l in enumerate(lines) if l.startswith("run ") and "metric" in l), None)
    ok(first is not None and table is not None and first < table and "faults.pte" in out,
       "a changed fault count is listed before the timing table", out)
    rc2, _, _ = compare_cli(c61, a[:3], "--fail-on-count-change", "--threshold", "1000")
    ok(rc2 == 1, "--fail-on-count-change: a changed count fails the gate", out)

    tcg = [os.path.join(tmp, "tcg.json")]
    d = json.load(open(a[0]))
    d["system"]["virt"]["type"] = "tcg"
    json.dump(d, open(tcg[0], "w"))
    rc, out, err = compare_cli(a, tcg)
    ok(any(l.startswith("WARNING") and "TCG" in l for l in out.splitlines()), "a TCG side gets a warning line", out)


def test_ci(tmp):
    """No interval for a positive quantity reaches below 0, no change below -100%."""
    # A 98% faster B with spread: the linear bootstrap of
    # (median(b*) - median(a*)) / median(a) reaches below -100% here.
    a = [100.0, 120.0, 80.0, 150.0, 90.0, 135.0]
    b = [2.0, 1.5, 3.0, 2.5, 1.8, 2.2]
    res = bmcompare.test_metric(a, b, "lower")
    ci = res["boot_ci_pct"]
    ok(res["change_pct"] is not None and -99 < res["change_pct"] < -97,
       "-98%% change: change_pct %s" % res["change_pct"])
    ok(ci is not None and ci[0] > -100 and ci[0] <= res["change_pct"] <= ci[1],
       "-98% change with spread: bootstrap CI of the median change above -100% and around the change", ci)
    lin = bmcompare.st.bootstrap(
        (bmcompare.np.asarray(a), bmcompare.np.asarray(b)),
        lambda x, y, axis=-1: (bmcompare.np.median(y, axis=axis) - bmcompare.np.median(x, axis=axis))
        / abs(bmcompare.np.median(a)) * 100.0,
        vectorized=True, paired=False, n_resamples=2000, method="percentile", random_state=1)
    ok(lin.confidence_interval.low < -100,
       "the same data give a linear bootstrap CI below -100%% (%.1f): the check above can fail"
       % lin.confidence_interval.low)
    ok(bmcompare.test_metric(a, b, "lower")["boot_ci_pct"] == ci, "the change CI is deterministic (fixed seed)")
    up = bmcompare.test_metric(b, a, "lower")["boot_ci_pct"]
    ok(up is not None and up[0] > 0 and up[1] > 1000, "a 50x slower B: CI of the change positive, unbounded above", up)

    # zero and negative values: no log, no CI, no exception
    z = bmcompare.test_metric([0.0, 1.0, 2.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0], "lower")
    ok(z["boot_ci_pct"] is None and z["change_pct"] is None, "median 0 on A: no change, no CI", z)
    z = bmcompare.test_metric([3.0, 1.0, 2.0, -1.0, 5.0], [1.0, 2.0, 3.0, 4.0, 5.0], "lower")
    ok(z["boot_ci_pct"] is None and z["change_pct"] is not None, "a negative value: change, but no CI", z)
    z = bmcompare.test_metric([-3.0, -1.0, -2.0, -4.0, -5.0], [-1.0, -2.0, -3.0, -4.0, -6.0], "higher")
    ok(z["boot_ci_pct"] is None, "negative medians: no CI", z)

    # the mean's CI: the populate reps, and random positive sets
    pop = [2503.0, 39.0, 42.0, 42.0, 50.0]
    s1, s2 = bmcompare.summarise(pop), bmcompare.summarise(list(reversed(pop)))
    lo, hi = s1["ci95"]
    ok(min(pop) <= lo < s1["mean"] < hi <= max(pop) and lo >= 0,
       "heavy tail 2503 39 42 42 50: mean CI [%.1f, %.1f] within [min, max], >= 0 (Student t: [-830, 1901])" % (lo, hi))
    ok(s1["ci95"] == s2["ci95"] == bmcompare.summarise(pop)["ci95"], "mean CI deterministic", (s1, s2))
    ok(bmcompare.summarise([42.0])["ci95"] is None and bmcompare.summarise([7.0, 7.0])["ci95"] == (7.0, 7.0),
       "n=1: no CI; identical values: [x, x]")
    rng = random.Random(13)
    bad = []
    for _ in range(100):
        x = [rng.lognormvariate(0, 1.5) * (100 if rng.random() < 0.1 else 1) for _ in range(rng.randint(2, 9))]
        c = bmcompare.summarise(x)["ci95"]
        if not (c and min(x) <= c[0] <= c[1] <= max(x) and c[0] > 0):
            bad.append((x, c))
    ok(not bad, "100 random heavy-tailed positive sets: every mean CI within [min, max], > 0", bad[:3])

    # end to end: 6 boots a side, B 98% faster, 10% between-boot noise
    sa = side(tmp, "ci-a", "6.12", [1.0] * 6, seed=14, boot_sd=0.1)
    sb = side(tmp, "ci-b", "6.12", [0.02] * 6, seed=15, boot_sd=0.1)
    cmp = bmcompare.compare(load(sa), load(sb))
    cis = [(m["key"], m["metric"], m["boot_ci_pct"]) for m in cmp["metrics"]]
    ok(cis and all(c and c[0] > -100 for _, _, c in cis),
       "compare, B 98% faster with spread: every change CI above -100%", cis)
    sides = [(m["metric"], m[s]["ci95"]) for m in cmp["metrics"] for s in ("a", "b")]
    ok(all(c and c[0] >= 0 for _, c in sides), "compare: no mean CI of a positive metric below 0", sides)
    rc, out, err = compare_cli(sa, sb)
    chg = [float(x) for x in re.findall(r"\[([+-][0-9.]+), [+-][0-9.]+\]", out)]
    ok(chg and min(chg) > -100 and "Student t" not in out and "log space" in out,
       "the table's change CIs are above -100% and the legend names the method", out)


def test_matching(tmp):
    rng = random.Random(6)
    a = result("k", [run("pud", 1.0, rng, size=1 << 28), run("pud", 1.0, rng, size=1 << 30)])
    b = result("k", [run("pud", 1.0, rng, size=1 << 30), run("pmd", 1.0, rng)])
    cmp = bmcompare.compare([dict(a, _path="a")], [dict(b, _path="b")])
    keys = {m["key"] for m in cmp["metrics"]}
    ok(keys == {"fault.pud[size_bytes=1073741824]"}, "runs matched by (bench, target, params): only the 1G pud pairs",
       sorted(keys))
    ok(cmp["only_a"] == ["fault.pud[size_bytes=268435456]"] and cmp["only_b"] == ["fault.pmd"],
       "unmatched runs are listed per side", (cmp["only_a"], cmp["only_b"]))
    c = result("k", [run("pud", 1.0, rng, reps=3)])
    d = result("k", [run("pud", 1.0, rng, reps=7)])
    cmp = bmcompare.compare([dict(c, _path="c")], [dict(d, _path="d")])
    ok(cmp["metrics"] and not cmp["only_a"], "reps is not part of the key (how often, not what)", cmp["only_a"])
    e = result("k", [run("pud", 1.0, rng, bench="tlb")])
    cmp = bmcompare.compare([dict(a, _path="a")], [dict(e, _path="e")])
    ok(not cmp["metrics"], "another bench with the same target does not match", cmp["only_b"])


def test_clock(tmp):
    """icount results compare only with icount results from as many CPUs."""
    def write(name, clock, cpus, scale):
        rng = random.Random(len(name))
        virt = "tcg"
        extra = {"cpus_online": cpus,
                 "virt": {"type": virt, "vendor": "TCGTCGTCGTCG", "source": "cpuid", "clock": clock}}
        paths = []
        for i in range(3):
            doc = result("6.12", [run("pte", scale, rng, pte=65536, pmd=0, within=0.0)], virt=virt, extra=extra)
            path = os.path.join(tmp, "%s-%d.json" % (name, i))
            with open(path, "w") as fh:
                json.dump(doc, fh)
            paths.append(path)
        return paths
    ic = {"name": "icount", "shift": 0, "source": "env", "ns_means": "one guest instruction"}
    wall = {"name": "wall", "shift": None, "source": "default", "ns_means": "wall-clock time"}
    a = write("ic-a", ic, 1, 1.0)
    rc, out, err = compare_cli(a, write("wall-b", wall, 1, 1.0))
    ok(rc == 2 and "different guest clocks" in err, "compare refuses icount against the wall clock (exit 2)",
       (rc, err))
    rc, out, err = compare_cli(a, write("ic-2cpu", ic, 2, 1.0))
    ok(rc == 2 and "different CPU counts" in err, "compare refuses icount results from 1 and 2 CPUs", (rc, err))
    rc, out, err = compare_cli(a, write("ic-b", ic, 1, 1.0))
    ok(rc == 0 and "path length (guest instructions), not hardware time" in out and "emulation timings" not in out,
       "icount vs icount: the header says what a ns is, no TCG wall-clock warning", out[:600])
    rc, out, err = compare_cli(a, write("ic-slow", ic, 1, 1.06))
    ok(rc == 1 and "WORSE" in out, "icount: +6% in every run is a regression (exit 1)", (rc, out[-600:]))
    # results from before the clock was recorded ran on the wall clock
    old = json.load(open(a[0]))
    del old["system"]["virt"]["clock"]
    ok(bmresult.clock_of(old) == "wall" and bmresult.clock_of(json.load(open(a[0]))) == "icount shift 0",
       "clock_of: missing clock is the wall clock", bmresult.clock_of(old))


def test_markdown(tmp):
    a = side(tmp, "md-a", "6.1", [1.0] * 3, seed=7)
    b = side(tmp, "md-b", "6.12", [1.1] * 3, seed=8)
    rc, out, err = compare_cli(a, b, "--markdown")
    tables, cur = [], []
    for line in out.splitlines() + [""]:
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            tables.append(cur)
            cur = []
    good = bool(tables)
    for t in tables:
        cols = [len(re.findall(r"(?<!\\)\|", l)) for l in t]
        good &= len(set(cols)) == 1 and re.fullmatch(r"\|(---\|)+", t[1]) is not None
    ok(good, "Markdown: every table has a header, a --- separator and rows of equal width", out)
    ok("6.1" in out and "6.12" in out and "Test CPU" in out and "virt kvm" in out,
       "Markdown header names both kernels, the CPU and the virt type", out)


def promtool(text):
    if not shutil.which("promtool"):
        return None, "promtool not installed (Debian package prometheus)"
    r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def test_exports(tmp, real):
    a = side(tmp, "ex-a", "6.1", [1.0] * 2, seed=9)
    b = side(tmp, "ex-b", "6.12", [1.0], seed=10)
    exp = os.path.join(TOP, "compare", "export")
    r = subprocess.run([exp, "--format=lkp", a[0]], capture_output=True, text=True)
    lines = r.stdout.splitlines()
    ok(r.returncode == 0 and lines and all(re.fullmatch(r"[A-Za-z0-9_.+-]+: -?[0-9.e+-]+", l) for l in lines),
       "lkp export: one 'dotted.key: number' per line", r.stdout[:2000] + r.stderr)
    ok("fault.pud.populate_ns.median: " in r.stdout and "fault.pud.faults.pmd: 128" in r.stdout,
       "lkp export has fault.pud.populate_ns.median and the exact count fault.pud.faults.pmd", r.stdout[:2000])
    keys = [l.split(":")[0] for l in lines]
    ok(len(keys) == len(set(keys)), "lkp export: keys are unique within a result")
    r = subprocess.run([exp, "--format=openmetrics"] + a + b + real, capture_output=True, text=True)
    rc, diag = promtool(r.stdout)
    if rc is None:
        ok(False, "promtool check metrics accepts the OpenMetrics export", diag)
    else:
        ok(r.returncode == 0 and rc == 0, "promtool check metrics accepts the OpenMetrics export", diag + r.stderr)
    samples = [l.rsplit(" ", 1)[0] for l in r.stdout.splitlines() if l and not l.startswith("#")]
    ok(len(samples) == len(set(samples)), "OpenMetrics: no two samples share name and labels (two boots of 6.1)",
       [s for s in samples if samples.count(s) > 1][:5])
    ok(r.stdout.rstrip().endswith("# EOF") and all(
        re.search(r'bench="[^"]+",target="[^"]+",kernel="[^"]+",virt="[^"]+"', s) for s in samples),
       "OpenMetrics: every sample has bench, target, kernel, virt labels; ends with # EOF", r.stdout[:1500])
    rc, diag = promtool("bad_metric{a=\"1\" 2\n")
    ok(rc not in (None, 0), "promtool rejects a malformed exposition (the check can fail)", diag)


def test_plot(tmp, real):
    rng = random.Random(11)
    tlb = []
    for kern, slow in (("6.1", 1.3), ("6.12", 1.0)):
        r = run("pud", 1.0, rng, bench="tlb")
        r["points"] = [{"ws_bytes": ws, "nodes": ws // 4096, "accesses": 100000, "counters": None,
                        "ns_per_access": summary([(2 + (0 if ws < 6 << 20 else 40 * slow)) * (1 + rng.gauss(0, .02))
                                                  for _ in range(5)])}
                       for ws in (1 << s for s in range(12, 31))]
        r2 = copy.deepcopy(r)
        r2["target"] = "anon4k"
        for p in r2["points"]:
            p["ns_per_access"] = summary([v * 1.5 for v in p["ns_per_access"]["values"]])
        doc = result(kern, [r, r2], extra={"tlb": {"stlb_entries": 1536, "stlb_reach_bytes": 6 << 20}})
        tlb.append(os.path.join(tmp, "tlb-%s.json" % kern))
        json.dump(doc, open(tlb[-1], "w"))
    out = os.path.join(tmp, "plots")
    r = subprocess.run([os.path.join(TOP, "plot", "plot"), "-o", out] + tlb + side(tmp, "pl", "6.12", [1, 1], 12),
                       capture_output=True, text=True)
    made = [l.split("plot: ", 1)[1] for l in r.stdout.splitlines() if l.startswith("plot: ")]
    ok(r.returncode == 0 and any("sweep-tlb-ns_per_access.svg" in m for m in made),
       "plot draws a sweep (ns/access vs working set) from synthetic tlb results", r.stdout + r.stderr)
    ok(made and all(os.path.getsize(m) > 1000 for m in made) and
       all(open(m, "rb").read(8).startswith(b"\x89PNG") for m in made if m.endswith(".png")),
       "every figure file is non-empty, PNGs are PNGs", made)
    gp = open(os.path.join(out, "sweep-tlb-ns_per_access.gp")).read()
    ok("stlb reach bytes" in gp, "the sweep marks system.tlb's STLB reach", gp[-800:])
    if real:
        out = os.path.join(tmp, "plots-real")
        r = subprocess.run([os.path.join(TOP, "plot", "plot"), "-o", out] + real, capture_output=True, text=True)
        names = sorted(os.path.basename(l.split("plot: ", 1)[1]) for l in r.stdout.splitlines() if l.startswith("plot: "))
        ok(r.returncode == 0 and any(n.startswith("cdf-") for n in names) and any(n.startswith("phases-") for n in names),
           "plot makes CDF and phase figures (SVG and PNG) from the sample results", r.stdout + r.stderr)
    bad = os.path.join(tmp, "bad.json")
    open(bad, "w").write("{\"schema\": \"other\"}")
    r = subprocess.run([os.path.join(TOP, "plot", "plot"), "-o", out, bad], capture_output=True, text=True)
    ok(r.returncode != 0 and "not a bench_mmio/1 result" in r.stderr, "plot refuses a file that is not a result",
       r.stderr)


def test_real(real):
    if len(real) < 2:
        return
    rc, out, err = compare_cli(real[:1], real[1:2])
    ok(rc in (0, 1) and ("COUNTS CHANGED" in out or "counts:" in out),
       "compare runs on the sample results (exit 0 or 1, not an input error)", out + err)


def main():
    real = [os.path.abspath(p) for p in sys.argv[1:]]
    tmp = tempfile.mkdtemp(prefix="test_compare.")
    try:
        test_stats(tmp)
        test_ci(tmp)
        test_matching(tmp)
        test_clock(tmp)
        test_markdown(tmp)
        test_exports(tmp, real)
        test_plot(tmp, real)
        test_real(real)
    finally:
        if os.environ.get("TEST_COMPARE_KEEP"):
            print("# kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % N["n"])
    print("%d passed, %d failed" % (N["pass"], N["fail"]))
    sys.exit(1 if N["fail"] else 0)


if __name__ == "__main__":
    main()
