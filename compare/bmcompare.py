# SPDX-License-Identifier: GPL-2.0
"""The comparison of two sets of bench_mmio results (A: before, B: after).

The unit of replication is the RUN (one result file = one boot): each run
gives one value per metric, its median over repetitions, and the tests
compare those per-run values.  Repetitions of one boot share its page
allocation, caches and host noise; between boots per-fault p50 moves 2.6-3.6%
under TCG against ~1% within one, so a p-value from repetitions would claim a
precision the next boot does not have.  With one run on a side there is
nothing else: the tests then use the repetitions and the output says that
their p-values are optimistic.

Per metric: Welch's t-test (means, unequal variances) and Mann-Whitney U
(ranks: heavy tails, first-repetition outliers).  A change is significant
when Welch's p < alpha and Mann-Whitney agrees, or Mann-Whitney cannot reach
alpha with so few values (3 vs 3 runs: its smallest p is 0.1).  With five or
more runs a side, a bootstrap 95% CI of the change of the median is given.
Counts are compared exactly and listed first.  Latency histograms are
compared as distributions (Wasserstein-1 distance, Kolmogorov-Smirnov D),
descriptively: the faults of one boot are not independent replicates, so
they get no p-value.
"""
import math

import numpy as np
from scipy import stats as st

import bmresult as R

ALPHA = 0.05
BOOT_MIN_RUNS = 5


def mw_min_p(n, m):
    """The smallest two-sided Mann-Whitney p-value n vs m values can give."""
    if n < 1 or m < 1:
        return 1.0
    return float(st.mannwhitneyu(np.arange(n), np.arange(n, n + m), alternative="two-sided").pvalue)


def summarise(x, seed=1):
    """n, median, mean and ci95: the percentile bootstrap 95% CI of the mean.

    The method of the result files' metric ci95 (bench/stats.h, ci95_method
    percentile_bootstrap_mean: 3999 resamples), here with scipy's
    bootstrap: a resample's mean lies between the smallest and the largest
    value, so the interval never leaves [min, max] and is never negative
    for a positive metric, where mean -+ t * sem was (2503, 39, 42, 42,
    50 ms: [-830, 1901]).  Fixed seed, sorted values: the same values, in
    any order, give the same interval.
    """
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    out = {"n": n, "median": float(np.median(x)) if n else None,
           "mean": float(np.mean(x)) if n else None, "ci95": None,
           "ci95_method": "percentile_bootstrap_mean"}
    if n >= 2:
        if np.ptp(x) > 0:
            bs = st.bootstrap((x,), np.mean, vectorized=True, n_resamples=3999,
                              method="percentile", random_state=seed)
            lo, hi = bs.confidence_interval.low, bs.confidence_interval.high
            out["ci95"] = (float(max(lo, x.min())), float(min(hi, x.max())))
        else:
            out["ci95"] = (out["mean"], out["mean"])
    return out


def _vals(runs, name, level):
    """Per-run medians (level 'runs') or every repetition (level 'reps')."""
    out = []
    for run in runs:
        m = R.metrics(run).get(name)
        if not m:
            continue
        if level == "runs":
            if m.get("median") is not None:
                out.append(float(m["median"]))
        else:
            out += [float(v) for v in (m.get("values") or []) if v is not None]
    return out


