#!/usr/bin/env python3
"""PyTorch check of lab-filter-pruning (labs/filter-pruning): the same recipe, written independently.

    python3 tools/torch_filter_pruning.py --preset quick           # writes tools/torch-reports/filter-pruning.json
    python3 tools/compare_torch.py filter-pruning                   # beside reports/filter-pruning.json

L1-norm filter pruning (Li et al., ICLR 2017) of the student's small CNN on 28×28 images (no
padding, no augmentation, no weight decay): baseline; sensitivity of each conv alone (10 … 90 %
of its filters zeroed, smallest L1 norms first, on a stratified test subset); prune every conv
to --pruned-cfg by filter L1 norm → pruned; fine-tune at lr/100 for E/4 epochs → finetuned;
scratch-E/B of the pruned architecture (standard and smoke presets).

    python3 tools/torch_filter_pruning.py --preset standard --seed 1 --no-scratch --convergence-check off \
        --baseline-from <output-dir>/.prunelab-cache/filter-pruning/baseline-<key>.safetensors

starts from the lab's trained baseline instead of training one (needs `pip install safetensors`): the same
weights must give the lab's baseline and pruned accuracies to the hundredth, which separates the pruning
(the same in both) from what each framework's training produced.
"""
from __future__ import annotations

import torch
import torch.nn as nn

from torch_common import (ChannelGroup, Run, TrainingConfig, apply_common_overrides, common_parser, evaluate,
                          keep_top, kept_count, l1_fine_tuning, model_cost, positions_of_largest, pruned_copy,
                          stratified_indices)

# labs/filter-pruning/Options.swift, Recipe.of(_:).
PRESETS = {
    "smoke": dict(train_limit=1000, sensitivity_test_limit=200, epochs=1, batch_size=64, lr=0.05,
                  runs_scratch=True, scratch_b_cap=2, fine_tune_epochs=None),
    "quick": dict(train_limit=20000, sensitivity_test_limit=2000, epochs=4, batch_size=64, lr=0.05,
                  runs_scratch=False, scratch_b_cap=None, fine_tune_epochs=None),
    "standard": dict(train_limit=None, sensitivity_test_limit=10000, epochs=8, batch_size=64, lr=0.05,
                     runs_scratch=True, scratch_b_cap=None, fine_tune_epochs=None),
}


