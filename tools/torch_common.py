"""Shared helpers of the PyTorch checks of PruneLab's labs (tools/torch_<lab>.py).

Each check runs its lab's recipe again in PyTorch, written independently of the Swift code,
and writes the stage accuracies as JSON with the lab's own keys (`accuracy.baseline`, …), so
`tools/compare_torch.py` can print the two side by side. This module holds what every lab
shares, each piece mirroring one part of the Swift code:

- data: `Datasets/DatasetLoader.swift` (IDX files, statistics of the whole training split,
  stratified `trainLimit`, zero-padding to 32×32) and `LabeledImages+Batches.swift`
  (random crop with 4 black pixels and horizontal flip);
- training: `Networks/Training` (SGD as torch.optim.SGD, the step schedule with its
  floor-and-skip-zero milestones, evaluation after every epoch) and the slimming penalty
  (`Pruning/SparsityPenalty.swift`);
- structure: channel groups and the one surgery (`Pruning/Structured`), plans (keep the best
  k, global percentile threshold with a floor of one channel, per-group ratios), MACs and
  parameters (`Pruning/Cost/ModelCost.swift`: Conv2d and Linear MACs only);
- protocols: scratch-E/B and the fine-tuning budgets (`LabKit/Protocols.swift`);
- the run record: one JSON per run, keys as the lab's report JSON.

Random numbers (initialisation, shuffling, augmentation) come from PyTorch, so the two
frameworks agree in distribution, not number for number: compare within the seed spread.
Needs `pip install torch` and numpy; not run in CI.
"""
from __future__ import annotations

import argparse
import copy
import gzip
import json
import math
import os
import platform
import sys
import time
from dataclasses import dataclass, field, replace

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
DEFAULT_OUTPUT_DIR = os.path.join(PACKAGE_ROOT, "tools", "torch-reports")
PRESETS = ("smoke", "quick", "standard")


# ---------------------------------------------------------------- data

