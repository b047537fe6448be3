#!/usr/bin/env python3
"""PyTorch check of lab-densenet-slimming (labs/densenet-slimming): the same recipe, written independently.

    python3 tools/torch_densenet_slimming.py --preset quick        # writes tools/torch-reports/densenet-slimming.json
    python3 tools/compare_torch.py densenet-slimming               # beside reports/densenet-slimming.json

Network slimming of network-slimming's DenseNet (models/densenet.py: no bottleneck, compression
1, a channel selection after every pre-activation BatchNorm): baseline → baseline (with the
convergence check in standard); sparsity training from the same initialisation →
sparsity_trained; one global |γ| threshold over every BatchNorm (each scores the channels its
layer reads, through the selection; the features and the convs' filters stay whole, as
denseprune.py) → pruned; fine-tuning on the training schedule → finetuned; scratch-E/B of the
slimmed architecture, selections kept (standard and smoke presets). The lab's pruning-ratio
sweep is not repeated here.
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_common import (ChannelGroup, ChannelSelection, Run, TrainingConfig, common_parser, apply_common_overrides,
                          global_percentile_plan, kaiming_normal_fan_out, model_cost, pruned_copy, separation,
                          slimming_fine_tuning)

# labs/densenet-slimming/Options.swift, Recipe.of(_:) (the full preset is CIFAR-10 and not checked here).
PRESETS = {
    "smoke": dict(depth=10, growth_rate=4, train_limit=1024, epochs=2, batch_size=32, lr=0.1, sparsity=1e-3,
                  augment=True, runs_scratch=True, scratch_b_cap=4, fine_tune_epochs=None),
    "quick": dict(depth=16, growth_rate=6, train_limit=12000, epochs=4, batch_size=64, lr=0.1, sparsity=5e-3,
                  augment=False, runs_scratch=False, scratch_b_cap=None, fine_tune_epochs=None),
    "standard": dict(depth=22, growth_rate=6, train_limit=40000, epochs=24, batch_size=64, lr=0.1, sparsity=1e-3,
                     augment=False, runs_scratch=True, scratch_b_cap=None, fine_tune_epochs=None, percent=0.7),
}


def batchnorm(channels: int) -> nn.BatchNorm2d:
    """network-slimming initialises every BatchNorm with γ = 0.5, β = 0."""
    bn = nn.BatchNorm2d(channels)
    nn.init.constant_(bn.weight, 0.5)
    nn.init.zeros_(bn.bias)
    return bn


class DenseLayer(nn.Module):
    """out = cat(x, conv1(ReLU(select(BN(x))))): BN over every channel received, the selection
    passes on `kept` of them, a 3×3 conv (no bias) makes k new channels."""

    def __init__(self, in_channels: int, kept: int, growth: int):
        super().__init__()
        self.bn1 = batchnorm(in_channels)
        self.select = ChannelSelection(in_channels, kept)
        self.conv1 = nn.Conv2d(kept, growth, 3, padding=1, bias=False)
        kaiming_normal_fan_out(self.conv1)

    def forward(self, x):
        return torch.cat([x, self.conv1(F.relu(self.select(self.bn1(x))))], 1)


class Transition(nn.Module):
    """avg_pool2(conv1(ReLU(select(BN(x))))): a 1×1 conv (no bias) back to as many channels as come in."""

    def __init__(self, in_channels: int, kept: int):
        super().__init__()
        self.bn1 = batchnorm(in_channels)
        self.select = ChannelSelection(in_channels, kept)
        self.conv1 = nn.Conv2d(kept, in_channels, 1, bias=False)
        kaiming_normal_fan_out(self.conv1)

    def forward(self, x):
        return F.avg_pool2d(self.conv1(F.relu(self.select(self.bn1(x)))), 2)


def densenet_default_cfg(depth: int, growth: int) -> list[int]:
    """Per block, the channels each dense layer reads, then what the transition (or the final
    selection) reads: 2k, 3k, … (3n+3 numbers)."""
    n = (depth - 4) // 3
    cfg, channels = [], 2 * growth
    for _ in range(3):
        for _ in range(n + 1):
            cfg.append(channels)
            channels += growth
        channels -= growth
    return cfg


class DenseNet(nn.Module):
    """network-slimming's models/densenet.py for depth 3n+4 and growth rate k: a 3×3 stem conv
    to 2k channels, three blocks of n DenseLayers with a Transition after the first two, then
    BN → selection → ReLU → 8×8 average pool → Linear. Convs N(0, 2/(k·k·out)), BN γ = 0.5,
    Linear as PyTorch's default."""

    def __init__(self, depth: int, growth: int, cfg: list[int] | None = None, in_channels: int = 1,
                 size: int = 32, classes: int = 10):
        super().__init__()
        self.depth, self.growth = depth, growth
        n = (depth - 4) // 3
        cfg = cfg or densenet_default_cfg(depth, growth)
        self.conv1 = nn.Conv2d(in_channels, 2 * growth, 3, padding=1, bias=False)
        kaiming_normal_fan_out(self.conv1)
        channels = 2 * growth
        for stage in range(3):
            layers = []
            for index in range(n):
                layers.append(DenseLayer(channels, cfg[stage * (n + 1) + index], growth))
                channels += growth
            setattr(self, f"dense{stage + 1}", nn.Sequential(*layers))
            if stage < 2:
                setattr(self, f"trans{stage + 1}", Transition(channels, cfg[stage * (n + 1) + n]))
        self.bn = batchnorm(channels)
        self.select = ChannelSelection(channels, cfg[-1])
        self.positions = (size // 32) ** 2
        self.fc = nn.Linear(cfg[-1] * self.positions, classes)

    def forward(self, x):
        x = self.trans1(self.dense1(self.conv1(x)))
        x = self.trans2(self.dense2(x))
        x = F.relu(self.select(self.bn(self.dense3(x))))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))

    def readers(self) -> list[tuple[str, nn.Module]]:
        """Every layer behind a selection, in cfg order: dense layers, then the block's transition."""
        result = []
        for stage in (1, 2, 3):
            result += [(f"dense{stage}.{i}", layer) for i, layer in enumerate(getattr(self, f"dense{stage}"))]
            if stage < 3:
                result.append((f"trans{stage}", getattr(self, f"trans{stage}")))
        return result

    def cfg(self) -> list[int]:
        return [layer.select.indices.numel() for _, layer in self.readers()] + [self.select.indices.numel()]

    def channel_groups(self) -> list[ChannelGroup]:
        """As the lab: one group per selection, the channels its layer reads (scored by the BN's
        γ through the selection; the conv's input channels go with them), and the final one
        (the classifier's columns)."""
        groups = [ChannelGroup(f"{name}.select", bn=layer.bn1, selection=layer.select, consumers=[(layer.conv1, 1)])
                  for name, layer in self.readers()]
        groups.append(ChannelGroup("select", bn=self.bn, selection=self.select, consumers=[(self.fc, self.positions)]))
        return groups


