#!/usr/bin/env python3
"""PyTorch check of lab-weight-pruning (labs/weight-pruning): the same recipe, written independently.

    python3 tools/torch_weight_pruning.py --preset quick           # writes tools/torch-reports/weight-pruning.json
    python3 tools/compare_torch.py weight-pruning                   # beside reports/weight-pruning.json

A 784-200-200-10 MLP on 28×28 images (no augmentation, no weight decay): baseline; for each
swept sparsity, the baseline's Linear weights magnitude-pruned (Han et al.'s per-layer
thresholds q·σ_l by default) → sparsity_<s>_pruned, masked fine-tuning at lr/10 →
sparsity_<s>_finetuned; neuron pruning to --pruned-hidden by the L1 norm of each unit's
incoming weights → neurons_pruned, fine-tuned at lr/10 → neurons_finetuned; scratch-E/B of the
small MLP (standard and smoke presets).
"""
from __future__ import annotations

import copy

import torch
import torch.nn as nn

from torch_common import (ChannelGroup, Run, TrainingConfig, apply_common_overrides, common_parser, keep_top,
                          model_cost, pruned_copy)

# labs/weight-pruning/Options.swift, Recipe.of(_:). fine_tune_epochs: the neuron-pruned network's;
# sweep_fine_tune_epochs: each sparsity's (--fine-tune-epochs sets both, as in the lab).
PRESETS = {
    "smoke": dict(train_limit=2000, epochs=1, fine_tune_epochs=1, sweep_fine_tune_epochs=1, batch_size=64, lr=0.05,
                  sparsities=[0.5, 0.9, 0.98], runs_scratch=True, scratch_b_cap=2),
    "quick": dict(train_limit=None, epochs=8, fine_tune_epochs=3, sweep_fine_tune_epochs=1, batch_size=64, lr=0.05,
                  sparsities=[0.5, 0.7, 0.8, 0.9, 0.95, 0.98], runs_scratch=False, scratch_b_cap=None),
    "standard": dict(train_limit=None, epochs=20, fine_tune_epochs=5, sweep_fine_tune_epochs=2, batch_size=64,
                     lr=0.05, sparsities=[0.5, 0.7, 0.8, 0.9, 0.92, 0.95, 0.98], runs_scratch=True,
                     scratch_b_cap=None),
}


class MLP(nn.Module):
    """Flatten → Linear → ReLU → … → Linear, PyTorch's default initialisation (the lab's)."""

    def __init__(self, cfg: list[int], inputs: int = 784):
        super().__init__()
        widths = [inputs] + cfg
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))

    def forward(self, x):
        x = x.flatten(1)
        for layer in self.layers[:-1]:
            x = torch.relu(layer(x))
        return self.layers[-1](x)

    def cfg(self) -> list[int]:
        return [layer.out_features for layer in self.layers]

    def channel_groups(self) -> list[ChannelGroup]:
        """Each hidden layer's units: weight rows and bias, and the next layer's input columns."""
        return [ChannelGroup(f"fc{i + 1}", producer=self.layers[i], consumers=[(self.layers[i + 1], 1)])
                for i in range(len(self.layers) - 1)]


def make_mlp(seed: int, cfg: list[int]) -> MLP:
    torch.manual_seed(seed)
    return MLP(cfg)


def round_half_up(x: float) -> int:
    """Swift's rounded() for the non-negative counts here."""
    return int(x + 0.5)


@torch.no_grad()
def magnitude_prune(model: MLP, sparsity: float, scope: str) -> list[tuple[nn.Parameter, torch.Tensor]]:
    """The lab's MagnitudePruning on every Linear weight (biases stay): exactly ⌊s·N⌉ entries
    of smallest score are zeroed and masked, ties broken by position (a stable sort).
    per-layer-std: score |w|/σ_l (σ_l the population std of layer l), so one q for the
    network is the same as one threshold on that score (Han et al.); layerwise: each layer
    its own ⌊s·n⌉ smallest |w|; global: ⌊s·N⌉ smallest |w| over all layers."""
    weights = [layer.weight for layer in model.layers]
    masks = [torch.ones_like(w) for w in weights]

    def mask_smallest(scores: list[torch.Tensor], chosen: list[int], count: int) -> None:
        flat = torch.cat([s.flatten() for s in scores])
        pruned = torch.argsort(flat, stable=True)[:count]
        hit = torch.zeros_like(flat, dtype=torch.bool)
        hit[pruned] = True
        offset = 0
        for k, s in zip(chosen, scores):
            masks[k].view(-1)[hit[offset:offset + s.numel()]] = 0
            offset += s.numel()

    if scope == "layerwise":
        for k, w in enumerate(weights):
            mask_smallest([w.abs()], [k], round_half_up(sparsity * w.numel()))
    else:
        total = sum(w.numel() for w in weights)
        if scope == "global":
            scores = [w.abs() for w in weights]
        else:
            scores = []
            for w in weights:
                deviation = float(w.double().std(unbiased=False))
                scores.append(w.abs() / deviation if deviation > 0 else w.abs())
        mask_smallest(scores, list(range(len(weights))), round_half_up(sparsity * total))
    for w, m in zip(weights, masks):
        w.mul_(m)
    return list(zip(weights, masks))


