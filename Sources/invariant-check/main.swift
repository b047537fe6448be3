// invariant-check: shows that the engine's invariants still trap in the build it is part of,
// release included. It describes a model wrongly on purpose (a channel group whose BatchNorm has
// 6 channels behind a convolution of 4 filters: a bug in a model's code) and asks the surgery
// to prune it. The surgery's consistency `precondition` must stop the process. A build that
// compiled the check away (`-Ounchecked`) would go on and cut tensors that disagree; this
// program then says so and exits 0. Run by `Tests/PruningTests/ReleaseTrapTests.swift`.
import Networks
import Pruning
import Tensors

var rng = SeededGenerator(seed: 1)
let conv = Conv2d(1, 4, kernel: 3, padding: 1, rng: &rng)
let norm = BatchNorm2d(6)  // the bug: conv has 4 filters
let head = Conv2d(4, 2, kernel: 1, rng: &rng)
let group = ChannelGroup.convolution("conv", cfgIndex: 0, conv: conv, batchNorm: norm, consumers: [.inputChannels(of: head)])
let network = Network(family: .custom, cfg: [4, 2], inputShape: [1, 4, 4], classCount: 2,
                      body: Sequential([conv, norm, ReLU(), head]), channelGroups: [group])
try applySurgery(PruningPlan(keptPositions: ["conv": [0, 2]]), to: network)
print("invariant not enforced: the surgery pruned a channel group whose BatchNorm has 6 channels for 4 filters "
      + "(now \(norm.weight.shape[0])); its precondition was compiled away")