def test_metric(a, b, better, alpha=ALPHA, seed=1):
    """Statistics of one metric from the A and B values."""
    sa, sb = summarise(a), summarise(b)
    res = {"a": sa, "b": sb, "change_pct": None, "p_welch": None, "p_mw": None,
           "mw_min_p": mw_min_p(len(a), len(b)), "boot_ci_pct": None,
           "significant": False, "direction": None}
    if not a or not b:
        return res
    ma, mb = sa["median"], sb["median"]
    if ma:
        res["change_pct"] = (mb - ma) / abs(ma) * 100.0
    if len(a) >= 2 and len(b) >= 2:
        if np.ptp(a) == 0 and np.ptp(b) == 0:
            res["p_welch"] = 1.0 if ma == mb else 0.0
        else:
            res["p_welch"] = float(st.ttest_ind(a, b, equal_var=False).pvalue)
        res["p_mw"] = float(st.mannwhitneyu(a, b, alternative="two-sided").pvalue)
    # The change of the median bootstrapped as log(median(b) / median(a)),
    # reported as 100 * (exp(.) - 1): a ratio of positive medians, so the
    # interval is always above -100% (the linear (median(b) - median(a)) /
    # median(a) was not: -97.8% [-110.6, -77.3]).  Only when every value of
    # both sides is positive: a resampled median of 0 or below has no log.
    pos = min(a) > 0 and min(b) > 0
    if len(a) >= BOOT_MIN_RUNS and len(b) >= BOOT_MIN_RUNS and pos:
        def lratio(x, y, axis=-1):
            return np.log(np.median(y, axis=axis) / np.median(x, axis=axis))
        bs = st.bootstrap((np.asarray(a, dtype=float), np.asarray(b, dtype=float)), lratio,
                          vectorized=True, paired=False, n_resamples=2000, method="percentile",
                          random_state=seed)
        lo, hi = bs.confidence_interval.low, bs.confidence_interval.high
        if np.isfinite(lo) and np.isfinite(hi):
            res["boot_ci_pct"] = (float(100.0 * math.expm1(lo)), float(100.0 * math.expm1(hi)))
    pw, pm = res["p_welch"], res["p_mw"]
    if pw is not None and not math.isnan(pw):
        res["significant"] = pw < alpha and (pm < alpha or res["mw_min_p"] >= alpha)
    if res["change_pct"]:
        up = res["change_pct"] > 0
        res["direction"] = "worse" if up == (better == "lower") else "better"
    return res


def compare_hist(ha, hb):
    """Distribution distance of two merged histograms (descriptive)."""
    mid = lambda h: np.array([(lo + hi) / 2 for lo, hi, _ in h])
    w = lambda h: np.array([c for _, _, c in h], dtype=float)
    if not ha or not hb or not w(ha).sum() or not w(hb).sum():
        return None
    w1 = float(st.wasserstein_distance(mid(ha), mid(hb), w(ha), w(hb)))
    edges = np.unique([e for lo, hi, _ in ha + hb for e in (lo, hi)])
    def cdf(h):
        c = np.zeros(len(edges))
        for lo, hi, n in h:
            c[np.searchsorted(edges, hi):] += n
        return c / c[-1]
    ks = float(np.max(np.abs(cdf(ha) - cdf(hb))))
    q = lambda h: {p: R.hist_quantile(h, p / 100.0) for p in (50, 90, 99)}
    return {"w1_ns": w1, "ks_d": ks, "a": q(ha), "b": q(hb),
            "n_a": int(w(ha).sum()), "n_b": int(w(hb).sum()),
            "mean_a": R.hist_mean(ha), "mean_b": R.hist_mean(hb)}


def side_info(docs):
    ds = [R.describe(d) for d in docs]
    pick = lambda k: sorted({d[k] for d in ds})
    return {"runs": len(docs), "kernel": pick("kernel"), "cpu": pick("cpu"),
            "virt": pick("virt"), "clock": pick("clock"), "cpus": pick("cpus"), "suite": pick("suite"), "host": pick("host"),
            "files": [d.get("_path") for d in docs]}


