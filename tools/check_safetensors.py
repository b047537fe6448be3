#!/usr/bin/env python3
"""Loads PruneLab checkpoints into PyTorch with the `safetensors` package and checks that the
PyTorch models give the outputs the Swift models gave on the same input.

    PRUNELAB_EXPORT_DIR=/tmp/export swift test --filter CheckpointExportTests
    python3 tools/check_safetensors.py /tmp/export        # needs: pip install safetensors torch

For every `<name>.safetensors` with a `<name>.io.safetensors` beside it (tensors `input` and
`output`), the script reads the model spec from the checkpoint's `__metadata__`, builds the
equivalent torch.nn model, loads the weights with `load_state_dict(strict=True)` (masks are
checked to be already applied, then left out), runs the input and prints the largest absolute
difference from the Swift output. Exit status 1 if any difference exceeds the tolerance.

    python3 tools/check_safetensors.py --write-fixture Tests/NetworksTests/Fixtures

goes the other way: it writes a small pruned SmallCNN with the reference writer
(`safetensors.torch.save_file`) plus an input/output pair, which a Swift test loads.
"""
import json
import sys
from pathlib import Path

import torch
from torch import nn
from safetensors import safe_open
from safetensors.torch import load_file

TOLERANCE = 1e-4


class MLP(nn.Module):
    """PruneLab's `Network.mlp`: flatten, Linear+ReLU per hidden width, a final Linear."""

    def __init__(self, spec):
        super().__init__()
        width = spec["inputShape"][0] * spec["inputShape"][1] * spec["inputShape"][2]
        self.depth = len(spec["cfg"])
        for i, out in enumerate(spec["cfg"]):
            setattr(self, f"fc{i + 1}", nn.Linear(width, out))
            width = out

    def forward(self, x):
        x = torch.flatten(x, 1)
        for i in range(self.depth):
            x = getattr(self, f"fc{i + 1}")(x)
            if i < self.depth - 1:
                x = torch.relu(x)
        return x


class SmallCNN(nn.Module):
    """PruneLab's `Network.smallCNN`: three 3x3 convs (padding 1) with ReLU, 2x2 max-pool after
    the first two, then flatten into a Linear layer."""

    def __init__(self, spec):
        super().__init__()
        channels, height, width = spec["inputShape"]
        c1, c2, c3 = spec["cfg"]
        self.conv1 = nn.Conv2d(channels, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.conv3 = nn.Conv2d(c2, c3, 3, padding=1)
        self.fc = nn.Linear(c3 * (height // 4) * (width // 4), spec["classCount"])

    def forward(self, x):
        x = nn.functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = nn.functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.relu(self.conv3(x))
        return self.fc(torch.flatten(x, 1))


FAMILIES = {"mlp": MLP, "small-cnn": SmallCNN}


def load_model(path):
    """The PyTorch model a PruneLab checkpoint describes, with its weights."""
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata() or {}
    if metadata.get("format") != "prunelab-checkpoint":
        raise SystemExit(f"{path} is not a PruneLab checkpoint (no 'format' metadata)")
    spec = json.loads(metadata["spec"])
    if json.loads(metadata.get("channel_selections", "[]")):
        raise SystemExit(f"{path}: channel selections are not supported by this script yet")
    if spec["family"] not in FAMILIES:
        raise SystemExit(f"{path}: family {spec['family']} is not modelled here (only {', '.join(FAMILIES)})")
    tensors = load_file(str(path))
    state, masks = {}, 0
    for name, value in tensors.items():
        if name.endswith(".mask"):
            weight = tensors[name[: -len(".mask")]]
            assert torch.equal(weight * value, weight), f"{name}: masked weights are not zero"
            masks += 1
        else:
            state[name] = value
    model = FAMILIES[spec["family"]](spec)
    model.load_state_dict(state, strict=True)
    return model.eval(), spec, masks


def write_fixture(folder):
    """A PyTorch SmallCNN (cfg [2, 3, 2] on 1x8x8 inputs, 3 classes) with conv2 masked, saved
    as a PruneLab checkpoint by the reference writer, and the outputs on a fixed input."""
    from safetensors.torch import save_file
    torch.manual_seed(0)
    spec = {"family": "small-cnn", "cfg": [2, 3, 2], "inputShape": [1, 8, 8], "classCount": 3, "widthMultiplier": 1}
    model = SmallCNN(spec).eval()
    mask = (torch.arange(model.conv2.weight.numel()) % 3 != 0).float().reshape(model.conv2.weight.shape)
    with torch.no_grad():
        model.conv2.weight.mul_(mask)
    tensors = {name: value.contiguous() for name, value in model.state_dict().items()}
    tensors["conv2.weight.mask"] = mask
    metadata = {"format": "prunelab-checkpoint", "format_version": "1",
                "spec": json.dumps(spec), "channel_selections": "[]"}
    folder = Path(folder)
    save_file(tensors, str(folder / "checkpoint_torch_small_cnn.safetensors"), metadata=metadata)
    x = torch.randn(2, 1, 8, 8)
    with torch.no_grad():
        y = model(x)
    save_file({"input": x, "output": y}, str(folder / "checkpoint_torch_small_cnn.io.safetensors"))
    print(f"wrote checkpoint_torch_small_cnn(.io).safetensors to {folder}")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--write-fixture":
        return write_fixture(sys.argv[2])
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/prunelab-export")
    checkpoints = sorted(p for p in folder.glob("*.safetensors") if not p.name.endswith(".io.safetensors"))
    if not checkpoints:
        raise SystemExit(f"no checkpoints in {folder}: run PRUNELAB_EXPORT_DIR={folder} swift test --filter CheckpointExportTests")
    worst = 0.0
    for path in checkpoints:
        pair = load_file(str(path.with_name(path.stem + ".io.safetensors")))
        model, spec, masks = load_model(path)
        with torch.no_grad():
            output = model(pair["input"])
        difference = (output - pair["output"]).abs().max().item()
        worst = max(worst, difference)
        print(f"{path.name:32} {spec['family']:10} cfg {str(spec['cfg']):14} input {list(pair['input'].shape)} "
              f"masks {masks}  max |torch - swift| = {difference:.3g}")
    print(f"largest difference {worst:.3g} (tolerance {TOLERANCE})")
    sys.exit(0 if worst <= TOLERANCE else 1)


if __name__ == "__main__":
    main()
