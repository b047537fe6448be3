#!/usr/bin/env python3
"""PyTorch check of lab-vgg-slimming (labs/vgg-slimming): the same recipe, written independently.

    python3 tools/torch_vgg_slimming.py --preset quick            # writes tools/torch-reports/vgg-slimming.json
    python3 tools/compare_torch.py vgg-slimming                    # beside reports/vgg-slimming.json

Stages, with the lab's JSON keys: baseline; sparsity training (s·sign(γ) after every backward)
from the same initialisation → sparsity_trained; global |γ| threshold at `percent`, surgery →
pruned; slimming fine-tuning (the training schedule for E epochs, network-slimming --refine)
→ finetuned; scratch-E/B of the slimmed architecture (standard and smoke presets); L1-norm
pruning of the baseline at slimming's MACs (one ratio for every conv, found by bisection) or
Li et al.'s VGG-16 recipe → l1_pruned, fine-tuned at lr/100 for E/4 epochs → l1_finetuned;
random channels at the L1 widths, fine-tuned the same way → random_pruned, random_finetuned.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_common import (ChannelGroup, Run, TrainingConfig, common_parser, apply_common_overrides,
                          global_percentile_plan, keep_top, kaiming_normal_fan_out, kept_count, l1_fine_tuning,
                          model_cost, pruned_copy, random_scores, ratio_plan, scaled_width, separation,
                          slimming_fine_tuning)

# labs/vgg-slimming/Options.swift, Recipe.of(_:) (the full preset is CIFAR-10 and not checked here).
PRESETS = {
    "smoke": dict(depth=11, width=0.125, train_limit=1024, epochs=2, batch_size=64, lr=0.05, sparsity=1e-3, percent=0.7,
                  runs_scratch=True, scratch_b_cap=4, fine_tune_epochs=None, augment=True),
    "quick": dict(depth=11, width=0.25, train_limit=30000, epochs=4, batch_size=64, lr=0.1, sparsity=5e-3, percent=0.7,
                  runs_scratch=False, scratch_b_cap=None, fine_tune_epochs=None, augment=True),
    "standard": dict(depth=11, width=0.25, train_limit=30000, epochs=10, batch_size=64, lr=0.05, sparsity=3e-3, percent=0.6,
                     runs_scratch=True, scratch_b_cap=None, fine_tune_epochs=None, augment=False),
}

# network-slimming's models/vgg.py layouts ('M' = 2×2 max-pool).
LAYOUTS = {
    11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512],
    13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512],
    16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512],
    19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512],
}


class VGG(nn.Module):
    """network-slimming's VGG: conv3×3 (no bias) → BN → ReLU per width, max-pools at 'M',
    then a 2×2 average pool, flatten and one Linear. Init: conv N(0, 2/(9·out)), BN γ = 0.5,
    β = 0, Linear N(0, 0.01) with zero bias. One input channel (Fashion-MNIST)."""

    def __init__(self, depth: int, widths: list[int], in_channels: int = 1, size: int = 32, classes: int = 10):
        super().__init__()
        self.depth = depth
        features, channels, widths_left = [], in_channels, iter(widths)
        for entry in LAYOUTS[depth]:
            if entry == 'M':
                features.append(nn.MaxPool2d(2))
                size //= 2
                continue
            out = next(widths_left)
            conv = nn.Conv2d(channels, out, 3, padding=1, bias=False)
            kaiming_normal_fan_out(conv)
            bn = nn.BatchNorm2d(out)
            nn.init.constant_(bn.weight, 0.5)
            nn.init.zeros_(bn.bias)
            features += [conv, bn, nn.ReLU(inplace=True)]
            channels = out
        self.feature = nn.Sequential(*features)
        size //= 2  # the average pool
        self.positions = size * size
        self.classifier = nn.Linear(channels * self.positions, classes)
        nn.init.normal_(self.classifier.weight, 0.0, 0.01)
        nn.init.zeros_(self.classifier.bias)

    def forward(self, x):
        x = F.avg_pool2d(self.feature(x), 2)
        return self.classifier(x.flatten(1))

    def widths(self) -> list[int]:
        return [m.out_channels for m in self.feature if isinstance(m, nn.Conv2d)]

    def channel_groups(self) -> list[ChannelGroup]:
        """One group per conv, named `feature.<index>` as the lab: filters, BN, and the next
        conv's input channels (for the last conv, the classifier's columns)."""
        convs = [(i, m) for i, m in enumerate(self.feature) if isinstance(m, nn.Conv2d)]
        groups = []
        for k, (index, conv) in enumerate(convs):
            consumer = (convs[k + 1][1], 1) if k + 1 < len(convs) else (self.classifier, self.positions)
            groups.append(ChannelGroup(f"feature.{index}", producer=conv, bn=self.feature[index + 1],
                                       consumers=[consumer]))
        return groups


def make_vgg(recipe: dict, seed: int, widths: list[int] | None = None) -> VGG:
    torch.manual_seed(seed)
    depth = recipe["depth"]
    default = [scaled_width(w, recipe["width"]) for w in LAYOUTS[depth] if w != 'M']
    return VGG(depth, widths or default)


def matched_ratio_plan(baseline: VGG, target_macs: int, sample_shape: list[int]):
    """The lab's PruningPlan.ratio(matchingMACs:): bisection on one L1-norm ratio for every conv
    (14 steps on [0, 0.99]) until the pruned network has about `target_macs`; the upper end."""
    groups = baseline.channel_groups()

    def macs_at(fraction: float) -> int:
        widths = [max(1, kept_count(g.channel_count, fraction)) for g in groups]
        return model_cost(VGG(baseline.depth, widths), sample_shape)[0]

    low, high = 0.0, 0.99
    for _ in range(14):
        middle = (low + high) / 2
        if macs_at(middle) > target_macs:
            low = middle
        else:
            high = middle
    scores = {g.name: g.l1_scores() for g in groups}
    return ratio_plan({g.name: high for g in groups}, scores), high


def main():
    parser = common_parser("PyTorch check of lab-vgg-slimming.")
    parser.add_argument("--percent", type=float,
                        help="fraction of channels the |γ| threshold removes (default: the preset's; network-slimming's 0.7)")
    parser.add_argument("--sparsity", type=float, help="s of the L1 penalty on γ (default: the preset's)")
    parser.add_argument("--width", type=float, help="width multiplier (default: the preset's)")
    parser.add_argument("--depth", type=int, choices=(11, 13, 16, 19))
    parser.add_argument("--passes", type=int, default=1, help="slimming passes (sparsity-train, prune, repeat)")
    parser.add_argument("--l1", choices=("matched", "paper"), default="matched",
                        help="L1-norm comparison: one ratio at slimming's MACs, or Li et al.'s VGG-16 recipe")
    args = parser.parse_args()
    recipe = apply_common_overrides(PRESETS[args.preset], args)
    for key in ("sparsity", "width", "depth", "percent"):
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    recipe.update(passes=args.passes, l1=args.l1)
    if args.l1 == "paper" and recipe["depth"] != 16:
        raise SystemExit("--l1 paper is the VGG-16 recipe: add --depth 16.")

    run = Run("vgg-slimming", args, recipe)
    seed = args.seed
    data = run.data(recipe["train_limit"], pad32=True)
    config = TrainingConfig(epochs=recipe["epochs"], batch_size=recipe["batch_size"], lr=recipe["lr"], momentum=0.9,
                            weight_decay=1e-4, schedule="step", augment=recipe["augment"], seed=seed)
    slimming_ft = slimming_fine_tuning(config, recipe["fine_tune_epochs"])
    l1_ft = l1_fine_tuning(config, recipe["fine_tune_epochs"])

    # 1. Baseline
    baseline = make_vgg(recipe, seed)
    run.metric("cfg.baseline", baseline.widths())
    run.train("baseline", baseline, data, config)
    baseline_accuracy = run.evaluate("baseline", baseline, data)
    if recipe["convergence_check"]:
        run.check_convergence("baseline", baseline_accuracy, lambda: make_vgg(recipe, seed), data, config)

    # 2. Sparsity training from the same initialisation, global threshold, surgery (pass after pass)
    slim = make_vgg(recipe, seed)
    first_plan = None
    for pass_ in range(1, recipe["passes"] + 1):
        stage = "sparsity training" if recipe["passes"] == 1 else f"sparsity training (pass {pass_})"
        run.train(stage, slim, data, config if pass_ == 1 else slimming_ft, sparsity=recipe["sparsity"])
        run.evaluate("sparsity_trained", slim, data)
        scores = {g.name: g.bn_scores() for g in slim.channel_groups()}
        plan = global_percentile_plan(scores, recipe["percent"])
        run.metric("separation", separation(plan, scores))
        first_plan = first_plan or plan
        slim = pruned_copy(slim, plan.kept)
        run.evaluate("pruned", slim, data)
        print(f"  threshold {plan.threshold:.4g} keeps {sum(plan.kept_counts.values())} of {sum(plan.original.values())} "
              f"channels; separation {run.metrics['separation']}; kept alive by the floor: {plan.kept_alive_by_floor}")
    run.metric("threshold", first_plan.threshold)
    run.metric("kept_alive_by_floor", first_plan.kept_alive_by_floor)
    run.metric("cfg.slimmed", slim.widths())

    # 3. Fine-tune the slimmed network on the training schedule
    run.train("fine-tune", slim, data, slimming_ft)
    fine_tuned_accuracy = run.evaluate("finetuned", slim, data)

    # 4. L1-norm pruning of the baseline, and random channels at the same widths
    baseline_macs, _ = model_cost(baseline, data.sample_shape)
    slim_macs, _ = model_cost(slim, data.sample_shape)
    groups = baseline.channel_groups()
    if recipe["l1"] == "paper":
        halved = [g.name for k, g in enumerate(groups) if k + 1 in (1, 8, 9, 10, 11, 12, 13)]
        l1_plan = ratio_plan({name: 0.5 for name in halved}, {g.name: g.l1_scores() for g in groups})
    else:
        l1_plan, ratio = matched_ratio_plan(baseline, slim_macs, data.sample_shape)
        run.metric("l1_ratio", ratio)
    l1_pruned = pruned_copy(baseline, l1_plan.kept)
    run.metric("cfg.l1", l1_pruned.widths())
    run.evaluate("l1_pruned", l1_pruned, data)
    run.train("L1 fine-tune", l1_pruned, data, l1_ft)
    l1_accuracy = run.evaluate("l1_finetuned", l1_pruned, data)

    random_plan = keep_top(l1_plan.kept_counts, random_scores(groups, seed))
    random_pruned = pruned_copy(baseline, random_plan.kept)
    run.evaluate("random_pruned", random_pruned, data)
    run.train("random fine-tune", random_pruned, data, l1_ft)
    random_accuracy = run.evaluate("random_finetuned", random_pruned, data)

    # 5. Scratch-E and scratch-B of the slimmed architecture
    if recipe["runs_scratch"]:
        run.scratch_baselines(lambda: make_vgg(recipe, seed + 7, widths=slim.widths()), baseline_macs, data, config,
                              recipe["scratch_b_cap"])

    run.model_row("baseline", baseline, data, baseline_accuracy)
    run.model_row("slimmed, fine-tuned", slim, data, fine_tuned_accuracy)
    run.model_row("L1-norm pruned, fine-tuned", l1_pruned, data, l1_accuracy)
    run.model_row("random channels, fine-tuned", random_pruned, data, random_accuracy)
    run.write()


if __name__ == "__main__":
    main()