def compare(docs_a, docs_b, threshold=5.0, alpha=ALPHA, ignore=()):
    """The whole comparison as a dict (render with text() or markdown())."""
    ra, rb = {}, {}
    for docs, side in ((docs_a, ra), (docs_b, rb)):
        for d in docs:
            for k, run in R.ok_runs(d, ignore):
                side.setdefault(k, []).append(run)
    keys = list(ra) + [k for k in rb if k not in ra]
    common = [k for k in keys if k in ra and k in rb]
    diff = R.differing_params(keys)
    out = {"a": side_info(docs_a), "b": side_info(docs_b), "threshold": threshold, "ignored_params": list(ignore),
           "alpha": alpha, "counts": [], "metrics": [], "dists": [], "warnings": [],
           "only_a": [R.key_str(k, diff[k]) for k in ra if k not in rb],
           "only_b": [R.key_str(k, diff[k]) for k in rb if k not in ra]}
    clocks = set(out["a"]["clock"]) | set(out["b"]["clock"])
    if len(clocks) > 1:
        raise R.ResultError("refusing to compare results made with different guest clocks (%s vs %s): "
                            "an icount ns is a count of guest instructions, a wall ns is time"
                            % (", ".join(out["a"]["clock"]), ", ".join(out["b"]["clock"])))
    out["icount"] = next(iter(clocks)).startswith("icount")
    cpus = set(out["a"]["cpus"]) | set(out["b"]["cpus"])
    if out["icount"] and len(cpus) > 1:
        raise R.ResultError("refusing to compare icount results from guests with different CPU counts "
                            "(%s vs %s): a 1-CPU kernel runs other code (SMP alternatives patched out)"
                            % (", ".join(out["a"]["cpus"]), ", ".join(out["b"]["cpus"])))
    for side, info in (("A", out["a"]), ("B", out["b"])):
        if out["icount"]:
            continue
        if "tcg" in info["virt"]:
            out["warnings"].append("side %s ran under QEMU TCG: its timings are emulation timings "
                                   "(counts are right); cite timings from bare metal or KVM" % side)
    if len(set(out["a"]["cpu"]) | set(out["b"]["cpu"])) > 1:
        out["warnings"].append("the sides ran on different CPUs: %s vs %s"
                               % (", ".join(out["a"]["cpu"]), ", ".join(out["b"]["cpu"])))
    if len(set(out["a"]["suite"]) | set(out["b"]["suite"])) > 1:
        out["warnings"].append("the sides ran different suite versions: %s vs %s"
                               % (", ".join(out["a"]["suite"]), ", ".join(out["b"]["suite"])))
    low_n = False
    for k in common:
        name = R.key_str(k, diff[k])
        runs_a, runs_b = ra[k], rb[k]
        level = "runs" if len(runs_a) >= 2 and len(runs_b) >= 2 else "reps"
        low_n |= level == "reps"
        ca, cb = {}, {}
        for r in runs_a:
            for c, v in R.counts(r).items():
                ca.setdefault(c, set()).update(v)
        for r in runs_b:
            for c, v in R.counts(r).items():
                cb.setdefault(c, set()).update(v)
        for c in sorted(set(ca) | set(cb)):
            va, vb = sorted(ca.get(c, ())), sorted(cb.get(c, ()))
            out["counts"].append({"key": name, "count": c, "a": va, "b": vb, "changed": va != vb})
        ma = {}
        for r in runs_a + runs_b:
            for mn, m in R.metrics(r).items():
                ma.setdefault(mn, m)
        for mn, m in ma.items():
            if R.is_count(m):
                continue
            a, b = _vals(runs_a, mn, level), _vals(runs_b, mn, level)
            res = test_metric(a, b, m.get("better", "lower"), alpha)
            res.update({"key": name, "metric": mn, "unit": m.get("unit", ""),
                        "better": m.get("better", "lower"), "level": level,
                        "runs_a": len(runs_a), "runs_b": len(runs_b)})
            res["regression"] = bool(res["significant"] and res["direction"] == "worse"
                                     and abs(res["change_pct"]) > threshold)
            out["metrics"].append(res)
        ha, hb = {}, {}
        for r in runs_a:
            for hn, h in R.histograms(r).items():
                ha.setdefault(hn, []).append(h)
        for r in runs_b:
            for hn, h in R.histograms(r).items():
                hb.setdefault(hn, []).append(h)
        for hn in sorted(set(ha) & set(hb)):
            d = compare_hist(R.merge_hist(ha[hn]), R.merge_hist(hb[hn]))
            if d:
                d.update({"key": name, "hist": hn})
                out["dists"].append(d)
    few = min([len(v) for v in ra.values()] + [len(v) for v in rb.values()] or [0])
    if few >= 2 and mw_min_p(few, few) >= alpha:
        out["warnings"].append("only %d runs on a side: Mann-Whitney cannot confirm (its smallest p is %.3f) "
                               "and Welch's test alone decides; %d or more runs a side are recommended"
                               % (few, mw_min_p(few, few), BOOT_MIN_RUNS))
    if low_n:
        out["warnings"].append("a side has one run: its p-values come from repetitions within one "
                               "boot and are optimistic (between-boot variance is not seen); "
                               "run each side several times (make compare-kernels ROUNDS=N)")
    n_tests = len(out["metrics"])
    if n_tests:
        out["notes"] = ["%d metrics tested at alpha=%g: about %.1f would be marked by chance "
                        "alone if nothing changed" % (n_tests, alpha, n_tests * alpha)]
    out["regressions"] = [m for m in out["metrics"] if m["regression"]]
    out["counts_changed"] = [c for c in out["counts"] if c["changed"]]
    changed = sorted({c["key"] for c in out["counts_changed"]})
    if changed:
        out["warnings"].insert(0, "counts changed in %s: A and B did different work there, so its "
                               "per-fault timings compare different faults" % ", ".join(changed))
    return out


