#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that the Swift engine tests compare against.

Run from the repository root (needs PyTorch; the Swift tests do not):

    python3 tools/make_fixtures.py

Each fixture is Tests/NetworksTests/Fixtures/engine_<case>.json:

    {"case": "...",
     "tensors":  {"name": {"shape": [...], "values": [flat, row-major float32]}, ...},
     "scalars":  {"name": number, ...},
     "integers": {"name": [int, ...], ...}}

Conventions: `x` is the input, `y` the output, `dy` the upstream gradient given to
backward, `dx` the input gradient, `grad.<param>` a parameter gradient. Models store their
weights by the same names the Swift models use (fc1.weight, conv1.bias, ...).
Everything is float32 on one thread with fixed seeds, so reruns give the same files.
"""

import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "NetworksTests", "Fixtures")


def number(v):
    """Seven significant digits: float32 to well within the tests' 1e-4 tolerance, and small files."""
    v = float(v)
    if v == 0:
        return "0"
    return "%.7g" % v


class Fixture:
    def __init__(self, case):
        self.case = case
        self.tensors = {}
        self.scalars = {}
        self.integers = {}

    def tensor(self, name, t):
        t = t.detach().to(torch.float32).contiguous()
        self.tensors[name] = (list(t.shape), t.flatten().tolist())

    def scalar(self, name, v):
        self.scalars[name] = float(v)

    def ints(self, name, values):
        self.integers[name] = [int(v) for v in values]

    def write(self):
        parts = ['{"case": %s,' % json.dumps(self.case), ' "tensors": {']
        items = []
        for name, (shape, values) in self.tensors.items():
            items.append('  %s: {"shape": %s,\n   "values": [%s]}'
                         % (json.dumps(name), json.dumps(shape), ", ".join(number(v) for v in values)))
        parts.append(",\n".join(items))
        parts.append(' },')
        parts.append(' "scalars": {%s},' % ", ".join(
            "%s: %s" % (json.dumps(k), repr(v)) for k, v in self.scalars.items()))
        parts.append(' "integers": {%s}}' % ", ".join(
            "%s: %s" % (json.dumps(k), json.dumps(v)) for k, v in self.integers.items()))
        path = os.path.join(OUT, "engine_%s.json" % self.case)
        temporary = path + ".tmp"
        with open(temporary, "w") as f:
            f.write("\n".join(parts) + "\n")
        os.replace(temporary, path)
        print("%-40s %7.1f KB" % (os.path.relpath(path), os.path.getsize(path) / 1024))


