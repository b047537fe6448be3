#!/usr/bin/env python3
"""Prints the PyTorch checks' stage accuracies beside the Swift labs' (tools/torch_<lab>.py).

    python3 tools/compare_torch.py                              # every lab with a PyTorch JSON, against reports/
    python3 tools/compare_torch.py vgg-slimming resnet-slimming
    python3 tools/compare_torch.py vgg-slimming --swift /tmp/smoke-vgg --torch /tmp/torch-smoke

--swift and --torch each take one or more JSON files or folders (a folder is searched for
<lab>.json and reports/<lab>.json, so a lab's --output-dir works as it is). Several runs of one
lab on a side (seeds, or a merged study's `runs`) are shown as mean ± std (n). Defaults:
--swift <package>/reports, --torch tools/torch-reports. Needs only the standard library.

For each lab: the stage accuracies (full test set, %) side by side with PyTorch − Swift, then
the structure both sides should agree on exactly when the recipes match (parameters and MACs
of each model, and for the pruned ones the widths the method chose), the slimming threshold
and separation, the scratch-B budget, and (filter-pruning) the sensitivity curves.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABS = ("vgg-slimming", "resnet-slimming", "densenet-slimming", "filter-pruning", "weight-pruning", "rethinking")


# ---------------------------------------------------------------- reading

def lab_of(path: str, document: dict) -> str | None:
    """Which lab a JSON belongs to: the PyTorch JSON says so; a lab's report names its
    executable in run.command; else the file name."""
    if "lab" in document:
        return document["lab"]
    command = (document.get("run") or {}).get("command", "")
    for lab in LABS:
        if f"lab-{lab}" in command:
            return lab
    stem = os.path.splitext(os.path.basename(path))[0]
    return stem if stem in LABS else None


def runs_in(document: dict) -> list[dict]:
    """The single runs a JSON holds: itself, or a merged study's `runs`."""
    return document["runs"] if isinstance(document.get("runs"), list) else [document]


def load_side(paths: list[str], lab: str) -> tuple[list[str], list[dict]]:
    """(files read, runs) for `lab` from files or folders."""
    files, runs = [], []
    for path in paths:
        candidates = ([os.path.join(path, f"{lab}.json"), os.path.join(path, "reports", f"{lab}.json")]
                      if os.path.isdir(path) else [path])
        for candidate in candidates:
            if not os.path.isfile(candidate):
                continue
            with open(candidate) as f:
                document = json.load(f)
            if lab_of(candidate, document) == lab:
                files.append(candidate)
                runs += runs_in(document)
                break
    return files, runs


# ---------------------------------------------------------------- values

def number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def collect(runs: list[dict], get) -> list[float]:
    values = []
    for run in runs:
        try:
            value = number(get(run))
        except (KeyError, TypeError, IndexError):
            value = None
        if value is not None and math.isfinite(value):
            values.append(value)
    return values


def summary(values: list[float]) -> tuple[float, float] | None:
    if not values:
        return None
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def show(values: list[float], scale: float = 1, decimals: int = 2) -> str:
    if not values:
        return "—"
    mean, std = summary(values)
    text = f"{mean * scale:.{decimals}f}"
    return text + (f" ± {std * scale:.{decimals}f} ({len(values)})" if len(values) > 1 else "")


def show_plain(values: list[float]) -> str:
    """Integers as integers, small numbers in %g; several runs as their mean."""
    if not values:
        return "—"
    mean = statistics.fmean(values)
    text = f"{mean:.0f}" if all(v == int(v) for v in values) and abs(mean) >= 1 else f"{mean:.4g}"
    return text + (f" (mean of {len(values)})" if len(values) > 1 and len(set(values)) > 1 else "")


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [headers] + rows) for i in range(len(headers))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
             for r in [headers] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths).rstrip())
    return "\n".join(lines)


# ---------------------------------------------------------------- one lab

def describe(files: list[str], runs: list[dict]) -> str:
    first = runs[0]
    run = first.get("run") or {}
    data = first.get("data") or {}
    seeds = sorted({r.get("run", {}).get("seed") for r in runs if r.get("run", {}).get("seed") is not None})
    where = ", ".join(f if os.path.relpath(f).startswith("..") else os.path.relpath(f) for f in files)
    details = [f"preset {run.get('preset', '?')}", f"seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds)) or '?'}",
               f"{data.get('train_samples', '?')} training images"]
    if "git_commit" in run:
        details.append(f"commit {run['git_commit']}")
    if "torch" in run:
        details.append(f"torch {run['torch']}, {run.get('threads', '?')} thread(s)")
    if "wall_seconds" in run:
        details.append(f"{run['wall_seconds']:.0f} s")
    return f"{where} — " + ", ".join(details)


def accuracy_keys(swift: list[dict], torch: list[dict]) -> list[str]:
    """Stages in the lab's order, then any only one side has."""
    keys: list[str] = []
    for run in swift + torch:
        for key in run.get("accuracy_order") or sorted(k for k in run if k.startswith("accuracy.")):
            if key not in keys:
                keys.append(key)
    return keys


