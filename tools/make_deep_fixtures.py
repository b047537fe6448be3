#!/usr/bin/env python3
"""Writes the PyTorch fixtures for the deep models (VGG, ResNet, PreResNet).

Run from the repository root:  python3 tools/make_deep_fixtures.py

Each fixture records one training step of a small model on a tiny batch, so the Swift
tests can check forward, backward and one SGD step number for number:
the initial state (parameters and BatchNorm buffers, by state-dict name), the input and
labels, the logits and loss of a training-mode forward, every parameter gradient, the
parameters after one SGD step (lr 0.1, momentum 0.9, weight decay 1e-4), the logits of a
second training-mode forward and of an eval-mode forward after the step, and the running
statistics at the end. Tensors are stored as base64 of little-endian float32, exactly.

The models below are written from the semantics of the reference implementations
(network-slimming's models/vgg.py and models/preresnet.py, rethinking-network-pruning's
cifar/l1-norm-pruning/models/resnet.py). One deliberate difference: the reference's
parameter-free shortcut builds its output from `x.data`, which stops the gradient; the
Swift layer passes the true gradient, and so does the shortcut here.

It also prints the parameter counts of the full-size references (VGG-19, ResNet-56,
PreResNet-164) that DeepModelParameterCountTests checks.
"""
import base64
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT_DIR = os.path.join(os.path.dirname(__file__), "..", "Tests", "NetworksTests", "Fixtures")
MAX_BYTES = 300_000


def scaled(width, multiplier):
    return max(1, int(round(width * multiplier)))


def kaiming_fan_out_(conv):
    n = conv.kernel_size[0] * conv.kernel_size[1] * conv.out_channels
    conv.weight.data.normal_(0, math.sqrt(2.0 / n))


# ---------------------------------------------------------------- VGG (network-slimming)

VGG_LAYOUTS = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512],
    13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512],
    19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512],
}


