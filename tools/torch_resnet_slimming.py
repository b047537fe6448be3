#!/usr/bin/env python3
"""PyTorch check of lab-resnet-slimming (labs/resnet-slimming): the same recipe, written independently.

    python3 tools/torch_resnet_slimming.py --preset quick          # writes tools/torch-reports/resnet-slimming.json
    python3 tools/compare_torch.py resnet-slimming                  # beside reports/resnet-slimming.json

A. Network slimming of network-slimming's pre-activation ResNet (Bottleneck blocks, channel
   selection): baseline → preresnet_baseline; sparsity training from the same initialisation
   → sparsity_trained; one global |γ| threshold over every BatchNorm (a block's bn1 scores its
   input channels through the selection, which shrinks while bn1 and the residual stream stay
   whole, as resprune.py) → pruned; fine-tuning on the training schedule → finetuned;
   scratch-E/B of the slimmed architecture, selections kept (standard and smoke presets).
B. L1-norm pruning of rethinking-network-pruning's BasicBlock ResNet (res56prune.py -v B):
   baseline → resnet_baseline; each block's first conv loses its stage's fraction of filters
   by L1 norm (skipped convs stay whole) → resnet_l1_pruned; lr/100 for E/4 epochs →
   resnet_l1_finetuned.
"""
from __future__ import annotations

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_common import (ChannelGroup, ChannelSelection, Run, TrainingConfig, common_parser,
                          apply_common_overrides, global_percentile_plan, kaiming_normal_fan_out, l1_fine_tuning,
                          model_cost, pruned_copy, ratio_plan, scaled_width, separation, slimming_fine_tuning)

# labs/resnet-slimming/Options.swift, Recipe.of(_:) (the full preset is CIFAR-10 and not checked here).
PRESETS = {
    "smoke": dict(depth=11, l1_depth=8, width=0.25, train_limit=1024, epochs=2, batch_size=64, lr=0.05,
                  sparsity=1e-3, augment=True, runs_scratch=True, scratch_b_cap=4, fine_tune_epochs=None),
    "quick": dict(depth=20, l1_depth=20, width=0.5, train_limit=40000, epochs=4, batch_size=64, lr=0.05,
                  sparsity=2e-3, augment=False, runs_scratch=False, scratch_b_cap=None, fine_tune_epochs=None),
    "standard": dict(depth=20, l1_depth=20, width=0.5, train_limit=40000, epochs=24, batch_size=128, lr=0.1,
                     sparsity=1e-3, augment=False, runs_scratch=True, scratch_b_cap=None, fine_tune_epochs=None,
                     scratch_warmup_epochs=1),
}


def batchnorm(channels: int, gamma: float) -> nn.BatchNorm2d:
    bn = nn.BatchNorm2d(channels)
    nn.init.constant_(bn.weight, gamma)
    nn.init.zeros_(bn.bias)
    return bn


# ---------------------------------------------------------------- A. network-slimming's PreResNet

class Bottleneck(nn.Module):
    """main = conv3(ReLU(BN3(conv2(ReLU(BN2(conv1(ReLU(select(BN1(x)))))))))); out = main +
    (downsample(x) or x). cfg = (channels selected, conv1 filters, conv2 filters)."""

    def __init__(self, in_channels: int, out_channels: int, cfg: list[int], stride: int):
        super().__init__()
        self.bn1 = batchnorm(in_channels, 0.5)
        self.select = ChannelSelection(in_channels, cfg[0])
        self.conv1 = nn.Conv2d(cfg[0], cfg[1], 1, bias=False)
        self.bn2 = batchnorm(cfg[1], 0.5)
        self.conv2 = nn.Conv2d(cfg[1], cfg[2], 3, stride=stride, padding=1, bias=False)
        self.bn3 = batchnorm(cfg[2], 0.5)
        self.conv3 = nn.Conv2d(cfg[2], out_channels, 1, bias=False)
        self.downsample = (nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)
                           if stride != 1 or in_channels != out_channels else None)
        for conv in (self.conv1, self.conv2, self.conv3, self.downsample):
            if conv is not None:
                kaiming_normal_fan_out(conv)

    def forward(self, x):
        out = self.conv1(F.relu(self.select(self.bn1(x))))
        out = self.conv2(F.relu(self.bn2(out)))
        out = self.conv3(F.relu(self.bn3(out)))
        return out + (self.downsample(x) if self.downsample is not None else x)