def layer_case(case, module, x, params, train=True):
    """Forward x through module, backward a random upstream gradient, store everything."""
    fx = Fixture(case)
    module.train(train)
    x = x.clone().requires_grad_(True)
    y = module(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    fx.tensor("x", x)
    for name in params:
        fx.tensor(name, getattr(module, name))
    fx.tensor("y", y)
    fx.tensor("dy", dy)
    fx.tensor("dx", x.grad)
    for name in params:
        fx.tensor("grad." + name, getattr(module, name).grad)
    return fx


def linear_cases():
    torch.manual_seed(1)
    layer_case("linear", nn.Linear(5, 4), torch.randn(3, 5), ["weight", "bias"]).write()
    torch.manual_seed(2)
    layer_case("linear_nobias", nn.Linear(6, 3, bias=False), torch.randn(4, 6), ["weight"]).write()


def conv_cases():
    for case, k, s, p, bias, seed in [("conv_k3s1p1", 3, 1, 1, True, 3),
                                      ("conv_k3s2p1", 3, 2, 1, True, 4),
                                      ("conv_k1s1p0", 1, 1, 0, False, 5)]:
        torch.manual_seed(seed)
        conv = nn.Conv2d(3, 4, kernel_size=k, stride=s, padding=p, bias=bias)
        fx = layer_case(case, conv, torch.randn(2, 3, 7, 7), ["weight", "bias"] if bias else ["weight"])
        fx.ints("config", [k, s, p, int(bias)])
        fx.write()


def batchnorm_case():
    torch.manual_seed(6)
    bn = nn.BatchNorm2d(4)
    with torch.no_grad():
        bn.weight.copy_(torch.rand(4) + 0.5)
        bn.bias.copy_(torch.randn(4) * 0.3)
    x = torch.randn(3, 4, 5, 5) * 2 + 0.7
    fx = layer_case("batchnorm_train", bn, x, ["weight", "bias"], train=True)
    fx.tensor("running_mean", bn.running_mean)
    fx.tensor("running_var", bn.running_var)
    # Evaluation after the step normalises with the running statistics.
    bn.eval()
    x_eval = torch.randn(2, 4, 3, 3)
    with torch.no_grad():
        fx.tensor("x_eval", x_eval)
        fx.tensor("y_eval", bn(x_eval))
    fx.write()


def pooling_cases():
    torch.manual_seed(7)
    fx = layer_case("maxpool", nn.MaxPool2d(2), torch.randn(2, 3, 6, 7), [])
    fx.write()
    torch.manual_seed(8)
    fx = layer_case("avgpool", nn.AvgPool2d(2), torch.randn(2, 3, 6, 7), [])
    fx.ints("kernel", [2])
    fx.write()
    torch.manual_seed(9)
    fx = layer_case("avgpool_global", nn.AvgPool2d(5), torch.randn(2, 3, 5, 5), [])
    fx.ints("kernel", [5])
    fx.write()


def cross_entropy_case():
    torch.manual_seed(10)
    fx = Fixture("crossentropy")
    logits = (torch.randn(5, 7) * 3).requires_grad_(True)
    labels = torch.randint(0, 7, (5,))
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    fx.tensor("logits", logits)
    fx.ints("labels", labels.tolist())
    fx.scalar("loss", loss.item())
    fx.tensor("dlogits", logits.grad)
    fx.write()


class MLP(nn.Module):
    def __init__(self, cfg, inputs):
        super().__init__()
        widths = [inputs] + cfg
        for i in range(len(cfg)):
            setattr(self, "fc%d" % (i + 1), nn.Linear(widths[i], widths[i + 1]))
        self.depth = len(cfg)

    def forward(self, x):
        x = x.view(x.size(0), -1)
        for i in range(self.depth):
            x = getattr(self, "fc%d" % (i + 1))(x)
            if i < self.depth - 1:
                x = F.relu(x)
        return x


class SmallCNN(nn.Module):
    def __init__(self, cfg, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, cfg[0], 3, padding=1)
        self.conv2 = nn.Conv2d(cfg[0], cfg[1], 3, padding=1)
        self.conv3 = nn.Conv2d(cfg[1], cfg[2], 3, padding=1)
        self.fc = nn.Linear(cfg[2] * 7 * 7, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.conv3(x))
        return self.fc(x.view(x.size(0), -1))


def model_case(case, make_model, input_shape, batch, nesterov_too):
    """Forward, loss and gradients on batch 1 (engine_<case>.json), then two SGD steps,
    on batch 1 and then batch 2 (engine_<case>_sgd.json; two files keep each small)."""
    torch.manual_seed(11)
    model = make_model()
    initial = {k: v.detach().clone() for k, v in model.state_dict().items()}
    x1, x2 = torch.randn(batch, *input_shape), torch.randn(batch, *input_shape)
    y1, y2 = torch.randint(0, 10, (batch,)), torch.randint(0, 10, (batch,))
    fx = Fixture(case)
    fx.tensor("x1", x1); fx.ints("labels1", y1.tolist())
    sgd = Fixture(case + "_sgd")
    sgd.tensor("x2", x2); sgd.ints("labels2", y2.tolist())
    names = [name for name, _ in model.named_parameters()]
    for name in names:
        fx.tensor(name, initial[name])
    sgd.scalar("lr", 0.1); sgd.scalar("momentum", 0.9); sgd.scalar("weight_decay", 5e-4)

    def train(nesterov, record):
        model.load_state_dict(initial)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=nesterov)
        for step, (x, y) in enumerate([(x1, y1), (x2, y2)], start=1):
            optimizer.zero_grad()
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            loss.backward()
            if record and step == 1:
                fx.tensor("logits", logits)
                fx.scalar("loss", loss.item())
                for name, p in model.named_parameters():
                    fx.tensor("grad." + name, p.grad)
            optimizer.step()
            prefix = "nesterov_step%d." % step if nesterov else "step%d." % step
            if step == 2 or not nesterov:
                for name, p in model.named_parameters():
                    sgd.tensor(prefix + name, p)

    train(False, True)
    if nesterov_too:
        train(True, False)
    fx.write()
    sgd.write()


def schedule_case():
    """Learning rates per epoch from MultiStepLR (×0.1 at 50 % and 75 %) and CosineAnnealingLR."""
    fx = Fixture("schedules")
    for epochs in [4, 7, 10, 160]:
        for kind in ["step", "cosine"]:
            p = nn.Parameter(torch.zeros(1))
            optimizer = torch.optim.SGD([p], lr=0.1)
            if kind == "step":
                scheduler = torch.optim.lr_scheduler.MultiStepLR(
                    optimizer, milestones=[int(epochs * 0.5), int(epochs * 0.75)], gamma=0.1)
            else:
                scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
            rates = []
            for _ in range(epochs):
                rates.append(optimizer.param_groups[0]["lr"])
                optimizer.step()
                scheduler.step()
            fx.tensor("%s_%d" % (kind, epochs), torch.tensor(rates, dtype=torch.float64))
    fx.write()


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)
    linear_cases()
    conv_cases()
    batchnorm_case()
    pooling_cases()
    cross_entropy_case()
    model_case("mlp", lambda: MLP([16, 12, 10], 36), (1, 6, 6), 4, nesterov_too=True)
    model_case("smallcnn", lambda: SmallCNN([4, 6, 8]), (1, 28, 28), 2, nesterov_too=False)
    schedule_case()


if __name__ == "__main__":
    main()