class VGG(nn.Module):
    def __init__(self, layout, in_channels=3, classes=10):
        super().__init__()
        modules, channels = [], in_channels
        for entry in layout:
            if entry == "M":
                modules.append(nn.MaxPool2d(2, 2))
            else:
                modules += [nn.Conv2d(channels, entry, 3, padding=1, bias=False), nn.BatchNorm2d(entry), nn.ReLU()]
                channels = entry
        self.feature = nn.Sequential(*modules)
        self.classifier = nn.Linear(channels, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_fan_out_(m)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(0.5)
                m.bias.data.zero_()
            elif isinstance(m, nn.Linear):
                m.weight.data.normal_(0, 0.01)
                m.bias.data.zero_()

    def forward(self, x):
        x = F.avg_pool2d(self.feature(x), 2)
        return self.classifier(x.flatten(1))


# ------------------------------------------- ResNet with BasicBlock (L1-norm pruning)

def zero_padding_shortcut(x, channels):
    pooled = F.avg_pool2d(x, 2, 2)
    pad = pooled.new_zeros(pooled.size(0), channels - pooled.size(1), pooled.size(2), pooled.size(3))
    return torch.cat([pooled, pad], dim=1)   # gradient flows (the reference detaches here)


class BasicBlock(nn.Module):
    def __init__(self, inputs, inner, outputs, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, inner, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(inner)
        self.conv2 = nn.Conv2d(inner, outputs, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(outputs)
        self.shortcut_channels = outputs if (stride != 1 or inputs != outputs) else None

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        residual = x if self.shortcut_channels is None else zero_padding_shortcut(x, self.shortcut_channels)
        return F.relu(out + residual)


class ResNet(nn.Module):
    def __init__(self, depth, cfg=None, multiplier=1.0, in_channels=3, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        widths = [scaled(w, multiplier) for w in (16, 32, 64)]
        cfg = cfg or [w for w in widths for _ in range(n)]
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        channels = widths[0]
        for stage, width in enumerate(widths):
            blocks = []
            for i in range(n):
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(BasicBlock(channels, cfg[stage * n + i], width, stride))
                channels = width
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.fc = nn.Linear(channels, classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_fan_out_(m)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1)
                m.bias.data.zero_()

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))


# ------------------------------------ pre-activation ResNet with Bottleneck (slimming)

class Selection(nn.Module):
    """Keeps the listed channels (network-slimming's channel_selection, with indices)."""

    def __init__(self, kept):
        super().__init__()
        self.kept = list(kept)

    def forward(self, x):
        return x[:, self.kept, :, :]


class Bottleneck(nn.Module):
    def __init__(self, inputs, planes, cfg, stride, kept):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inputs)
        self.select = Selection(kept)
        self.conv1 = nn.Conv2d(cfg[0], cfg[1], 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cfg[1])
        self.conv2 = nn.Conv2d(cfg[1], cfg[2], 3, stride=stride, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(cfg[2])
        self.conv3 = nn.Conv2d(cfg[2], planes * 4, 1, bias=False)
        self.downsample = None
        if stride != 1 or inputs != planes * 4:
            self.downsample = nn.Sequential(nn.Conv2d(inputs, planes * 4, 1, stride=stride, bias=False))

    def forward(self, x):
        out = self.conv1(F.relu(self.select(self.bn1(x))))
        out = self.conv2(F.relu(self.bn2(out)))
        out = self.conv3(F.relu(self.bn3(out)))
        return out + (x if self.downsample is None else self.downsample(x))


class PreResNet(nn.Module):
    def __init__(self, depth, cfg, selections, multiplier=1.0, in_channels=3, classes=10):
        super().__init__()
        n = (depth - 2) // 9
        stem = scaled(16, multiplier)
        self.conv1 = nn.Conv2d(in_channels, stem, 3, padding=1, bias=False)
        channels, b = stem, 0
        for stage, planes in enumerate([scaled(p, multiplier) for p in (16, 32, 64)]):
            blocks = []
            for i in range(n):
                name = f"layer{stage + 1}.{i}.select"
                kept = selections.get(name, list(range(cfg[3 * b])))
                stride = 2 if stage > 0 and i == 0 else 1
                blocks.append(Bottleneck(channels, planes, cfg[3 * b:3 * b + 3], stride, kept))
                channels, b = planes * 4, b + 1
            setattr(self, f"layer{stage + 1}", nn.Sequential(*blocks))
        self.bn = nn.BatchNorm2d(channels)
        self.select = Selection(selections.get("select", list(range(cfg[-1]))))
        self.fc = nn.Linear(cfg[-1], classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_fan_out_(m)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(0.5)
                m.bias.data.zero_()

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.conv1(x))))
        x = F.relu(self.select(self.bn(x)))
        return self.fc(F.avg_pool2d(x, 8).flatten(1))


# ------------------------------------------------------------------------ fixtures

def encode(tensor):
    array = tensor.detach().cpu().contiguous().numpy().astype("<f4")
    return base64.b64encode(array.tobytes()).decode("ascii")