def preresnet_default_cfg(depth: int, width: float) -> list[int]:
    """Three numbers per block (selected, conv1, conv2) and one final (selected), scaled."""
    n = (depth - 2) // 9
    cfg, inputs = [], scaled_width(16, width)
    for planes in (scaled_width(p, width) for p in (16, 32, 64)):
        for _ in range(n):
            cfg += [inputs, planes, planes]
            inputs = planes * 4
    return cfg + [inputs]


class PreResNet(nn.Module):
    """network-slimming's models/preresnet.py at a width multiplier: a 3×3 stem, three stages of
    n = (depth−2)/9 Bottlenecks (planes 16, 32, 64 scaled; outputs ×4; stride 2 at the start of
    stages 2 and 3; a 1×1 conv shortcut where shapes change), then BN → selection → ReLU → 8×8
    average pool → Linear. Init: convs N(0, 2/(k·k·out)), every BN γ = 0.5, β = 0."""

    def __init__(self, depth: int, width: float, cfg: list[int] | None = None, in_channels: int = 1,
                 size: int = 32, classes: int = 10):
        super().__init__()
        self.depth, self.width = depth, width
        n = (depth - 2) // 9
        cfg = cfg or preresnet_default_cfg(depth, width)
        stem = scaled_width(16, width)
        self.conv1 = nn.Conv2d(in_channels, stem, 3, padding=1, bias=False)
        kaiming_normal_fan_out(self.conv1)
        channels, b = stem, 0
        for stage, planes in enumerate((16, 32, 64)):
            out = scaled_width(planes, width) * 4
            blocks = []
            for index in range(n):
                blocks.append(Bottleneck(channels, out, cfg[3 * b:3 * b + 3], 2 if stage > 0 and index == 0 else 1))
                channels, b = out, b + 1
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.bn = batchnorm(channels, 0.5)
        self.select = ChannelSelection(channels, cfg[-1])
        self.positions = (size // 32) ** 2
        self.fc = nn.Linear(cfg[-1] * self.positions, classes)

    def blocks(self) -> list[tuple[str, Bottleneck]]:
        return [(f"layer{s}.{i}", block) for s in (1, 2, 3) for i, block in enumerate(getattr(self, f"layer{s}"))]

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.conv1(x))))
        x = F.relu(self.select(self.bn(x)))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))

    def cfg(self) -> list[int]:
        cfg = []
        for _, block in self.blocks():
            cfg += [block.select.indices.numel(), block.conv1.out_channels, block.conv2.out_channels]
        return cfg + [self.select.indices.numel()]

    def channel_groups(self) -> list[ChannelGroup]:
        """As the lab: per block, the channels its selection keeps (scored by bn1's γ; conv1's
        input channels go with them), conv1's filters (bn2, conv2's inputs), conv2's filters
        (bn3, conv3's inputs); and the final selection (the final bn's γ; fc's columns)."""
        groups = []
        for name, block in self.blocks():
            groups += [ChannelGroup(f"{name}.select", bn=block.bn1, selection=block.select,
                                    consumers=[(block.conv1, 1)]),
                       ChannelGroup(f"{name}.conv1", producer=block.conv1, bn=block.bn2, consumers=[(block.conv2, 1)]),
                       ChannelGroup(f"{name}.conv2", producer=block.conv2, bn=block.bn3, consumers=[(block.conv3, 1)])]
        groups.append(ChannelGroup("select", bn=self.bn, selection=self.select, consumers=[(self.fc, self.positions)]))
        return groups


def make_preresnet(recipe: dict, seed: int, like: PreResNet | None = None) -> PreResNet:
    """A fresh PreResNet; `like`: the architecture of a pruned one, its selections kept (the
    lab's reinitialized(seed:), rethinking-network-pruning's main_E/main_B)."""
    torch.manual_seed(seed)
    model = PreResNet(recipe["depth"], recipe["width"], cfg=like.cfg() if like is not None else None)
    if like is not None:
        for target, source in zip(model.modules(), like.modules()):
            if isinstance(target, ChannelSelection):
                target.indices = source.indices.clone()
    return model


# ---------------------------------------------------------------- B. the BasicBlock ResNet of L1-norm pruning