def compare_lab(lab: str, swift_files, swift: list[dict], torch_files, torch: list[dict]) -> None:
    print(f"== {lab} ==")
    print(f"Swift:   {describe(swift_files, swift)}")
    print(f"PyTorch: {describe(torch_files, torch)}")
    recipes = {(r.get("run") or {}).get("preset") for r in swift + torch}
    if len(recipes) > 1:
        print(f"NOTE: the two sides ran different presets ({', '.join(sorted(map(str, recipes)))}): "
              "the numbers are not comparable.")
    print()

    rows, flagged = [], False
    for key in accuracy_keys(swift, torch):
        s, t = collect(swift, lambda r: r[key]), collect(torch, lambda r: r[key])
        rows.append(stage_row(key.removeprefix("accuracy."), s, t))
        flagged |= rows[-1][-1] != ""
    for key in sorted({k for r in swift + torch for k in r if k.startswith("convergence.")}):
        s = collect(swift, lambda r: r[key]["doubled_accuracy"])
        t = collect(torch, lambda r: r[key]["doubled_accuracy"])
        rows.append(stage_row(f"{key.removeprefix('convergence.')} (2× epochs)", s, t))
        flagged |= rows[-1][-1] != ""
    print(table(["stage (test accuracy %)", "Swift", "PyTorch", "PyTorch − Swift", ""], rows))
    if flagged:
        print("  ! = the difference exceeds 2 points for single runs, or twice the seeds' combined spread.")
    print()

    structure = structure_rows(swift, torch)
    if structure:
        print(table(["structure (same recipe: same numbers)", "Swift", "PyTorch"], structure))
        print()
    sensitivity = sensitivity_rows(swift, torch)
    if sensitivity:
        print(table(["sensitivity: accuracy % (Swift / PyTorch)"] + [f"{f / 10:.1f}" for f in range(1, 10)], sensitivity))
        print()


def stage_row(label: str, s: list[float], t: list[float]) -> list[str]:
    difference, mark = "—", ""
    if s and t:
        (ms, ss), (mt, st) = summary(s), summary(t)
        difference = f"{100 * (mt - ms):+.2f}"
        spread = math.hypot(ss, st)
        limit = 2 * spread if (len(s) > 1 or len(t) > 1) and spread > 0 else 0.02
        mark = "!" if abs(mt - ms) > limit else ""
    return [label, show(s, 100), show(t, 100), difference, mark]


def structure_rows(swift: list[dict], torch: list[dict]) -> list[list[str]]:
    rows = []
    names = []
    for run in swift + torch:
        for key in run:
            if key.startswith("models.") and key not in names:
                names.append(key)
    for key in names:
        for field in ("parameters", "macs"):
            s = collect(swift, lambda r: r[key][field])
            t = collect(torch, lambda r: r[key][field])
            rows.append([f"{key.removeprefix('models.')}: {field}", show_plain(s), show_plain(t)])
    for key, label in (("threshold", "slimming threshold |γ|"), ("separation", "separation (threshold / median kept |γ|)"),
                       ("scratch_b_epochs", "scratch-B epochs"), ("scratch_b_uncapped_epochs", "scratch-B epochs, uncapped")):
        s, t = collect(swift, lambda r: r[key]), collect(torch, lambda r: r[key])
        if s or t:
            rows.append([label, show_plain(s), show_plain(t)])
    s = collect(swift, lambda r: r["data"]["train_samples"])
    t = collect(torch, lambda r: r["data"]["train_samples"])
    rows.append(["training images", show_plain(s), show_plain(t)])
    return rows


def sensitivity_rows(swift: list[dict], torch: list[dict]) -> list[list[str]]:
    """Per conv, the accuracy at each fraction removed, Swift / PyTorch (means over runs)."""
    def curves(runs):
        table_ = {}
        for run in runs:
            for point in run.get("sensitivity") or []:
                key = (point["group"], round(float(point["fraction"]) * 10))
                table_.setdefault(key, []).append(float(point["accuracy"]))
        return table_

    s, t = curves(swift), curves(torch)
    if not s or not t:
        return []
    groups = sorted({g for g, _ in s} | {g for g, _ in t})
    rows = []
    for group in groups:
        cells = []
        for tenth in range(1, 10):
            a, b = s.get((group, tenth)), t.get((group, tenth))
            cells.append(f"{100 * statistics.fmean(a):.0f}/{100 * statistics.fmean(b):.0f}" if a and b else "—")
        rows.append([group] + cells)
    return rows


def main():
    parser = argparse.ArgumentParser(description="PyTorch checks beside the Swift labs' reports.")
    parser.add_argument("labs", nargs="*", metavar="LAB",
                        help=f"labs to compare ({', '.join(LABS)}; default: every lab with a PyTorch JSON)")
    parser.add_argument("--swift", nargs="+", default=[os.path.join(ROOT, "reports")],
                        help="lab JSONs or folders (default: reports/)")
    parser.add_argument("--torch", nargs="+", default=[os.path.join(ROOT, "tools", "torch-reports")],
                        help="PyTorch JSONs or folders (default: tools/torch-reports/)")
    args = parser.parse_args()
    for lab in args.labs:
        if lab not in LABS:
            parser.error(f"unknown lab {lab}; the labs are {', '.join(LABS)}")

    compared = 0
    for lab in args.labs or LABS:
        torch_files, torch = load_side(args.torch, lab)
        swift_files, swift = load_side(args.swift, lab)
        if not torch:
            if args.labs:
                print(f"== {lab} ==\nno PyTorch JSON for {lab} in {', '.join(args.torch)}: run "
                      f"python3 tools/torch_{lab.replace('-', '_')}.py first.\n")
            continue
        if not swift:
            print(f"== {lab} ==\nno lab JSON for {lab} in {', '.join(args.swift)}.\n")
            continue
        compare_lab(lab, swift_files, swift, torch_files, torch)
        compared += 1
    if compared == 0 and not args.labs:
        print(f"No PyTorch JSON found in {', '.join(args.torch)}; run tools/torch_<lab>.py first.")


if __name__ == "__main__":
    main()
