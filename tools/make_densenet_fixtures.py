#!/usr/bin/env python3
"""Writes the PyTorch fixture for DenseNet (Tests/NetworksTests/Fixtures/deep_densenet10.json).

Run from the repository root:  python3 tools/make_densenet_fixtures.py

The fixture is one training step of a small DenseNet, recorded exactly as the other deep
models' (see make_deep_fixtures.py, whose `record` writes it): forward, loss, every gradient,
one SGD step, the logits after it in training and eval mode, and the running statistics.

The model is written from the semantics of network-slimming's models/densenet.py (no
bottleneck, compression 1, no dropout): a 3×3 stem conv to 2k channels; three dense blocks of
n layers, each BN → channel selection → ReLU → 3×3 conv to k channels, concatenated after its
input; transitions BN → selection → ReLU → 1×1 conv (as many channels as come in) → 2×2
average pool; then BN → selection → ReLU → 8×8 average pool → Linear. The selections keep a
seeded subset of their channels, so ChannelSelection is part of the check.

It also prints the parameter count of the full-size DenseNet-40 (k = 12) on CIFAR-10 shapes
that DeepModelStructureTests checks, with and without the reference's channel-selection flags.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from make_deep_fixtures import Selection, kaiming_fan_out_, record  # noqa: E402


def default_cfg(depth, growth):
    """Channels reaching each selection, block by block: n dense layers, then the transition."""
    n = (depth - 4) // 3
    cfg, channels = [], 2 * growth
    for _ in range(3):
        cfg += [channels + growth * i for i in range(n + 1)]
        channels += growth * n
    return cfg


class DenseLayer(nn.Module):
    def __init__(self, inputs, growth, kept):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inputs)
        self.select = Selection(kept)
        self.conv1 = nn.Conv2d(len(kept), growth, 3, padding=1, bias=False)

    def forward(self, x):
        return torch.cat([x, self.conv1(F.relu(self.select(self.bn1(x))))], dim=1)


class Transition(nn.Module):
    def __init__(self, inputs, outputs, kept):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inputs)
        self.select = Selection(kept)
        self.conv1 = nn.Conv2d(len(kept), outputs, 1, bias=False)

    def forward(self, x):
        return F.avg_pool2d(self.conv1(F.relu(self.select(self.bn1(x)))), 2)


class DenseNet(nn.Module):
    def __init__(self, depth, growth, selections, in_channels=3, classes=10):
        super().__init__()
        n = (depth - 4) // 3
        full = default_cfg(depth, growth)
        self.conv1 = nn.Conv2d(in_channels, 2 * growth, 3, padding=1, bias=False)
        channels = 2 * growth
        for stage in range(3):
            layers = []
            for i in range(n):
                kept = selections.get(f"dense{stage + 1}.{i}.select", list(range(full[stage * (n + 1) + i])))
                layers.append(DenseLayer(channels, growth, kept))
                channels += growth
            setattr(self, f"dense{stage + 1}", nn.Sequential(*layers))
            if stage < 2:
                kept = selections.get(f"trans{stage + 1}.select", list(range(channels)))
                setattr(self, f"trans{stage + 1}", Transition(channels, channels, kept))
        self.bn = nn.BatchNorm2d(channels)
        self.select = Selection(selections.get("select", list(range(channels))))
        self.fc = nn.Linear(len(self.select.kept), classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_fan_out_(m)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(0.5)
                m.bias.data.zero_()

    def forward(self, x):
        x = self.trans1(self.dense1(self.conv1(x)))
        x = self.trans2(self.dense2(x))
        x = F.relu(self.select(self.bn(self.dense3(x))))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))


def main():
    torch.manual_seed(0)

    # DenseNet-10 with growth rate 4: 8 stem channels, two layers per block (8 → 16, 16 → 24,
    # 24 → 32 channels). Every selection keeps a seeded subset of about three quarters.
    depth, growth = 10, 4
    n = (depth - 4) // 3
    full = default_cfg(depth, growth)
    names = [f"dense{s + 1}.{i}.select" for s in range(3) for i in range(n)]
    names = names[:n] + ["trans1.select"] + names[n:2 * n] + ["trans2.select"] + names[2 * n:] + ["select"]
    generator = np.random.default_rng(10)
    selections, cfg = {}, []
    for name, total in zip(names, full):
        kept = max(1, math.ceil(total * 3 / 4))
        selections[name] = sorted(generator.choice(total, kept, replace=False).tolist())
        cfg.append(kept)
    record("deep_densenet10.json", DenseNet(depth, growth, selections),
           {"model": "densenet", "depth": depth, "growth_rate": growth, "width_multiplier": growth / 12,
            "cfg": cfg, "selections": selections, "input_shape": [3, 32, 32], "class_count": 10}, seed=40)

    # DenseNet-40 (k = 12) on CIFAR-10: the parameter count of the paper's 1.06M. The
    # reference's channel_selection also registers an `indexes` vector per selection.
    reference = DenseNet(40, 12, {})
    weights = sum(p.numel() for p in reference.parameters())
    flags = sum(default_cfg(40, 12))  # one flag per channel reaching each selection
    print(f"DenseNet-40 (k = 12): {weights} parameters; {weights + flags} with the channel_selection indexes")


if __name__ == "__main__":
    main()
