#!/usr/bin/env python3
"""PyTorch check of lab-rethinking (labs/rethinking): L1-norm and weight-level pruning of VGG and
the lottery tickets, the same recipe written independently (network slimming and soft filter
pruning are checked by torch_vgg_slimming.py's slimming code and not repeated here).

    python3 tools/torch_rethinking.py --preset smoke            # writes tools/torch-reports/rethinking.json
    python3 tools/torch_rethinking.py --preset quick --threads 2
    python3 tools/compare_torch.py rethinking                    # beside reports/rethinking.json

Stages, with the lab's JSON keys:
- vgg<d>_baseline: VGG trained E epochs;
- L1-norm pruning (Li et al.'s pruned-A rule: conv1 and every conv of the widest width lose half
  their filters, smallest Σ|W|) → l1_pruned, fine-tuned at lr/100 for E/4 epochs → l1_finetuned,
  the pruned widths from scratch → l1_scratch_e, l1_scratch_b (⌊E·MACs ratio⌋);
- weight-level pruning (one |w| threshold over all conv weights, exactly round(p·N) entries)
  → weight_level_pruned, masked fine-tuning at lr/100 for E/4 → weight_level_finetuned, the same
  masks from a density-scaled initialisation (N(0, 2/n), n = kept / in_channels) →
  weight_level_scratch_e and weight_level_scratch_b, whose epochs count only the kept weights' MACs;
- lottery tickets at the training rate and a tenth of it (lottery_<base|tenth>_dense, …_r<k>_ticket,
  …_r<k>_random): each round masks ⌊p·r⌋ more of the r remaining conv weights (all Linear weights
  for the MLP 784-300-100-10) by the trained |w|, rewinds every parameter and buffer to θ₀ and
  trains; the control trains the same mask from a fresh initialisation.
"""
from __future__ import annotations

import copy
import math

import torch
import torch.nn as nn

from torch_common import (Run, TrainingConfig, apply_common_overrides, common_parser, l1_fine_tuning, model_cost,
                          pruned_copy, ratio_plan, scaled_width, scratch_b_epochs)
from torch_vgg_slimming import LAYOUTS, VGG
from torch_weight_pruning import MLP

# labs/rethinking/Options.swift, Recipe.of(_:) (the full preset is CIFAR-10 and not checked here).
PRESETS = {
    "smoke": dict(train_limit=1024, depth=11, width=0.125, epochs=2, batch_size=64, lr=0.05, scratch_b_cap=4,
                  fine_tune_epochs=None, lottery_on_vgg=True, lottery_epochs=1, lottery_rounds=2, mlp_epochs=1,
                  mlp_rounds=2, runs_scratch=True, augment=True),
    "quick": dict(train_limit=10000, depth=11, width=0.25, epochs=4, batch_size=64, lr=0.1, scratch_b_cap=None,
                  fine_tune_epochs=None, lottery_on_vgg=False, lottery_epochs=4, lottery_rounds=2, mlp_epochs=4,
                  mlp_rounds=3, runs_scratch=True, augment=True),
    "standard": dict(train_limit=30000, depth=11, width=0.25, epochs=10, batch_size=64, lr=0.05, scratch_b_cap=None,
                     fine_tune_epochs=None, lottery_on_vgg=True, lottery_epochs=10, lottery_rounds=3, mlp_epochs=10,
                     mlp_rounds=4, runs_scratch=True, augment=False),
}
METHODS = ("l1", "weight-level", "lottery")


def make_vgg(recipe: dict, seed: int, widths: list[int] | None = None) -> VGG:
    torch.manual_seed(seed)
    depth = recipe["depth"]
    return VGG(depth, widths or [scaled_width(w, recipe["width"]) for w in LAYOUTS[depth] if w != 'M'])


def conv_weights(model: nn.Module) -> list[nn.Parameter]:
    return [m.weight for m in model.modules() if isinstance(m, nn.Conv2d)]


def linear_weights(model: nn.Module) -> list[nn.Parameter]:
    return [m.weight for m in model.modules() if isinstance(m, nn.Linear)]


@torch.no_grad()
def mask_smallest(weights: list[nn.Parameter], masks: list[torch.Tensor] | None, count: int) -> list[torch.Tensor]:
    """Masks exactly `count` entries over all `weights` together: already-masked entries first
    (score −1), then the smallest |w|, ties by position (a stable sort); zeroes them."""
    scores = []
    for index, weight in enumerate(weights):
        score = weight.abs().flatten().clone()
        if masks is not None:
            score[masks[index].flatten() == 0] = -1
        scores.append(score)
    everything = torch.cat(scores)
    pruned = torch.zeros_like(everything, dtype=torch.bool)
    pruned[torch.sort(everything, stable=True).indices[:min(count, len(everything))]] = True
    result, offset = [], 0
    for weight in weights:
        n = weight.numel()
        mask = (~pruned[offset:offset + n]).float().view_as(weight)
        weight.mul_(mask)
        result.append(mask)
        offset += n
    return result


