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

# lab, how to name its baseline and pruned rows: (accuracy key, label, model-table key or None)
LABS = [
    ("weight-pruning", [("baseline", "MLP 784-200-200-10")],
     [("neurons_finetuned", "[50, 100, 10], fine-tuned", "models.pruned [50, 100, 10], fine-tuned")]),
    ("filter-pruning", [("baseline", "SmallCNN [32, 64, 64]")],
     [("finetuned", "[8, 16, 32], fine-tuned", "models.pruned [8, 16, 32], fine-tuned")]),
    ("vgg-slimming", [("baseline", "VGG")],
     [("finetuned", "slimmed, fine-tuned", "models.slimmed, fine-tuned"),
      ("l1_finetuned", "L1 norm, fine-tuned", "models.L1-norm pruned, fine-tuned")]),
    ("resnet-slimming", [("preresnet_baseline", "PreResNet"), ("resnet_baseline", "ResNet")],
     [("finetuned", "PreResNet slimmed, fine-tuned", None),
      ("resnet_l1_finetuned", "ResNet L1 norm, fine-tuned", None)]),
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
        for _, label, model in pruned:
            models = {k: v for k, v in first.items() if k.startswith("models.")}
            base = next((v for k, v in models.items() if "baseline" in k), None)
            if model and model in first and base:
                p = 1 - first[model]["parameters"] / base["parameters"]
                m = 1 - first[model]["macs"] / base["macs"]
                removed.append(f"{label.split(',')[0]}: {100 * p:.0f} %, {100 * m:.0f} %")
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
