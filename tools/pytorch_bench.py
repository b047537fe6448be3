#!/usr/bin/env python3
"""PyTorch side of PruneLab's benchmark: the same models, shapes and steps as
`swift run -c release bench`, printing the same JSON lines. Needs `pip install torch`.
Not run in CI.

    python3 tools/pytorch_bench.py [--model NAME] [--steps N] [--threads 2]
"""
import argparse, json, math, resource, statistics, time
import torch
import torch.nn as nn
import torch.nn.functional as F

VGG_CFG = {
    11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512],
    13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512],
    16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512],
    19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512],
}


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 200), nn.ReLU(), nn.Linear(200, 10))


def small_cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(64 * 7 * 7, 10))


def vgg(depth, width=1.0):
    layers, c = [], 3
    for v in VGG_CFG[depth]:
        if v == 'M':
            layers.append(nn.MaxPool2d(2))
        else:
            v = max(1, int(round(v * width)))
            layers += [nn.Conv2d(c, v, 3, padding=1, bias=False), nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            c = v
    return nn.Sequential(*layers, nn.AvgPool2d(2), nn.Flatten(), nn.Linear(c, 10))


class BasicBlock(nn.Module):
    def __init__(self, inp, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = planes - inp
        self.stride = stride

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        short = x
        if self.stride != 1 or self.pad:
            short = F.avg_pool2d(x, self.stride) if self.stride != 1 else x
            short = torch.cat([short, torch.zeros_like(short)[:, :self.pad]], 1)
        return F.relu(out + short)


def resnet(depth):
    n = (depth - 2) // 6
    layers, inp = [nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU()], 16
    for i, planes in enumerate([16, 32, 64]):
        for j in range(n):
            layers.append(BasicBlock(inp, planes, 2 if (i > 0 and j == 0) else 1))
            inp = planes
    return nn.Sequential(*layers, nn.AvgPool2d(8), nn.Flatten(), nn.Linear(64, 10))


class Bottleneck(nn.Module):
    def __init__(self, inp, planes, stride, downsample):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inp)
        self.conv1 = nn.Conv2d(inp, planes, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.downsample = downsample

    def forward(self, x):
        out = F.relu(self.bn1(x))
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        out = self.conv3(F.relu(self.bn3(out)))
        return out + (self.downsample(x) if self.downsample is not None else x)


def preresnet(depth):
    n = (depth - 2) // 9
    layers, inp = [nn.Conv2d(3, 16, 3, padding=1, bias=False)], 16
    for i, planes in enumerate([16, 32, 64]):
        for j in range(n):
            stride = 2 if (i > 0 and j == 0) else 1
            down = None
            if stride != 1 or inp != planes * 4:
                down = nn.Conv2d(inp, planes * 4, 1, stride, bias=False)
            layers.append(Bottleneck(inp, planes, stride, down))
            inp = planes * 4
    return nn.Sequential(*layers, nn.BatchNorm2d(inp), nn.ReLU(), nn.AvgPool2d(8), nn.Flatten(), nn.Linear(inp, 10))


MODELS = {
    'mlp': (lambda: mlp(), 128, (1, 28, 28)),
    'small-cnn': (lambda: small_cnn(), 128, (1, 28, 28)),
    'vgg11-w0.25': (lambda: vgg(11, 0.25), 128, (3, 32, 32)),
    'vgg16-w0.25': (lambda: vgg(16, 0.25), 128, (3, 32, 32)),
    'resnet20': (lambda: resnet(20), 128, (3, 32, 32)),
    'preresnet47': (lambda: preresnet(47), 64, (3, 32, 32)),
    'vgg19': (lambda: vgg(19), 64, (3, 32, 32)),
}


def lab_model(script, factory, recipe):
    """A model as a lab's PyTorch script (tools/torch_<lab>.py) builds it, imported only when asked."""
    def build():
        module = __import__(script)
        return getattr(module, factory)(recipe, seed=1)
    return build


# The labs' long runs (bench's `labs` list, run only with --model): Fashion-MNIST padded to 1×32×32, built by the labs' scripts.
LAB_MODELS = {
    'densenet22-k6': (lab_model('torch_densenet_slimming', 'make_densenet', dict(depth=22, growth_rate=6)), 64, (1, 32, 32)),
    'preresnet20-w0.5': (lab_model('torch_resnet_slimming', 'make_preresnet', dict(depth=20, width=0.5)), 64, (1, 32, 32)),
    'preresnet20-w0.5-b128': (lab_model('torch_resnet_slimming', 'make_preresnet', dict(depth=20, width=0.5)), 128, (1, 32, 32)),
    'resnet20-w0.5': (lab_model('torch_resnet_slimming', 'make_resnet', dict(l1_depth=20, width=0.5)), 64, (1, 32, 32)),
    'vgg11-w0.25-fm': (lab_model('torch_vgg_slimming', 'make_vgg', dict(depth=11, width=0.25)), 64, (1, 32, 32)),
}


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--model')
    parser.add_argument('--steps', type=int, default=10)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    names = [args.model] if args.model else list(MODELS)
    for name in names:
        build, batch, shape = {**MODELS, **LAB_MODELS}[name]
        model = build()
        x = torch.randn(batch, *shape)
        y = torch.randint(0, 10, (batch,))
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)

        def train_step():
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()

        model.train()
        for _ in range(2):
            train_step()
        train_s = median_seconds(train_step, args.steps)
        model.eval()
        with torch.no_grad():
            model(x)
            infer_s = median_seconds(lambda: model(x), args.steps)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"model": name, "batch": batch, "train_img_s": round(batch / train_s, 1),
                          "infer_img_s": round(batch / infer_s, 1), "peak_rss_mb": round(rss, 1)}), flush=True)


if __name__ == '__main__':
    main()