def main():
    parser = common_parser("PyTorch check of lab-weight-pruning.")
    parser.add_argument("--pruned-hidden", default="50,100", help="hidden widths after neuron pruning")
    parser.add_argument("--scope", choices=("per-layer-std", "layerwise", "global"), default="per-layer-std")
    # Since commit b499fd2 the lab trains the MLP at lr 0.05 on the step schedule, and its
    # fine-tunings inherit the schedule (config.fineTuning keeps it); before, every stage ran at
    # a constant lr 0.01: `--schedule constant --lr 0.01` checks that older recipe.
    parser.add_argument("--schedule", choices=("step", "constant"), default="step",
                        help="learning-rate schedule of every stage (default step: ÷10 at 50 %% and 75 %%)")
    args = parser.parse_args()
    recipe = apply_common_overrides(PRESETS[args.preset], args)
    if args.fine_tune_epochs is not None:
        recipe["sweep_fine_tune_epochs"] = args.fine_tune_epochs
    pruned_cfg = [int(w) for w in args.pruned_hidden.split(",")] + [10]
    recipe.update(pruned_cfg=pruned_cfg, scope=args.scope, schedule=args.schedule)

    run = Run("weight-pruning", args, recipe)
    seed = args.seed
    data = run.data(recipe["train_limit"], pad32=False)
    config = TrainingConfig(epochs=recipe["epochs"], batch_size=recipe["batch_size"], lr=recipe["lr"], momentum=0.9,
                            weight_decay=0.0, schedule=args.schedule, augment=False, seed=seed)

    # 1. Baseline
    baseline = make_mlp(seed, [200, 200, 10])
    run.train("baseline", baseline, data, config)
    baseline_accuracy = run.evaluate("baseline", baseline, data)
    if recipe["convergence_check"]:
        run.check_convergence("baseline", baseline_accuracy, lambda: make_mlp(seed, [200, 200, 10]), data, config)

    # 2. Unstructured magnitude pruning, each sparsity from the trained baseline
    sweep_fine_tune = config.fine_tuning(recipe["sweep_fine_tune_epochs"], lr=recipe["lr"] / 10)
    for sparsity in recipe["sparsities"]:
        network = copy.deepcopy(baseline)
        masks = magnitude_prune(network, sparsity, args.scope)
        run.evaluate(f"sparsity_{sparsity:.2f}_pruned", network, data)
        run.train(f"masked fine-tune {sparsity * 100:.0f}%", network, data, sweep_fine_tune, masks=masks)
        run.evaluate(f"sparsity_{sparsity:.2f}_finetuned", network, data)

    # 3. Neuron pruning by the L1 norm of each unit's incoming weights (scores from the baseline)
    groups = baseline.channel_groups()
    plan = keep_top({g.name: w for g, w in zip(groups, pruned_cfg)}, {g.name: g.l1_scores() for g in groups})
    pruned = pruned_copy(baseline, plan.kept)
    run.evaluate("neurons_pruned", pruned, data)
    run.train("neuron fine-tune", pruned, data, config.fine_tuning(recipe["fine_tune_epochs"] or 3, lr=recipe["lr"] / 10))
    fine_tuned_accuracy = run.evaluate("neurons_finetuned", pruned, data)

    # 4. Scratch
    if recipe["runs_scratch"]:
        baseline_macs, _ = model_cost(baseline, data.sample_shape)
        run.scratch_baselines(lambda: make_mlp(seed + 1, pruned.cfg()), baseline_macs, data, config,
                              recipe["scratch_b_cap"])

    run.model_row("baseline [200, 200, 10]", baseline, data, baseline_accuracy)
    run.model_row(f"pruned [{', '.join(map(str, pruned_cfg))}], fine-tuned", pruned, data, fine_tuned_accuracy)
    run.write()


if __name__ == "__main__":
    main()