# ---- rendering ------------------------------------------------------------

def _cnt(v):
    return "/".join(str(x) for x in v) if v else "-"


def _pct(x):
    return "n/a" if x is None else "%+.1f%%" % x


def _p(p):
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "-"
    return "<0.001" if p < 0.001 else "%.3f" % p


def _side_cell(s, unit):
    if s["median"] is None:
        return "n/a"
    ci = s["ci95"]
    # the interval's ends: a bootstrap CI is asymmetric, and "mean ± half
    # its width" would reach below 0 where the interval never does
    pm = "" if not ci else " [%s, %s]" % (R.fmt_num(ci[0], unit), R.fmt_num(ci[1], unit))
    return "%s (mean %s%s, n=%d)" % (R.fmt_num(s["median"], unit), R.fmt_num(s["mean"], unit), pm, s["n"])


def verdict(m):
    if m["direction"] is None or not m["significant"]:
        return "~"
    v = m["direction"]
    if m["regression"]:
        v = "WORSE"
    return v + ("" if m["level"] == "runs" else " (reps)")


def _rows(cmp):
    rows = []
    for m in cmp["metrics"]:
        ch = _pct(m["change_pct"])
        if m["boot_ci_pct"]:
            ch += " [%+.1f, %+.1f]" % m["boot_ci_pct"]
        rows.append([m["key"], m["metric"], _side_cell(m["a"], m["unit"]), _side_cell(m["b"], m["unit"]),
                     ch, _p(m["p_welch"]), _p(m["p_mw"]), verdict(m)])
    return rows


HEAD = ["run", "metric", "A median (mean [95% CI], n)", "B median (mean [95% CI], n)",
        "change", "p Welch", "p MW", "verdict"]


def _header_lines(cmp):
    lines = []
    for side in ("a", "b"):
        s = cmp[side]
        lines.append("%s: %s; %s; virt %s; clock %s; %s CPU(s); suite %s; %d run(s)" % (
            side.upper(), ", ".join(s["kernel"]), ", ".join(s["cpu"]), ", ".join(s["virt"]),
            ", ".join(s["clock"]), ", ".join(s["cpus"]), ", ".join(s["suite"]), s["runs"]))
    if cmp.get("icount"):
        lines.append("clock: QEMU icount (%s): every ns below is a path length (guest instructions), "
                     "not hardware time; exact between boots, blind to caches and TLBs"
                     % cmp["a"]["clock"][0])
    return lines


def _legend(cmp):
    return ("median of per-run medians; mean [95%% CI] over runs (percentile bootstrap of the "
            "mean, 3999 resamples, fixed seed: within the values' range, never below 0 for a "
            "positive metric, and as asymmetric as they are); change of the median, [bootstrap 95%% CI of the ratio of medians, "
            "in log space: always above -100%%] with >= %d runs a side, positive values only; "
            "verdict: better/worse when Welch p < %g "
            "(and Mann-Whitney agrees where it can), WORSE when also > %g%% worse (fails the "
            "gate), ~ no significant change; (reps): from repetitions of one boot, optimistic"
            % (BOOT_MIN_RUNS, cmp["alpha"], cmp["threshold"]))