def nonzero_macs(model: nn.Module, masks: dict[int, torch.Tensor], sample_shape: list[int]) -> int:
    """MACs counting only the kept weights: a masked layer does (kept / entries) of its MACs
    (the lab's Protocols.nonzeroMultiplyAccumulates; count_flops.py's conv count)."""
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        macs = output.shape[2] * output.shape[3] * module.weight.numel() if isinstance(module, nn.Conv2d) \
            else module.weight.numel()
        mask = masks.get(id(module.weight))
        total += round(macs * (mask.sum().item() / mask.numel())) if mask is not None else macs

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model.eval()
    with torch.no_grad():
        model(torch.zeros([1] + list(sample_shape)))
    for handle in handles:
        handle.remove()
    return total


@torch.no_grad()
def density_scaled(model: nn.Module, masks: dict[int, torch.Tensor], seed: int) -> None:
    """The reference's scratch initialisation of a masked conv: N(0, 2/n), n = kept / in_channels, then the mask."""
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, nn.Conv2d) and id(module.weight) in masks:
            mask = masks[id(module.weight)]
            n = mask.sum().item() / module.in_channels
            if n > 0:
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * math.sqrt(2 / n))
            module.weight.mul_(mask)


def l1_section(run: Run, recipe: dict, baseline: VGG, baseline_macs: int, data, config: TrainingConfig, seed: int):
    groups = baseline.channel_groups()
    widest = max(g.channel_count for g in groups)
    halved = [g.name for k, g in enumerate(groups) if k == 0 or g.channel_count == widest]
    plan = ratio_plan({name: 0.5 for name in halved}, {g.name: g.l1_scores() for g in groups})
    pruned = pruned_copy(baseline, plan.kept)
    run.metric("cfg.l1", pruned.widths())
    run.evaluate("l1_pruned", pruned, data)
    run.train("L1 fine-tune", pruned, data, l1_fine_tuning(config, recipe["fine_tune_epochs"]))
    run.evaluate("l1_finetuned", pruned, data)
    pruned_macs, _ = model_cost(pruned, data.sample_shape)
    epochs_b, uncapped = scratch_b_epochs(config.epochs, baseline_macs, pruned_macs, recipe["scratch_b_cap"])
    for key, epochs in (("l1_scratch_e", config.epochs), ("l1_scratch_b", epochs_b)):
        fresh = make_vgg(recipe, seed + 11, widths=pruned.widths())
        run.train(key.replace("_", " "), fresh, data, config.fine_tuning(epochs))
        run.evaluate(key, fresh, data)
    run.metric("l1_scratch_b_epochs", epochs_b)
    run.metric("l1_scratch_b_uncapped_epochs", uncapped)


def weight_level_section(run: Run, recipe: dict, baseline: VGG, baseline_macs: int, data, config: TrainingConfig,
                         seed: int, percent: float):
    pruned = copy.deepcopy(baseline)
    weights = conv_weights(pruned)
    total = sum(w.numel() for w in weights)
    masks = mask_smallest(weights, None, round(percent * total))
    run.evaluate("weight_level_pruned", pruned, data)
    run.train("weight-level fine-tune", pruned, data, l1_fine_tuning(config, recipe["fine_tune_epochs"]),
              masks=list(zip(weights, masks)))
    run.evaluate("weight_level_finetuned", pruned, data)
    kept = nonzero_macs(pruned, {id(w): m for w, m in zip(weights, masks)}, data.sample_shape)
    epochs_b, uncapped = scratch_b_epochs(config.epochs, baseline_macs, kept, recipe["scratch_b_cap"])
    run.metric("weight_level_kept_macs", kept)
    for key, epochs in (("weight_level_scratch_e", config.epochs), ("weight_level_scratch_b", epochs_b)):
        fresh = make_vgg(recipe, seed + 13)
        fresh_weights = conv_weights(fresh)
        density_scaled(fresh, {id(w): m for w, m in zip(fresh_weights, masks)}, seed + 13)
        run.train(key.replace("_", " "), fresh, data, config.fine_tuning(epochs), masks=list(zip(fresh_weights, masks)))
        run.evaluate(key, fresh, data)
    run.metric("weight_level_scratch_b_epochs", epochs_b)
    run.metric("weight_level_scratch_b_uncapped_epochs", uncapped)


