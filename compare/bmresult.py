# SPDX-License-Identifier: GPL-2.0
"""Reading bench_mmio/1 results for compare/, plot/ and scripts/validate.

Everything is found by its key in the result, never from a list of benchmark
or target names: a run is identified by (bench, target, params), its metrics
are run.metrics (summaries over repetitions) plus, for benchmarks that sweep
a variable (run.points[]), each point's summaries named after the point's
scalar fields; its counts are the integer leaves of the run's count sections
and the metrics whose unit is "count".
"""
import json
import math
import os

# Sections of a run whose integer leaves are exact counts (schema keys).
COUNT_SECTIONS = ("faults", "fallbacks", "census")
# Params that say how often, not what, was measured: not part of a run's key.
NOT_IN_KEY = ("reps",)


class ResultError(Exception):
    pass


def load(path):
    try:
        with open(path) as fh:
            doc = json.load(fh)
    except (OSError, ValueError) as e:
        raise ResultError("cannot read %s: %s" % (path, e))
    if not isinstance(doc, dict) or doc.get("schema") != "bench_mmio/1":
        raise ResultError("%s is not a bench_mmio/1 result" % path)
    doc["_path"] = path
    return doc


def system_label(doc):
    s = doc.get("system", {})
    return "%s/%s" % (s.get("kernel", {}).get("release", "?"), s.get("virt", {}).get("type", "?"))


def clock_of(doc):
    """'wall', or 'icount shift N' (a ns is 2^N guest instructions); results
    from before the clock was recorded ran on the wall clock."""
    c = doc.get("system", {}).get("virt", {}).get("clock") or {}
    if c.get("name") == "icount":
        return "icount shift %s" % c.get("shift")
    return "wall"


def describe(doc):
    """The facts a reader needs beside a number, from one result."""
    s = doc.get("system", {})
    return {
        "kernel": s.get("kernel", {}).get("release", "?"),
        "cpu": s.get("cpu", {}).get("model_name", "?"),
        "virt": s.get("virt", {}).get("type", "?"),
        "clock": clock_of(doc),
        "cpus": str(s.get("cpus_online", "?")),
        "suite": doc.get("suite", {}).get("version", "?"),
        "host": s.get("hostname", "?"),
        "created": doc.get("created", "?"),
    }


def is_summary(x):
    return isinstance(x, dict) and "median" in x and not isinstance(x.get("median"), dict)


def _scalar(v):
    return isinstance(v, (int, float, str)) and not isinstance(v, bool)


def point_name(point):
    """A point's identity: its scalar fields, sorted ("accesses=…,ws_bytes=…")."""
    return ",".join("%s=%s" % (k, point[k]) for k in sorted(point) if _scalar(point[k]))


def run_key(run, ignore=()):
    params = {k: v for k, v in (run.get("params") or {}).items() if k not in NOT_IN_KEY and k not in ignore}
    return (run.get("bench", "?"), run.get("target", "?"),
            json.dumps(params, sort_keys=True, separators=(",", ":")))


def key_str(key, differing=None):
    """bench.target, with the params that tell runs of one bench.target apart."""
    bench, target, params = key
    s = "%s.%s" % (bench, target)
    if differing:
        p = json.loads(params)
        s += "[%s]" % ",".join("%s=%s" % (k, p.get(k)) for k in differing)
    return s


def differing_params(keys):
    """For each key, the params that differ among keys of the same bench.target."""
    out = {}
    groups = {}
    for k in keys:
        groups.setdefault(k[:2], []).append(k)
    for ks in groups.values():
        ps = [json.loads(k[2]) for k in ks]
        names = sorted({n for p in ps for n in p})
        diff = [n for n in names if len({json.dumps(p.get(n)) for p in ps}) > 1]
        for k in ks:
            out[k] = diff
    return out


def metrics(run):
    """{name: summary} of a run: run.metrics and each point's summaries."""
    out = {}
    for name, m in (run.get("metrics") or {}).items():
        if is_summary(m):
            out[name] = m
    for p in run.get("points") or []:
        pn = point_name(p)
        for name, m in p.items():
            if is_summary(m):
                out["%s[%s]" % (name, pn)] = m
    return out


def is_count(summary):
    return summary.get("unit") == "count"


def _int_leaves(prefix, x, out):
    if isinstance(x, dict):
        for k, v in x.items():
            _int_leaves("%s.%s" % (prefix, k) if prefix else str(k), v, out)
    elif isinstance(x, list):
        for i, v in enumerate(x):
            _int_leaves("%s.%d" % (prefix, i), v, out)
    elif isinstance(x, int) and not isinstance(x, bool):
        out[prefix] = x


def counts(run):
    """{name: sorted distinct values} of a run's exact counts."""
    out = {}
    for sec in COUNT_SECTIONS:
        if sec in run and run[sec] is not None:
            leaves = {}
            _int_leaves(sec, run[sec], leaves)
            for k, v in leaves.items():
                out.setdefault(k, set()).add(v)
    # Per-repetition counts, when they are not identical.
    for rep in run.get("faults_per_rep") or []:
        leaves = {}
        _int_leaves("faults", rep, leaves)
        for k, v in leaves.items():
            out.setdefault(k, set()).add(v)
    for name, m in metrics(run).items():
        if is_count(m):
            vals = {int(v) if float(v).is_integer() else v for v in (m.get("values") or []) if v is not None}
            if vals:
                out[name] = out.get(name, set()) | vals
    return out


def histograms(run):
    """{name: [(lo, hi, count), ...]} of a run's latency histograms."""
    out = {}
    for name, h in (run.get("latency_histograms") or {}).items():
        if isinstance(h, dict) and h.get("buckets"):
            out[name] = [(float(lo), float(hi), int(c)) for lo, hi, c in h["buckets"]]
    return out


def merge_hist(hists):
    acc = {}
    for h in hists:
        for lo, hi, c in h:
            acc[(lo, hi)] = acc.get((lo, hi), 0) + c
    return sorted((lo, hi, c) for (lo, hi), c in acc.items())


def hist_quantile(h, q):
    total = sum(c for _, _, c in h)
    if not total:
        return None
    want = q * total
    seen = 0
    for lo, hi, c in h:
        if seen + c >= want:
            return lo + (hi - lo) * ((want - seen) / c if c else 0)
        seen += c
    return h[-1][1]


def hist_mean(h):
    total = sum(c for _, _, c in h)
    return sum((lo + hi) / 2 * c for lo, hi, c in h) / total if total else None


def ok_runs(doc, ignore=()):
    """(key, run) of the runs that completed, with a #N suffix on repeated keys."""
    seen = {}
    out = []
    for run in doc.get("runs", []):
        if run.get("status") != "ok":
            continue
        k = run_key(run, ignore)
        seen[k] = seen.get(k, 0) + 1
        if seen[k] > 1:
            k = (k[0], "%s#%d" % (k[1], seen[k]), k[2])
        out.append((k, run))
    return out


def fmt_num(x, unit=""):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    a = abs(x)
    if unit == "ns":
        for div, u in ((1e9, "s"), (1e6, "ms"), (1e3, "us")):
            if a >= div:
                return "%.4g %s" % (x / div, u)
        return "%.4g ns" % x
    if isinstance(x, int) or float(x).is_integer():
        return "%d" % x
    return "%.4g" % x


def files_of(args):
    """Expand directories into their *.json results, keep files as given."""
    out = []
    for a in args:
        if os.path.isdir(a):
            out += sorted(os.path.join(a, f) for f in os.listdir(a) if f.endswith(".json"))
        else:
            out.append(a)
    return out