def read_idx(path: str) -> np.ndarray:
    """An IDX file of unsigned bytes (gzip or raw): images [N, rows, cols] or labels [N]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    dims = magic & 0xFF
    if magic >> 8 != 0x08 or dims not in (1, 3):
        raise SystemExit(f"{path} is not an IDX file of unsigned bytes (magic {magic:#x})")
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def locate_idx(directory: str, name: str) -> str:
    """`name.gz` if present, else `name`, as the Swift loader does."""
    for candidate in (os.path.join(directory, name + ".gz"), os.path.join(directory, name)):
        if os.path.exists(candidate):
            return candidate
    raise SystemExit(f"missing {os.path.join(directory, name)}.gz: install Debian's dataset-fashion-mnist "
                     f"or pass --data-dir")


def stratified_indices(labels: np.ndarray, count: int, classes: int = 10) -> list[int]:
    """The lab's stratified subset: walking the split in order, take each sample while its
    class is under its quota (count/classes, the first count%classes classes one more); top
    up in order if a class runs short; return the indices in their original order."""
    count = min(count, len(labels))
    quota = [count // classes + (1 if c < count % classes else 0) for c in range(classes)]
    taken = np.zeros(len(labels), dtype=bool)
    chosen = 0
    for index, label in enumerate(labels):
        if chosen >= count:
            break
        if quota[label] > 0:
            quota[label] -= 1
            taken[index] = True
            chosen += 1
    for index in range(len(labels)):
        if chosen >= count:
            break
        if not taken[index]:
            taken[index] = True
            chosen += 1
    return np.flatnonzero(taken).tolist()


@dataclass
class Data:
    train_x: torch.Tensor  # [N, 1, H, W], normalised (and padded)
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    fill: float            # what a black pixel becomes after normalisation (crop padding)
    mean: float
    std: float

    @property
    def sample_shape(self) -> list[int]:
        return list(self.train_x.shape[1:])


def load_fashion_mnist(data_dir: str, train_limit: int | None, pad32: bool) -> Data:
    """Fashion-MNIST as the labs load it: mean and (population) std of x/255 measured on the
    whole 60,000-image training split, then the stratified first `train_limit` training
    images; the whole test set; 2 black pixels on each side for the 32×32 models (padding
    before normalising, as torchvision's Pad then Normalize)."""
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    train_images, train_labels, test_images, test_labels = (read_idx(locate_idx(data_dir, n)) for n in names)
    scaled = train_images.astype(np.float64) / 255
    mean, std = float(scaled.mean()), float(scaled.std())
    if train_limit is not None:
        keep = stratified_indices(train_labels, train_limit)
        train_images, train_labels = train_images[keep], train_labels[keep]

    def tensor(images: np.ndarray) -> torch.Tensor:
        x = torch.from_numpy(images.astype(np.float32) / 255).unsqueeze(1)
        if pad32:
            x = F.pad(x, (2, 2, 2, 2))
        return (x - mean) / std

    return Data(tensor(train_images), torch.from_numpy(train_labels.astype(np.int64)),
                tensor(test_images), torch.from_numpy(test_labels.astype(np.int64)),
                fill=-mean / std, mean=mean, std=std)


def random_crop_flip(x: torch.Tensor, fill: float, generator: torch.Generator, padding: int = 4) -> torch.Tensor:
    """torchvision's RandomCrop(size, padding=4) then RandomHorizontalFlip(), per image of a
    batch, with the padding's black at its normalised value: out(y, x) = in(y+dy, x+dx) for
    dy, dx uniform in −4…4, read from column W−1−x instead when flipped (p = ½)."""
    n, c, h, w = x.shape
    padded = x.new_full((n, c, h + 2 * padding, w + 2 * padding), fill)
    padded[:, :, padding:padding + h, padding:padding + w] = x
    dy = torch.randint(0, 2 * padding + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * padding + 1, (n,), generator=generator)
    flip = torch.randint(0, 2, (n,), generator=generator).bool()
    rows = dy[:, None] + torch.arange(h)
    cols = dx[:, None] + torch.arange(w)
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    out = padded[torch.arange(n)[:, None, None], :, rows[:, :, None], cols[:, None, :]]  # [n, h, w, c]
    return out.permute(0, 3, 1, 2).contiguous()


# ---------------------------------------------------------------- widths and initialisation

def scaled_width(width: int, multiplier: float) -> int:
    """A width times the multiplier, rounded half away from zero (Swift's rounded()), at least 1."""
    return max(1, int(math.floor(width * multiplier + 0.5)))


def kaiming_normal_fan_out(conv: nn.Conv2d) -> None:
    """The reference repos' conv initialisation: N(0, 2 / (k·k·out))."""
    k = conv.kernel_size[0] * conv.kernel_size[1]
    nn.init.normal_(conv.weight, 0.0, math.sqrt(2.0 / (k * conv.out_channels)))


# ---------------------------------------------------------------- training

@dataclass
class TrainingConfig:
    """One training stage, as the lab's TrainingConfig (the optimiser is torch.optim.SGD)."""
    epochs: int
    batch_size: int
    lr: float
    momentum: float = 0.9
    weight_decay: float = 0.0
    schedule: str = "constant"  # "constant" or "step" (÷10 at 50 % and 75 % of the epochs)
    augment: bool = False
    seed: int = 1
    warmup_epochs: int = 0  # the rate rises linearly, step by step, over these epochs (the lab's warmupEpochs)

    def fine_tuning(self, epochs: int, lr: float | None = None) -> "TrainingConfig":
        """The same settings for `epochs` epochs, at `lr` if given (the lab's fineTuning(epochs:learningRate:))."""
        return replace(self, epochs=epochs, lr=self.lr if lr is None else lr)

    def describe(self) -> str:
        schedule = ", ÷10 at 50 % and 75 %" if self.schedule == "step" else ""
        return (f"{self.epochs} epoch(s), lr {self.lr:g}{schedule}, batch {self.batch_size}, momentum {self.momentum:g}, "
                f"wd {self.weight_decay:g}{', crop+flip' if self.augment else ''}")


def learning_rate(config: TrainingConfig, epoch: int) -> float:
    """The rate of `epoch` (0-based). The step schedule is the lab's: milestones ⌊E·0.5⌋ and
    ⌊E·0.75⌋, a milestone that rounds to epoch 0 skipped. network-slimming's main.py instead
    tests `epoch in [E*0.5, E*0.75]` on floats, so it drops at E·0.75 only when that is a
    whole number (E = 10: once, at 5; the lab: at 5 and 7; E = 2: ref ×0.1 at 1, lab ×0.01 at 1);
    rethinking-network-pruning's main_B.py uses int() as the lab. This script follows the lab."""
    if config.schedule == "constant":
        return config.lr
    passed = sum(1 for fraction in (0.5, 0.75)
                 if int(config.epochs * fraction) > 0 and epoch >= int(config.epochs * fraction))
    return config.lr * 0.1 ** passed


def add_batchnorm_l1_gradient(model: nn.Module, strength: float) -> None:
    """network-slimming's updateBN: ∂L/∂γ += s·sign(γ) for every BatchNorm, after backward."""
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.weight.grad.add_(strength * torch.sign(module.weight.detach()))


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 500) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) in eval mode."""
    was_training = model.training
    model.eval()
    loss_sum, correct = 0.0, 0
    for start in range(0, len(y), batch_size):
        logits = model(x[start:start + batch_size])
        target = y[start:start + batch_size]
        loss_sum += F.cross_entropy(logits, target, reduction="sum").item()
        correct += (logits.argmax(1) == target).sum().item()
    model.train(was_training)
    return loss_sum / len(y), correct / len(y)


class TrainingDiverged(Exception):
    pass


def fit(model: nn.Module, data: Data, config: TrainingConfig, label: str, sparsity: float | None = None,
        masks: list[tuple[nn.Parameter, torch.Tensor]] | None = None, quiet: bool = False) -> list[dict]:
    """Trains for `config.epochs` epochs with a new SGD (weight decay on every parameter, as
    torch.optim.SGD and the lab), evaluates on the whole test set after each epoch and
    returns the history. `sparsity`: network slimming's penalty s. `masks`: (weight, mask)
    pairs of unstructured pruning — the gradient is masked before the step and the weight
    after it, as the lab's SGD."""
    optimizer = torch.optim.SGD(model.parameters(), lr=config.lr, momentum=config.momentum,
                                weight_decay=config.weight_decay)
    history = []
    n = len(data.train_y)
    steps_per_epoch = (n + config.batch_size - 1) // config.batch_size
    warmup_steps = config.warmup_epochs * steps_per_epoch
    for epoch in range(config.epochs):
        rate = learning_rate(config, epoch)
        for group in optimizer.param_groups:
            group["lr"] = rate
        shuffle = torch.Generator().manual_seed(config.seed + epoch * 1_000_003)
        augmenter = torch.Generator().manual_seed((config.seed + epoch * 1_000_003) ^ 0xA06DE17A)
        order = torch.randperm(n, generator=shuffle)
        model.train()
        start, loss_sum, correct = time.time(), 0.0, 0
        for first in range(0, n, config.batch_size):
            steps_so_far = epoch * steps_per_epoch + first // config.batch_size
            if steps_so_far < warmup_steps:
                for group in optimizer.param_groups:
                    group["lr"] = rate * (steps_so_far + 1) / warmup_steps
            elif steps_so_far == warmup_steps and warmup_steps > 0:
                for group in optimizer.param_groups:
                    group["lr"] = rate
            index = order[first:first + config.batch_size]
            x, y = data.train_x[index], data.train_y[index]
            if config.augment:
                x = random_crop_flip(x, data.fill, augmenter)
            optimizer.zero_grad(set_to_none=False)
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            if not torch.isfinite(loss):
                raise TrainingDiverged(f"stage '{label}': the loss became {loss.item()} at epoch {epoch + 1}; "
                                       f"try a lower --lr")
            loss.backward()
            if sparsity:
                add_batchnorm_l1_gradient(model, sparsity)
            if masks:
                for weight, mask in masks:
                    weight.grad.mul_(mask)
            optimizer.step()
            if masks:
                with torch.no_grad():
                    for weight, mask in masks:
                        weight.mul_(mask)
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
        seconds = time.time() - start
        test_loss, test_accuracy = evaluate(model, data.test_x, data.test_y)
        record = {"epoch": epoch + 1, "learning_rate": rate, "train_loss": loss_sum / n, "train_accuracy": correct / n,
                  "test_loss": test_loss, "test_accuracy": test_accuracy, "seconds": seconds}
        history.append(record)
        if not quiet:
            print(f"{label} epoch {epoch + 1}/{config.epochs}  lr {rate:.4g}  train loss {record['train_loss']:.4f} "
                  f"acc {100 * record['train_accuracy']:.2f}%  test loss {test_loss:.4f} acc {100 * test_accuracy:.2f}%  "
                  f"{seconds:.1f}s", flush=True)
    return history