class SmallCNN(nn.Module):
    """conv3×3(pad 1, bias) → ReLU → max-pool 2, twice, then conv3×3 → ReLU → flatten →
    Linear(w3·7·7 → 10). PyTorch's default initialisation (the lab's: U(±1/√fan_in))."""

    def __init__(self, widths: list[int], in_channels: int = 1, classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, padding=1)
        self.conv2 = nn.Conv2d(widths[0], widths[1], 3, padding=1)
        self.conv3 = nn.Conv2d(widths[1], widths[2], 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(widths[2] * 7 * 7, classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(torch.relu(self.conv3(x)).flatten(1))

    def widths(self) -> list[int]:
        return [self.conv1.out_channels, self.conv2.out_channels, self.conv3.out_channels]

    def channel_groups(self) -> list[ChannelGroup]:
        """Each conv's filters (weight rows, bias) with the next conv's input channels; the last
        conv's channel c owns the Linear's columns c·49 … c·49+48."""
        return [ChannelGroup("conv1", producer=self.conv1, consumers=[(self.conv2, 1)]),
                ChannelGroup("conv2", producer=self.conv2, consumers=[(self.conv3, 1)]),
                ChannelGroup("conv3", producer=self.conv3, consumers=[(self.fc, 49)])]


def make_cnn(seed: int, widths: list[int]) -> SmallCNN:
    torch.manual_seed(seed)
    return SmallCNN(widths)


@torch.no_grad()
def sensitivity(model: SmallCNN, x: torch.Tensor, y: torch.Tensor) -> tuple[float, list[dict]]:
    """Li et al.'s Figure 2b: each conv alone loses 10 … 90 % of its filters (those with the
    smallest L1 norms; at least one kept), zeroed (weight rows and bias, so they output 0, as
    the surgery would), evaluated without retraining, then restored."""
    points = []
    for group in model.channel_groups():
        conv, scores = group.producer, group.l1_scores()
        saved_weight, saved_bias = conv.weight.clone(), conv.bias.clone()
        for tenth in range(1, 10):
            fraction = tenth / 10
            kept = set(positions_of_largest(scores, max(1, kept_count(len(scores), fraction))))
            removed = [p for p in range(len(scores)) if p not in kept]
            conv.weight[removed] = 0
            conv.bias[removed] = 0
            points.append({"group": group.name, "fraction": fraction, "removed_channels": len(removed),
                           "accuracy": evaluate(model, x, y)[1]})
            conv.weight.copy_(saved_weight)
            conv.bias.copy_(saved_bias)
    return evaluate(model, x, y)[1], points


def main():
    parser = common_parser("PyTorch check of lab-filter-pruning.")
    parser.add_argument("--pruned-cfg", default="8,16,32", help="filters per conv after pruning")
    parser.add_argument("--baseline-from", help="the lab's trained baseline (a stage-cache .safetensors) instead of training one")
    args = parser.parse_args()
    recipe = apply_common_overrides(PRESETS[args.preset], args)
    pruned_cfg = [int(w) for w in args.pruned_cfg.split(",")]
    recipe["pruned_cfg"] = pruned_cfg

    run = Run("filter-pruning", args, recipe)
    seed = args.seed
    data = run.data(recipe["train_limit"], pad32=False)
    # No weight decay and no augmentation: the lab's TrainingConfig leaves both at their defaults.
    config = TrainingConfig(epochs=recipe["epochs"], batch_size=recipe["batch_size"], lr=recipe["lr"], momentum=0.9,
                            weight_decay=0.0, schedule="step", augment=False, seed=seed)

    # 1. Baseline
    baseline = make_cnn(seed, [32, 64, 64])
    if args.baseline_from:
        from safetensors.torch import load_file
        weights = load_file(args.baseline_from)
        baseline.load_state_dict({name: weights[name].reshape(value.shape) for name, value in baseline.state_dict().items()})
        run.metric("baseline_from", args.baseline_from)
        print(f"  baseline: the lab's weights from {args.baseline_from}")
    else:
        run.train("baseline", baseline, data, config)
    baseline_accuracy = run.evaluate("baseline", baseline, data)
    if recipe["convergence_check"]:
        run.check_convergence("baseline", baseline_accuracy, lambda: make_cnn(seed, [32, 64, 64]), data, config)

    # 2. Sensitivity on a stratified subset of the test set
    subset = stratified_indices(data.test_y.numpy(), min(recipe["sensitivity_test_limit"], len(data.test_y)))
    unpruned, points = sensitivity(baseline, data.test_x[subset], data.test_y[subset])
    run.metric("sensitivity_baseline", unpruned)
    run.metric("sensitivity", points)
    print(f"  sensitivity on {len(subset)} test images: unpruned {100 * unpruned:.2f}%; "
          + "; ".join(f"{p['group']} {p['fraction']:.1f} {100 * p['accuracy']:.1f}" for p in points if p["fraction"] in (0.5, 0.9)))

    # 3. Prune every conv to the target widths by filter L1 norm; fine-tune as Li et al.
    groups = baseline.channel_groups()
    plan = keep_top({g.name: w for g, w in zip(groups, pruned_cfg)}, {g.name: g.l1_scores() for g in groups})
    pruned = pruned_copy(baseline, plan.kept)
    run.evaluate("pruned", pruned, data)
    run.train("fine-tune", pruned, data, l1_fine_tuning(config, recipe["fine_tune_epochs"]))
    fine_tuned_accuracy = run.evaluate("finetuned", pruned, data)

    # 4. Scratch
    if recipe["runs_scratch"]:
        baseline_macs, _ = model_cost(baseline, data.sample_shape)
        run.scratch_baselines(lambda: make_cnn(seed + 1, pruned.widths()), baseline_macs, data, config,
                              recipe["scratch_b_cap"])

    run.model_row("baseline [32, 64, 64]", baseline, data, baseline_accuracy)
    run.model_row(f"pruned [{', '.join(map(str, pruned_cfg))}], fine-tuned", pruned, data, fine_tuned_accuracy)
    run.write()


if __name__ == "__main__":
    main()