def _dist_rows(cmp):
    rows = []
    for d in cmp["dists"]:
        q = lambda s: "/".join(R.fmt_num(d[s][p], "ns") for p in (50, 90, 99))
        rows.append([d["key"], d["hist"], q("a"), q("b"), R.fmt_num(d["w1_ns"], "ns"),
                     "%.3f" % d["ks_d"], "%d / %d" % (d["n_a"], d["n_b"])])
    return rows


DIST_HEAD = ["run", "histogram", "A p50/p90/p99", "B p50/p90/p99", "W1 distance", "KS D", "samples A / B"]


def _table_text(head, rows):
    w = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    fmt = lambda r: "  ".join(str(c).ljust(w[i]) for i, c in enumerate(r)).rstrip()
    return [fmt(head), fmt(["-" * x for x in w])] + [fmt(r) for r in rows]


def text(cmp):
    L = ["bench_mmio comparison: A -> B"] + _header_lines(cmp)
    L += ["WARNING: " + w for w in cmp["warnings"]]
    L.append("")
    ch = cmp["counts_changed"]
    if ch:
        L.append("COUNTS CHANGED (exact, whatever the timings say):")
        L += _table_text(["run", "count", "A", "B"], [[c["key"], c["count"], _cnt(c["a"]), _cnt(c["b"])] for c in ch])
    else:
        L.append("counts: %d compared, all identical" % len(cmp["counts"]))
    L.append("")
    if cmp["metrics"]:
        L += _table_text(HEAD, _rows(cmp))
        L += ["", _legend(cmp)] + cmp.get("notes", [])
    if cmp["dists"]:
        L += ["", "Latency distributions (histograms merged over runs; descriptive: the faults of "
              "one boot are not independent replicates, no p-value):"]
        L += _table_text(DIST_HEAD, _dist_rows(cmp))
    for side in ("a", "b"):
        if cmp["only_" + side]:
            L.append("only in %s: %s" % (side.upper(), ", ".join(cmp["only_" + side])))
    L.append("")
    L.append(_verdict_line(cmp))
    return "\n".join(L) + "\n"


def _verdict_line(cmp):
    r = cmp["regressions"]
    if r:
        return "RESULT: %d significant regression(s) over %g%%: %s" % (
            len(r), cmp["threshold"], ", ".join("%s %s %s" % (m["key"], m["metric"], _pct(m["change_pct"])) for m in r))
    return "RESULT: no significant regression over %g%%" % cmp["threshold"]


def _md_escape(s):
    return str(s).replace("|", "\\|")


def _table_md(head, rows):
    L = ["| " + " | ".join(_md_escape(h) for h in head) + " |",
         "|" + "|".join("---" for _ in head) + "|"]
    L += ["| " + " | ".join(_md_escape(c) for c in r) + " |" for r in rows]
    return L


def markdown(cmp):
    L = ["**bench_mmio: A → B**", ""]
    L += ["- " + l for l in _header_lines(cmp)]
    L += ["- **Warning:** " + w for w in cmp["warnings"]]
    L.append("")
    ch = cmp["counts_changed"]
    if ch:
        L += ["Counts that changed (exact):", ""]
        L += _table_md(["run", "count", "A", "B"], [[c["key"], "`%s`" % c["count"], _cnt(c["a"]), _cnt(c["b"])] for c in ch])
    else:
        L.append("Counts: %d compared, all identical." % len(cmp["counts"]))
    L.append("")
    if cmp["metrics"]:
        L += _table_md(HEAD, [[r[0], "`%s`" % r[1]] + r[2:] for r in _rows(cmp)])
        L += ["", "_" + _legend(cmp) + "._"]
        L += ["_" + n + "._" for n in cmp.get("notes", [])]
    if cmp["dists"]:
        L += ["", "Latency distributions (histograms merged over runs; descriptive, no p-value):", ""]
        L += _table_md(DIST_HEAD, _dist_rows(cmp))
    for side in ("a", "b"):
        if cmp["only_" + side]:
            L += ["", "Only in %s: %s" % (side.upper(), ", ".join(cmp["only_" + side]))]
    L += ["", "**" + _verdict_line(cmp) + "**"]
    return "\n".join(L) + "\n"