class ZeroPaddingShortcut(nn.Module):
    """Option A: average-pool by the stride, then zero channels up to the output width. The
    reference (downsample_basic_block) builds it from x.data, which stops the gradient; the
    lab passes the true gradient, and so does this (it follows the lab)."""

    def __init__(self, out_channels: int, stride: int):
        super().__init__()
        self.out_channels, self.stride = out_channels, stride

    def forward(self, x):
        x = F.avg_pool2d(x, self.stride)
        return F.pad(x, (0, 0, 0, 0, 0, self.out_channels - x.shape[1]))


class BasicBlock(nn.Module):
    """out = ReLU(BN2(conv2(ReLU(BN1(conv1(x))))) + shortcut(x)); conv1 maps to `inner` (the cfg entry)."""

    def __init__(self, in_channels: int, inner: int, out_channels: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, inner, 3, stride=stride, padding=1, bias=False)
        self.bn1 = batchnorm(inner, 1.0)
        self.conv2 = nn.Conv2d(inner, out_channels, 3, padding=1, bias=False)
        self.bn2 = batchnorm(out_channels, 1.0)
        kaiming_normal_fan_out(self.conv1)
        kaiming_normal_fan_out(self.conv2)
        self.shortcut = (ZeroPaddingShortcut(out_channels, stride)
                         if stride != 1 or in_channels != out_channels else None)

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (self.shortcut(x) if self.shortcut is not None else x))


class ResNet(nn.Module):
    """rethinking-network-pruning's l1-norm-pruning models/resnet.py at a width multiplier:
    stem conv → BN → ReLU, three stages of n = (depth−2)/6 BasicBlocks (16, 32, 64 scaled),
    8×8 average pool, Linear. Init: convs N(0, 2/(k·k·out)), BN γ = 1, β = 0."""

    def __init__(self, depth: int, width: float, cfg: list[int] | None = None, in_channels: int = 1,
                 size: int = 32, classes: int = 10):
        super().__init__()
        n = (depth - 2) // 6
        widths = [scaled_width(w, width) for w in (16, 32, 64)]
        cfg = cfg or [w for w in widths for _ in range(n)]
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False)
        kaiming_normal_fan_out(self.conv1)
        self.bn1 = batchnorm(widths[0], 1.0)
        channels = widths[0]
        for stage, out in enumerate(widths):
            blocks = []
            for index in range(n):
                blocks.append(BasicBlock(channels, cfg[stage * n + index], out, 2 if stage > 0 and index == 0 else 1))
                channels = out
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(channels * (size // 32) ** 2, classes)

    def blocks(self) -> list[tuple[str, BasicBlock]]:
        return [(f"layer{s}.{i}", block) for s in (1, 2, 3) for i, block in enumerate(getattr(self, f"layer{s}"))]

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))

    def cfg(self) -> list[int]:
        return [block.conv1.out_channels for _, block in self.blocks()]

    def channel_groups(self) -> list[ChannelGroup]:
        """One per block: its first conv's filters, bn1, and conv2's input channels."""
        return [ChannelGroup(f"{name}.conv1", producer=block.conv1, bn=block.bn1, consumers=[(block.conv2, 1)])
                for name, block in self.blocks()]


def make_resnet(recipe: dict, seed: int) -> ResNet:
    torch.manual_seed(seed)
    return ResNet(recipe["l1_depth"], recipe["width"])


