#!/usr/bin/env python3
"""Writes the README's results table from the committed reports/*.json, so the README
claims only what the reports measured. `--check` exits 1 when the README is out of date.

    python3 scripts/readme_results.py          # rewrite the table between the markers
    python3 scripts/readme_results.py --check  # the test suite runs this
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
START, END = "<!-- results:start (scripts/readme_results.py) -->", "<!-- results:end -->"

# lab, its baselines (accuracy key, label), its pruned networks (accuracy key, label, and the
# substrings naming the pruned and the baseline model in the report's model table)
LABS = [
    ("weight-pruning", [("baseline", "MLP 784-200-200-10")],
     [("neurons_finetuned", "[50, 100, 10] fine-tuned", ("pruned", "baseline"))]),
    ("filter-pruning", [("baseline", "SmallCNN [32, 64, 64]")],
     [("finetuned", "[8, 16, 32] fine-tuned", ("pruned", "baseline"))]),
    ("vgg-slimming", [("baseline", "VGG")],
     [("finetuned", "slimmed", ("slimmed", "baseline")), ("l1_finetuned", "L1 norm", ("L1-norm", "baseline"))]),
    ("resnet-slimming", [("preresnet_baseline", "PreResNet"), ("resnet_baseline", "ResNet")],
     [("finetuned", "PreResNet slimmed", ("slimmed", "PreResNet-")),
      ("resnet_l1_finetuned", "ResNet L1 norm", ("L1-pruned", "ResNet-"))]),
]


def value(results, key):
    """A single run's number, or a study's mean ± std."""
    summary = results.get("summary", {}).get("accuracy." + key)
    if summary:
        return f"{100 * summary['mean']:.2f} ± {100 * summary['std']:.2f} %"
    run = results.get("runs", [results])[0]
    return f"{100 * run['accuracy.' + key]:.2f} %"


def table():
    rows = ["| Lab (preset, seeds, wall time) | Baseline | Pruned | Removed (parameters, MACs) |",
            "| --- | --- | --- | --- |"]
    for lab, baselines, pruned in LABS:
        path = ROOT / "reports" / f"{lab}.json"
        if not path.exists():
            continue
        results = json.loads(path.read_text())
        runs = results.get("runs", [results])
        first = runs[0]
        info = first["run"]
        seeds = len(runs)
        minutes = sum(r["run"]["wall_seconds"] for r in runs) / 60
        removed = []
        models = {k[len("models."):]: v for k, v in first.items() if k.startswith("models.")}
        for _, label, (pruned_name, base_name) in pruned:
            model = next((v for k, v in models.items() if pruned_name in k and "baseline" not in k), None)
            base = next((v for k, v in models.items() if k.startswith(base_name) and "baseline" in k), None)
            if model and base:
                p = 1 - model["parameters"] / base["parameters"]
                m = 1 - model["macs"] / base["macs"]
                removed.append(f"{label}: {100 * p:.0f} %, {100 * m:.0f} %")
        rows.append("| {} ({}, {} seed{}, {:.0f} min) | {} | {} | {} |".format(
            lab, info["preset"], seeds, "s" if seeds > 1 else "", max(minutes, 1),
            "; ".join(f"{label} {value(results, key)}" for key, label in baselines),
            "; ".join(f"{label} {value(results, key)}" for key, label, _ in pruned),
            "; ".join(removed) or "see the report"))
    return "\n".join(rows)


def main():
    readme = ROOT / "README.md"
    text = readme.read_text()
    if START not in text or END not in text:
        sys.exit(f"README.md has no results markers ({START} … {END})")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = head + START + "\n" + table() + "\n" + END + tail
    if "--check" in sys.argv:
        if updated != text:
            sys.exit("README.md's results table differs from reports/*.json: run python3 scripts/readme_results.py")
        return
    readme.write_text(updated)


if __name__ == "__main__":
    main()