# ---------------------------------------------------------------- protocols (LabKit/Protocols.swift)

def scratch_b_epochs(baseline_epochs: int, baseline_macs: int, pruned_macs: int, cap: int | None) -> tuple[int, int]:
    """(epochs, uncapped): ⌊E · MACs(baseline)/MACs(pruned)⌋, never below E
    (rethinking-network-pruning's CIFAR main_B.py, which counts FLOPs with BN, ReLU and
    pooling too; the lab counts conv and Linear MACs). A cap bounds it, never below E."""
    ratio = baseline_macs / max(pruned_macs, 1)
    uncapped = max(baseline_epochs, int(math.floor(baseline_epochs * ratio)))
    epochs = min(uncapped, max(cap, baseline_epochs)) if cap is not None else uncapped
    return epochs, uncapped


def l1_fine_tuning(training: TrainingConfig, epochs: int | None = None) -> TrainingConfig:
    """Li et al. / rethinking-network-pruning: a constant hundredth of the training rate for a
    quarter of the training epochs (at least one); the rest of the settings as training."""
    return replace(training, epochs=epochs or max(1, training.epochs // 4), lr=training.lr / 100, schedule="constant")


def slimming_fine_tuning(training: TrainingConfig, epochs: int | None = None) -> TrainingConfig:
    """network-slimming's --refine: the training schedule and rate for the training's epochs."""
    return training.fine_tuning(epochs or training.epochs)


# ---------------------------------------------------------------- channel groups and surgery

class ChannelSelection(nn.Module):
    """network-slimming's channel_selection: passes on the channels in `indices`. The indices
    are a buffer here (the reference keeps an nn.Parameter without gradient; the lab counts
    no parameters for it, and neither does this)."""

    def __init__(self, channels: int, kept: int | None = None):
        super().__init__()
        self.channels = channels
        self.register_buffer("indices", torch.arange(channels if kept is None else kept))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.indices.numel() == x.shape[1]:
            return x
        return x.index_select(1, self.indices)


@dataclass
class ChannelGroup:
    """Every tensor slice that goes with one set of channels, as the lab's ChannelGroup:
    the producer's output rows (conv filters or Linear rows, with bias), its BatchNorm's four
    vectors, the consumers' input slices (Conv2d input channels, or Linear columns in blocks
    of `block` behind a flatten) — or, for a selection group, the selection's indices (the
    BatchNorm stays whole: it is on the residual stream)."""
    name: str
    producer: nn.Module | None = None
    bn: nn.BatchNorm2d | None = None
    selection: ChannelSelection | None = None
    consumers: list[tuple[nn.Module, int]] = field(default_factory=list)

    @property
    def channel_count(self) -> int:
        if self.selection is not None:
            return self.selection.indices.numel()
        return self.producer.weight.shape[0]

    def bn_scores(self) -> torch.Tensor | None:
        """|γ| of each channel (through the selection for a selection group)."""
        if self.bn is None:
            return None
        gamma = self.bn.weight.detach().abs()
        return gamma[self.selection.indices] if self.selection is not None else gamma.clone()

    def l1_scores(self) -> torch.Tensor | None:
        """Σ|W| of each filter or neuron (row of the producer's weight); None for a selection."""
        if self.producer is None:
            return None
        w = self.producer.weight.detach()
        return w.abs().reshape(w.shape[0], -1).sum(1)


def _replace_parameter(module: nn.Module, name: str, value: torch.Tensor) -> None:
    setattr(module, name, nn.Parameter(value.detach().clone()))


def apply_surgery(groups: list[ChannelGroup], plan: dict[str, list[int]]) -> None:
    """The one surgery: for each group named in `plan`, keep the listed positions (increasing)
    of every slice and drop the rest, in place."""
    by_name = {g.name: g for g in groups}
    for name, kept in plan.items():
        group = by_name[name]
        if not kept:
            raise ValueError(f"group {name} would keep no channel")
        if len(kept) == group.channel_count:
            continue
        index = torch.tensor(kept, dtype=torch.long)
        if group.selection is not None:
            group.selection.indices = group.selection.indices[index].clone()
        else:
            producer = group.producer
            _replace_parameter(producer, "weight", producer.weight[index])
            if producer.bias is not None:
                _replace_parameter(producer, "bias", producer.bias[index])
            if isinstance(producer, nn.Conv2d):
                producer.out_channels = len(kept)
            else:
                producer.out_features = len(kept)
            if group.bn is not None:
                bn = group.bn
                _replace_parameter(bn, "weight", bn.weight[index])
                _replace_parameter(bn, "bias", bn.bias[index])
                bn.running_mean = bn.running_mean[index].clone()
                bn.running_var = bn.running_var[index].clone()
                bn.num_features = len(kept)
        for consumer, block in group.consumers:
            if isinstance(consumer, nn.Conv2d):
                _replace_parameter(consumer, "weight", consumer.weight[:, index])
                consumer.in_channels = len(kept)
            else:  # Linear behind a flatten: channel c owns columns c·block … c·block + block − 1
                w = consumer.weight
                columns = w.reshape(w.shape[0], -1, block)[:, index].reshape(w.shape[0], -1)
                _replace_parameter(consumer, "weight", columns)
                consumer.in_features = columns.shape[1]


def pruned_copy(model: nn.Module, plan: dict[str, list[int]]) -> nn.Module:
    """A deep copy of `model` with the plan's surgery applied (the lab's clone + applySurgery)."""
    copy_ = copy.deepcopy(model)
    apply_surgery(copy_.channel_groups(), plan)
    return copy_


def positions_of_largest(scores: torch.Tensor, count: int) -> list[int]:
    """Positions of the `count` highest scores, increasing; ties go to the lower position."""
    values = scores.tolist()
    order = sorted(range(len(values)), key=lambda i: (-values[i], i))
    return sorted(order[:max(0, min(count, len(values)))])


def kept_count(count: int, removing: float) -> int:
    """⌊count·(1 − fraction)⌋ with the lab's 1e-9 that absorbs 10·0.7 = 6.999… (Python's
    int() in res56prune.py has no such epsilon; the lab's choice is followed)."""
    return max(0, min(count, int(count * (1 - removing) + 1e-9)))


@dataclass
class Plan:
    kept: dict[str, list[int]]
    original: dict[str, int]
    threshold: float | None = None
    kept_alive_by_floor: list[str] = field(default_factory=list)

    @property
    def kept_counts(self) -> dict[str, int]:
        return {name: len(kept) for name, kept in self.kept.items()}


def keep_top(counts: dict[str, int], scores: dict[str, torch.Tensor], minimum: int = 1) -> Plan:
    """Keeps the counts[name] best-scored channels of each group, at least `minimum` (the floor)."""
    plan = Plan(kept={}, original={})
    for name in sorted(counts):
        wanted = counts[name]
        if wanted < minimum:
            plan.kept_alive_by_floor.append(name)
        plan.kept[name] = positions_of_largest(scores[name], max(wanted, minimum))
        plan.original[name] = len(scores[name])
    return plan


def global_percentile_plan(scores: dict[str, torch.Tensor], percent: float, minimum: int = 1) -> Plan:
    """Network slimming's threshold: the value at index ⌊total·percent⌋ of all scores sorted
    ascending; channels strictly above it stay (vggprune.py / resprune.py). A group the
    threshold would empty keeps its best channel (the lab's floor; the reference code stops
    with an error there)."""
    everything = torch.cat([scores[name] for name in scores])
    ordered = torch.sort(everything).values
    threshold = ordered[min(max(int(len(ordered) * percent), 0), len(ordered) - 1)]
    plan = Plan(kept={}, original={}, threshold=float(threshold))
    for name in sorted(scores):
        above = torch.nonzero(scores[name] > threshold).flatten().tolist()
        if len(above) < minimum:
            plan.kept_alive_by_floor.append(name)
            above = positions_of_largest(scores[name], minimum)
        plan.kept[name] = above
        plan.original[name] = len(scores[name])
    return plan


def ratio_plan(fractions: dict[str, float], scores: dict[str, torch.Tensor]) -> Plan:
    """Removes fractions[name] of each listed group: keeps ⌊n·(1 − fraction)⌋ best-scored."""
    counts = {name: kept_count(len(scores[name]), fraction) for name, fraction in fractions.items()}
    return keep_top(counts, scores)


def random_scores(groups: list[ChannelGroup], seed: int) -> dict[str, torch.Tensor]:
    """A uniform random score per channel (the lab's RandomChannels), seeded per group name."""
    scores = {}
    for group in groups:
        name_hash = sum((i + 1) * ord(ch) for i, ch in enumerate(group.name))
        generator = torch.Generator().manual_seed(seed * 1_000_003 + name_hash)
        scores[group.name] = torch.rand(group.channel_count, generator=generator)
    return scores


def separation(plan: Plan, scores: dict[str, torch.Tensor]) -> float | None:
    """Threshold / median |γ| of the kept channels (the lab's thresholdSeparation)."""
    if plan.threshold is None:
        return None
    kept = sorted(float(scores[name][p]) for name, positions in plan.kept.items() for p in positions)
    if not kept:
        return None
    middle = len(kept) // 2
    median = kept[middle] if len(kept) % 2 else (kept[middle - 1] + kept[middle]) / 2
    return plan.threshold / median if median > 0 else None


# ---------------------------------------------------------------- cost (Pruning/Cost/ModelCost.swift)

@torch.no_grad()
def model_cost(model: nn.Module, sample_shape: list[int]) -> tuple[int, int]:
    """(multiply-accumulates, parameters) for one sample: Conv2d H_out·W_out·(weight entries),
    Linear in·out; BatchNorm, ReLU, pooling and additions not counted. Parameters: every
    learnable scalar, as sum(p.numel())."""
    macs = 0

    def hook(module, inputs, output):
        nonlocal macs
        if isinstance(module, nn.Conv2d):
            macs += output.shape[2] * output.shape[3] * module.weight.numel()
        else:
            macs += module.weight.numel()

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    was_training = model.training
    model.eval()
    model(torch.zeros([1] + list(sample_shape)))
    model.train(was_training)
    for handle in handles:
        handle.remove()
    return macs, sum(p.numel() for p in model.parameters())


# ---------------------------------------------------------------- command line

def common_parser(description: str) -> argparse.ArgumentParser:
    """The options every check accepts, named as the labs' common options."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--preset", choices=PRESETS, default="quick", help="the lab's preset (default quick)")
    parser.add_argument("--epochs", type=int, help="epochs of every training from scratch (baseline, sparsity, scratch-E)")
    parser.add_argument("--fine-tune-epochs", type=int, help="epochs of every fine-tuning (default: each protocol's)")
    parser.add_argument("--batch-size", type=int)
    parser.add_argument("--lr", type=float, help="base learning rate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scratch-b-cap", type=int, help="at most this many scratch-B epochs (default: the preset's)")
    parser.add_argument("--scratch", action=argparse.BooleanOptionalAction, default=None,
                        help="run scratch-E and scratch-B (default: as the preset; the quick presets leave them out)")
    parser.add_argument("--convergence-check", choices=("on", "off"),
                        help="train each baseline again for 2× the epochs (default: on in standard, as the lab)")
    parser.add_argument("--train-limit", type=int,
                        help="training images, stratified (0 = all; default: the preset's). Not a lab option.")
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR)
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (default: torch's, all cores)")
    parser.add_argument("--output", help="JSON to write (default: tools/torch-reports/<lab>.json)")
    parser.add_argument("--quiet", action="store_true", help="no line per epoch")
    return parser


def apply_common_overrides(recipe: dict, args: argparse.Namespace) -> dict:
    """The preset's recipe with --epochs, --fine-tune-epochs, --batch-size, --lr, --scratch-b-cap,
    --scratch and --train-limit applied (the lab's LabRecipe.overridden(by:))."""
    recipe = dict(recipe)
    for option, key in (("epochs", "epochs"), ("fine_tune_epochs", "fine_tune_epochs"), ("batch_size", "batch_size"),
                        ("lr", "lr"), ("scratch_b_cap", "scratch_b_cap"), ("scratch", "runs_scratch")):
        if getattr(args, option) is not None:
            recipe[key] = getattr(args, option)
    if args.train_limit is not None:
        recipe["train_limit"] = args.train_limit or None
    recipe["convergence_check"] = (args.convergence_check == "on" if args.convergence_check
                                   else args.preset == "standard")
    return recipe


# ---------------------------------------------------------------- the run record

class Run:
    """Collects a run's metrics under the lab's JSON keys and writes them; the training and
    evaluation steps print as the lab does."""

    def __init__(self, lab: str, args: argparse.Namespace, recipe: dict):
        if args.threads:
            torch.set_num_threads(args.threads)
        self.lab, self.args, self.started = lab, args, time.time()
        self.metrics: dict = {"lab": lab, "framework": "pytorch", "recipe": recipe,
                              "run": {"preset": args.preset, "seed": args.seed, "command": " ".join(sys.argv),
                                      "torch": torch.__version__, "threads": torch.get_num_threads(),
                                      "python": platform.python_version(),
                                      "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                              "accuracy_order": []}
        print(f"{lab} (PyTorch check), preset {args.preset}, seed {args.seed}: "
              + ", ".join(f"{k}={v}" for k, v in recipe.items()), flush=True)

    def data(self, train_limit: int | None, pad32: bool) -> Data:
        data = load_fashion_mnist(self.args.data_dir, train_limit, pad32)
        self.metric("data", {"dataset": "fashion-mnist", "train_samples": str(len(data.train_y)),
                             "test_samples": str(len(data.test_y)), "sample_shape": str(data.sample_shape)})
        print(f"  {len(data.train_y)} training and {len(data.test_y)} test images of shape {data.sample_shape} "
              f"(mean {data.mean:.4f}, std {data.std:.4f})", flush=True)
        return data

    def metric(self, key: str, value) -> None:
        self.metrics[key] = value

    def train(self, stage: str, model: nn.Module, data: Data, config: TrainingConfig, **kwargs) -> list[dict]:
        print(f"Train: {stage} — {config.describe()}" + (f", s = {kwargs['sparsity']}" if kwargs.get("sparsity") else ""),
              flush=True)
        try:
            history = fit(model, data, config, stage, quiet=self.args.quiet, **kwargs)
        except TrainingDiverged as diverged:
            self.metric("diverged", str(diverged))
            self.write()
            raise SystemExit(str(diverged))
        self.metric(f"history.{stage}", history)
        return history

    def evaluate(self, key: str, model: nn.Module, data: Data) -> float:
        accuracy = evaluate(model, data.test_x, data.test_y)[1]
        self.metric(f"accuracy.{key}", accuracy)
        if f"accuracy.{key}" not in self.metrics["accuracy_order"]:
            self.metrics["accuracy_order"].append(f"accuracy.{key}")
        print(f"  {key}: test accuracy {100 * accuracy:.2f}%", flush=True)
        return accuracy

    def model_row(self, name: str, model: nn.Module, data: Data, accuracy: float, extra: dict | None = None) -> None:
        """`models.<name>`: parameters, MACs and accuracy, as the lab's model table (no latency)."""
        macs, parameters = model_cost(model, data.sample_shape)
        self.metric(f"models.{name}", {"parameters": parameters, "macs": macs, "accuracy": accuracy, **(extra or {})})

    def check_convergence(self, key: str, accuracy: float, make, data: Data, config: TrainingConfig) -> None:
        """The lab's convergence check: the same initialisation trained for 2× the epochs with
        the schedule stretched; recorded as `convergence.<key>`."""
        doubled = make()
        self.train(f"{key} (2× epochs)", doubled, data, config.fine_tuning(2 * config.epochs))
        doubled_accuracy = evaluate(doubled, data.test_x, data.test_y)[1]
        self.metric(f"convergence.{key}", {"epochs": config.epochs, "accuracy": accuracy,
                                           "doubled_accuracy": doubled_accuracy, "gain": doubled_accuracy - accuracy})
        print(f"  convergence of {key}: {100 * accuracy:.2f}% after {config.epochs} epochs, "
              f"{100 * doubled_accuracy:.2f}% after {2 * config.epochs}", flush=True)

    def scratch_baselines(self, make_fresh, baseline_macs: int, data: Data, config: TrainingConfig,
                          cap: int | None, warmup_epochs: int = 0) -> None:
        """Scratch-E (the baseline's epochs) and scratch-B (⌊E·MACs ratio⌋, capped if asked)
        of the pruned architecture, freshly initialised, with the training schedule (after a
        linear warm-up over `warmup_epochs`, as the lab's --scratch-warmup-epochs)."""
        config = replace(config, warmup_epochs=warmup_epochs)
        fresh = make_fresh()
        pruned_macs, _ = model_cost(fresh, data.sample_shape)
        epochs_b, uncapped = scratch_b_epochs(config.epochs, baseline_macs, pruned_macs, cap)
        self.train("scratch-E", fresh, data, config.fine_tuning(config.epochs))
        self.evaluate("scratch_e", fresh, data)
        fresh = make_fresh()
        self.train("scratch-B", fresh, data, config.fine_tuning(epochs_b))
        self.evaluate("scratch_b", fresh, data)
        self.metric("scratch_b_epochs", epochs_b)
        self.metric("scratch_b_uncapped_epochs", uncapped)

    def write(self) -> str:
        self.metrics["run"]["wall_seconds"] = time.time() - self.started
        path = self.args.output or os.path.join(DEFAULT_OUTPUT_DIR, f"{self.lab}.json")
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        temporary = path + ".part"
        with open(temporary, "w") as f:
            json.dump(self.metrics, f, indent=1, sort_keys=True)
        os.replace(temporary, path)
        print(f"wrote {path} ({self.metrics['run']['wall_seconds']:.0f} s)", flush=True)
        return path