def l1_fractions(resnet: ResNet, depth: int, ratios: list[float], skipped: set[int]) -> dict[str, float]:
    """Block b's first conv is conv 2b+2 in res56prune.py's numbering (the stem is 1); it loses
    its stage's fraction unless skipped. The stage is b // n here; res56prune.py hard-codes the
    ResNet-56 boundaries (layer_id ≤ 18, ≤ 36), the same for depth 56 (the lab generalises)."""
    n = (depth - 2) // 6
    return {group.name: ratios[b // n] for b, group in enumerate(resnet.channel_groups()) if 2 * b + 2 not in skipped}


def main():
    parser = common_parser("PyTorch check of lab-resnet-slimming.")
    parser.add_argument("--percent", type=float, default=0.4, help="fraction of channels the |γ| threshold removes")
    parser.add_argument("--sparsity", type=float, help="s of the L1 penalty on γ (default: the preset's)")
    parser.add_argument("--width", type=float, help="width multiplier of both ResNets (default: the preset's)")
    parser.add_argument("--depth", type=int, help="PreResNet depth, 9n+2")
    parser.add_argument("--l1-depth", type=int, help="BasicBlock ResNet depth, 6n+2")
    parser.add_argument("--l1-ratios", default="0.6,0.3,0.1", help="fraction of first-conv filters removed per stage")
    parser.add_argument("--l1-skip", help="convs left whole, res56prune.py numbering (default: 56's B list for depth 56)")
    parser.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None,
                        help="random crop and flip (default: the preset's; quick trains without). Not a lab option.")
    args = parser.parse_args()
    recipe = apply_common_overrides(PRESETS[args.preset], args)
    for key in ("sparsity", "width", "depth", "l1_depth", "augment"):
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    if (recipe["depth"] - 2) % 9 or (recipe["l1_depth"] - 2) % 6:
        raise SystemExit("--depth must be 9n+2 and --l1-depth 6n+2")
    ratios = [float(r) for r in args.l1_ratios.split(",")]
    skipped = ({int(c) for c in args.l1_skip.split(",")} if args.l1_skip
               else ({16, 18, 20, 34, 38, 54} if recipe["l1_depth"] == 56 else set()))
    recipe.update(percent=args.percent, l1_ratios=ratios, l1_skip=sorted(skipped))

    run = Run("resnet-slimming", args, recipe)
    seed = args.seed
    data = run.data(recipe["train_limit"], pad32=True)
    config = TrainingConfig(epochs=recipe["epochs"], batch_size=recipe["batch_size"], lr=recipe["lr"], momentum=0.9,
                            weight_decay=1e-4, schedule="step", augment=recipe["augment"], seed=seed)
    slimming_ft = slimming_fine_tuning(config, recipe["fine_tune_epochs"])
    l1_ft = l1_fine_tuning(config, recipe["fine_tune_epochs"])

    # A1. Baseline PreResNet
    baseline = make_preresnet(recipe, seed)
    run.metric("cfg.preresnet_baseline", baseline.cfg())
    run.train("PreResNet baseline", baseline, data, config)
    baseline_accuracy = run.evaluate("preresnet_baseline", baseline, data)
    if recipe["convergence_check"]:
        run.check_convergence("preresnet_baseline", baseline_accuracy, lambda: make_preresnet(recipe, seed), data, config)

    # A2. Sparsity training from the same initialisation, global threshold, surgery
    sparse = make_preresnet(recipe, seed)
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
          f"channels; separation {run.metrics['separation']}; kept alive by the floor: {plan.kept_alive_by_floor}")

    # A3. Fine-tune on the training schedule; scratch-E and scratch-B
    run.train("fine-tune", slim, data, slimming_ft)
    fine_tuned_accuracy = run.evaluate("finetuned", slim, data)
    baseline_macs, _ = model_cost(baseline, data.sample_shape)
    if recipe["runs_scratch"]:
        run.scratch_baselines(lambda: make_preresnet(recipe, seed + 7, like=slim), baseline_macs, data, config,
                              recipe["scratch_b_cap"], recipe.get("scratch_warmup_epochs", 0))

    # B1. BasicBlock ResNet and L1-norm pruning
    resnet = make_resnet(recipe, seed)
    run.train("ResNet baseline", resnet, data, config)
    resnet_accuracy = run.evaluate("resnet_baseline", resnet, data)
    if recipe["convergence_check"]:
        run.check_convergence("resnet_baseline", resnet_accuracy, lambda: make_resnet(recipe, seed), data, config)
    groups = resnet.channel_groups()
    l1_plan = ratio_plan(l1_fractions(resnet, recipe["l1_depth"], ratios, skipped),
                         {g.name: g.l1_scores() for g in groups})
    l1_pruned = pruned_copy(resnet, l1_plan.kept)
    run.metric("cfg.resnet_l1", l1_pruned.cfg())
    run.evaluate("resnet_l1_pruned", l1_pruned, data)
    run.train("ResNet L1 fine-tune", l1_pruned, data, l1_ft)
    l1_accuracy = run.evaluate("resnet_l1_finetuned", l1_pruned, data)

    depth, l1_depth = recipe["depth"], recipe["l1_depth"]
    run.model_row(f"PreResNet-{depth} baseline", baseline, data, baseline_accuracy)
    run.model_row(f"PreResNet-{depth} slimmed, fine-tuned", slim, data, fine_tuned_accuracy)
    run.model_row(f"ResNet-{l1_depth} baseline", resnet, data, resnet_accuracy)
    run.model_row(f"ResNet-{l1_depth} L1-pruned, fine-tuned", l1_pruned, data, l1_accuracy)
    run.write()


if __name__ == "__main__":
    main()