def make_densenet(recipe: dict, seed: int, like: DenseNet | None = None) -> DenseNet:
    """A fresh DenseNet; `like`: the architecture of a pruned one, its selections kept (the
    lab's reinitialized(seed:))."""
    torch.manual_seed(seed)
    model = DenseNet(recipe["depth"], recipe["growth_rate"], cfg=like.cfg() if like is not None else None)
    if like is not None:
        for target, source in zip(model.modules(), like.modules()):
            if isinstance(target, ChannelSelection):
                target.indices = source.indices.clone()
    return model


def main():
    parser = common_parser("PyTorch check of lab-densenet-slimming.")
    parser.add_argument("--percent", type=float,
                        help="fraction of channels the |γ| threshold removes (default: the preset's, else 0.4 as denseprune.py)")
    parser.add_argument("--sparsity", type=float, help="s of the L1 penalty on γ (default: the preset's)")
    parser.add_argument("--depth", type=int, help="DenseNet depth, 3n+4 (default: the preset's)")
    parser.add_argument("--growth-rate", type=int, help="growth rate k (default: the preset's)")
    args = parser.parse_args()
    recipe = apply_common_overrides(PRESETS[args.preset], args)
    for key in ("sparsity", "depth", "growth_rate"):
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    if recipe["depth"] < 7 or (recipe["depth"] - 4) % 3:
        raise SystemExit("--depth must be 3n+4")
    recipe["percent"] = args.percent if args.percent is not None else recipe.get("percent", 0.4)

    run = Run("densenet-slimming", args, recipe)
    seed = args.seed
    data = run.data(recipe["train_limit"], pad32=True)
    config = TrainingConfig(epochs=recipe["epochs"], batch_size=recipe["batch_size"], lr=recipe["lr"], momentum=0.9,
                            weight_decay=1e-4, schedule="step", augment=recipe["augment"], seed=seed)
    fine_tune = slimming_fine_tuning(config, recipe["fine_tune_epochs"])

    # 1. Baseline
    baseline = make_densenet(recipe, seed)
    run.metric("cfg.baseline", baseline.cfg())
    run.train("baseline", baseline, data, config)
    baseline_accuracy = run.evaluate("baseline", baseline, data)
    if recipe["convergence_check"]:
        run.check_convergence("baseline", baseline_accuracy, lambda: make_densenet(recipe, seed), data, config)

    # 2. Sparsity training from the same initialisation, global threshold, surgery of the selections
    sparse = make_densenet(recipe, seed)
    run.train("sparsity training", sparse, data, config, sparsity=recipe["sparsity"])
    run.evaluate("sparsity_trained", sparse, data)
    scores = {g.name: g.bn_scores() for g in sparse.channel_groups()}
    plan = global_percentile_plan(scores, recipe["percent"])
    run.metric("separation", separation(plan, scores))
    run.metric("threshold", plan.threshold)
    run.metric("kept_alive_by_floor", plan.kept_alive_by_floor)
    slim = pruned_copy(sparse, plan.kept)
    run.metric("cfg.slimmed", slim.cfg())
    run.evaluate("pruned", slim, data)
    print(f"  threshold {plan.threshold:.4g} keeps {sum(plan.kept_counts.values())} of {sum(plan.original.values())} "
          f"channels; separation {run.metrics['separation']}; kept alive by the floor: {plan.kept_alive_by_floor}; "
          f"cfg {slim.cfg()}")

    # 3. Fine-tune on the training schedule; scratch-E and scratch-B
    run.train("fine-tune", slim, data, fine_tune)
    fine_tuned_accuracy = run.evaluate("finetuned", slim, data)
    baseline_macs, _ = model_cost(baseline, data.sample_shape)
    if recipe["runs_scratch"]:
        run.scratch_baselines(lambda: make_densenet(recipe, seed + 7, like=slim), baseline_macs, data, config,
                              recipe["scratch_b_cap"])

    depth = recipe["depth"]
    run.model_row(f"DenseNet-{depth} baseline", baseline, data, baseline_accuracy)
    run.model_row(f"DenseNet-{depth} slimmed, fine-tuned", slim, data, fine_tuned_accuracy)
    run.write()


if __name__ == "__main__":
    main()