def perturb_batch_norms(model, generator):
    """Random γ, β and running statistics, so every path of the comparison is exercised."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = torch.rand(c, generator=generator) + 0.5
            m.bias.data = torch.randn(c, generator=generator) * 0.1
            m.running_mean.data = torch.randn(c, generator=generator) * 0.1
            m.running_var.data = torch.rand(c, generator=generator) + 0.5


def record(name, model, meta, seed):
    generator = torch.Generator().manual_seed(seed)
    perturb_batch_norms(model, generator)
    state = {k: {"shape": list(v.shape), "data": encode(v)}
             for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    x = torch.randn(2, *meta["input_shape"], generator=generator)
    labels = torch.randint(0, meta["class_count"], (2,), generator=generator)

    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    model.train()
    optimizer.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    grads = {k: encode(p.grad) for k, p in model.named_parameters()}
    optimizer.step()
    after_step = {k: encode(p) for k, p in model.named_parameters()}
    with torch.no_grad():
        logits_after = model(x)
        loss_after = F.cross_entropy(logits_after, labels)
        model.eval()
        eval_logits = model(x)
    buffers_after = {k: encode(v) for k, v in model.state_dict().items()
                     if k.endswith("running_mean") or k.endswith("running_var")}

    fixture = dict(meta)
    fixture.update({
        "input": {"shape": list(x.shape), "data": encode(x)},
        "labels": labels.tolist(),
        "state": state,
        "logits": encode(logits),
        "loss": loss.item(),
        "grads": grads,
        "after_step": after_step,
        "logits_after_step": encode(logits_after),
        "loss_after_step": loss_after.item(),
        "eval_logits_after_step": encode(eval_logits),
        "buffers_after": buffers_after,
    })
    text = json.dumps(fixture, separators=(",", ":"))
    assert len(text) < MAX_BYTES, f"{name} fixture is {len(text)} bytes, over {MAX_BYTES}"
    path = os.path.join(OUT_DIR, name)
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        f.write(text)
    os.replace(temporary, path)
    count = sum(p.numel() for p in model.parameters())
    print(f"{name}: {count} parameters, {len(text)} bytes, loss {loss.item():.6f}")


def main():
    torch.manual_seed(0)

    multiplier = 0.03125
    layout = [e if e == "M" else scaled(e, multiplier) for e in VGG_LAYOUTS[11]]
    record("deep_vgg11.json", VGG(layout),
           {"model": "vgg", "depth": 11, "width_multiplier": multiplier, "cfg": [e for e in layout if e != "M"],
            "input_shape": [3, 32, 32], "class_count": 10}, seed=11)

    resnet_cfg = [3, 4, 6, 8, 12, 16]
    record("deep_resnet14.json", ResNet(14, cfg=resnet_cfg, multiplier=0.25),
           {"model": "resnet", "depth": 14, "width_multiplier": 0.25, "cfg": resnet_cfg,
            "input_shape": [3, 32, 32], "class_count": 10}, seed=14)

    # PreResNet-11 at width 0.25 has 4 stem channels and outputs 16, 32, 64 per stage; the
    # selections keep a seeded subset of each, so ChannelSelection is part of the check.
    pre_cfg = [3, 4, 3, 12, 8, 5, 24, 16, 10, 50]
    generator = np.random.default_rng(7)
    selections = {}
    for name, total, kept in [("layer1.0.select", 4, 3), ("layer2.0.select", 16, 12),
                              ("layer3.0.select", 32, 24), ("select", 64, 50)]:
        selections[name] = sorted(generator.choice(total, kept, replace=False).tolist())
    record("deep_preresnet11.json", PreResNet(11, pre_cfg, selections, multiplier=0.25),
           {"model": "preresnet", "depth": 11, "width_multiplier": 0.25, "cfg": pre_cfg,
            "selections": selections, "input_shape": [3, 32, 32], "class_count": 10}, seed=110)

    # Full-size parameter counts (network-slimming counts its channel_selection `indexes`
    # as parameters too; they are a mask, not weights, and are listed separately).
    vgg19 = VGG(VGG_LAYOUTS[19])
    resnet56 = ResNet(56)
    pre164 = PreResNet(164, _preresnet_default_cfg(164), {})
    selection_entries = sum(b.bn1.num_features for layer in (pre164.layer1, pre164.layer2, pre164.layer3)
                            for b in layer) + pre164.bn.num_features
    for name, model in [("VGG-19", vgg19), ("ResNet-56", resnet56), ("PreResNet-164", pre164)]:
        print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters")
    print(f"PreResNet-164 channel_selection indexes (counted by the reference): {selection_entries}")


def _preresnet_default_cfg(depth):
    n = (depth - 2) // 9
    cfg = [[16, 16, 16], [64, 16, 16] * (n - 1), [64, 32, 32], [128, 32, 32] * (n - 1),
           [128, 64, 64], [256, 64, 64] * (n - 1), [256]]
    return [x for part in cfg for x in part]


if __name__ == "__main__":
    main()