def lottery(run: Run, prefix: str, rate_id: str, make, prunable, data, config: TrainingConfig, rounds: int,
            fraction: float, seed: int, dense: nn.Module | None):
    """Iterative magnitude pruning with rewinding, against the same masks from a fresh initialisation."""
    network = make(seed)
    initial = copy.deepcopy(network.state_dict())  # θ₀: every parameter and buffer
    if dense is not None:
        network.load_state_dict(dense.state_dict())
    else:
        run.train(f"{prefix} dense {rate_id}", network, data, config)
    run.evaluate(f"{prefix}_{rate_id}_dense", network, data)
    masks = None
    for round_ in range(1, rounds + 1):
        weights = prunable(network)
        if masks is not None:
            with torch.no_grad():
                for weight, mask in zip(weights, masks):
                    weight.mul_(mask)
        before = 0 if masks is None else sum(int((m == 0).sum().item()) for m in masks)
        remaining = sum(w.numel() for w in weights) - before
        masks = mask_smallest(weights, masks, before + min(remaining, int(fraction * remaining + 1e-9)))
        network.load_state_dict(initial)  # the winning ticket: θ₀ on the kept weights
        weights = prunable(network)
        with torch.no_grad():
            for weight, mask in zip(weights, masks):
                weight.mul_(mask)
        control = make(seed + 1000 + round_)
        control_weights = prunable(control)
        density_scaled(control, {id(w): m for w, m in zip(control_weights, masks)}, seed + 1000 + round_)
        with torch.no_grad():
            for weight, mask in zip(control_weights, masks):
                weight.mul_(mask)
        run.train(f"{prefix} ticket {rate_id} r{round_}", network, data, config, masks=list(zip(weights, masks)))
        run.evaluate(f"{prefix}_{rate_id}_r{round_}_ticket", network, data)
        run.train(f"{prefix} random {rate_id} r{round_}", control, data, config, masks=list(zip(control_weights, masks)))
        run.evaluate(f"{prefix}_{rate_id}_r{round_}_random", control, data)


def main():
    parser = common_parser("PyTorch check of lab-rethinking (L1 norm, weight level, lottery tickets).")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated among l1, weight-level, lottery")
    parser.add_argument("--width", type=float)
    parser.add_argument("--depth", type=int, choices=(11, 13, 16, 19))
    parser.add_argument("--weight-percent", type=float, default=0.5)
    parser.add_argument("--lottery-percent", type=float, default=0.5)
    parser.add_argument("--lottery-rounds", type=int)
    args = parser.parse_args()
    recipe = apply_common_overrides(PRESETS[args.preset], args)
    for key in ("width", "depth"):
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    if args.epochs:
        recipe.update(lottery_epochs=args.epochs, mlp_epochs=args.epochs)
    if args.lottery_rounds:
        recipe.update(lottery_rounds=args.lottery_rounds, mlp_rounds=args.lottery_rounds)
    methods = [m for m in args.methods.split(",") if m]
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise SystemExit(f"--methods: this check runs l1, weight-level and lottery, not {', '.join(sorted(unknown))}")
    recipe.update(methods=methods, weight_percent=args.weight_percent, lottery_percent=args.lottery_percent)

    run = Run("rethinking", args, recipe)
    seed = args.seed
    data = run.data(recipe["train_limit"], pad32=True)
    config = TrainingConfig(epochs=recipe["epochs"], batch_size=recipe["batch_size"], lr=recipe["lr"], momentum=0.9,
                            weight_decay=1e-4, schedule="step", augment=recipe["augment"], seed=seed)
    depth = recipe["depth"]
    baseline = None
    if "l1" in methods or "weight-level" in methods or ("lottery" in methods and recipe["lottery_on_vgg"]):
        baseline = make_vgg(recipe, seed)
        run.train(f"VGG-{depth} baseline", baseline, data, config)
        run.evaluate(f"vgg{depth}_baseline", baseline, data)
        if recipe["convergence_check"]:
            run.check_convergence(f"vgg{depth}_baseline", run.metrics[f"accuracy.vgg{depth}_baseline"],
                                  lambda: make_vgg(recipe, seed), data, config)
        baseline_macs, _ = model_cost(baseline, data.sample_shape)
        run.model_row(f"VGG-{depth} baseline", baseline, data, run.metrics[f"accuracy.vgg{depth}_baseline"])
    if "l1" in methods:
        l1_section(run, recipe, baseline, baseline_macs, data, config, seed)
    if "weight-level" in methods:
        weight_level_section(run, recipe, baseline, baseline_macs, data, config, seed, recipe["weight_percent"])
    if "lottery" in methods:
        rates = (("base", recipe["lr"]), ("tenth", recipe["lr"] / 10))
        if recipe["lottery_on_vgg"]:
            for rate_id, rate in rates:
                lottery_config = config.fine_tuning(recipe["lottery_epochs"], lr=rate)
                reuse = baseline if rate == recipe["lr"] and recipe["lottery_epochs"] == recipe["epochs"] else None
                lottery(run, "lottery", rate_id, lambda s: make_vgg(recipe, s), conv_weights, data, lottery_config,
                        recipe["lottery_rounds"], recipe["lottery_percent"], seed, reuse)
        flat = run.data(recipe["train_limit"], pad32=False)

        def make_mlp(s: int) -> MLP:
            torch.manual_seed(s)
            return MLP([300, 100, 10])

        for rate_id, rate in rates:
            mlp_config = TrainingConfig(epochs=recipe["mlp_epochs"], batch_size=recipe["batch_size"], lr=rate, momentum=0.9,
                                        weight_decay=1e-4, schedule="step", augment=False, seed=seed)
            lottery(run, "mlp", rate_id, make_mlp, linear_weights, flat, mlp_config, recipe["mlp_rounds"],
                    recipe["lottery_percent"], seed, None)
    run.write()


if __name__ == "__main__":
    main()
