#!/usr/bin/env python3
"""Writes small valid inputs for the fuzz targets (a starting corpus): fuzz/make_seeds.py OUT_DIR.

The fuzzer mutates these, so it reaches the deep checks (lengths, labels, offsets, model
specs) instead of stopping at the first magic number or JSON brace.
"""
import gzip, json, os, struct, sys

out = sys.argv[1]

def write(target, name, data):
    os.makedirs(os.path.join(out, target), exist_ok=True)
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)

# IDX: 2 images of 3x2 pixels, 2 labels; raw and gzip.
images = struct.pack(">IIII", 0x803, 2, 3, 2) + bytes(range(12))
labels = struct.pack(">II", 0x801, 2) + bytes([1, 9])
for name, data in [("images", images), ("labels", labels)]:
    write("idx", name, data)
    write("idx", name + ".gz", gzip.compress(data))

# CIFAR-10: one and two records.
record = bytes([3]) + bytes(i % 256 for i in range(3072))
write("cifar", "one", record)
write("cifar", "two", record + bytes([9]) + record[1:])

# safetensors: tiny PruneLab checkpoints (MLP and SmallCNN) and a plain file.
def safetensors(tensors, metadata):
    header, data = {}, b""
    for name, shape in tensors:
        count = 1
        for d in shape:
            count *= d
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + 4 * count]}
        values = [float(i % 2) for i in range(count)] if name.endswith(".mask") else [0.5 * i for i in range(count)]
        data += struct.pack("<%df" % count, *values)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data

def checkpoint(spec, tensors):
    return safetensors(tensors, {"format": "prunelab-checkpoint", "format_version": "1",
                                 "spec": json.dumps(spec), "channel_selections": "[]"})

write("safetensors", "mlp", checkpoint(
    {"family": "mlp", "cfg": [2, 2], "inputShape": [1, 1, 2], "classCount": 2, "widthMultiplier": 1},
    [("fc1.weight", [2, 2]), ("fc1.bias", [2]), ("fc2.weight", [2, 2]), ("fc2.bias", [2])]))
write("safetensors", "small-cnn", checkpoint(
    {"family": "small-cnn", "cfg": [1, 1, 1], "inputShape": [1, 4, 4], "classCount": 2, "widthMultiplier": 1},
    [("conv1.weight", [1, 1, 3, 3]), ("conv1.bias", [1]), ("conv2.weight", [1, 1, 3, 3]), ("conv2.bias", [1]),
     ("conv3.weight", [1, 1, 3, 3]), ("conv3.bias", [1]), ("fc.weight", [2, 1]), ("fc.bias", [2]),
     ("conv1.weight.mask", [1, 1, 3, 3])]))
write("safetensors", "plain", safetensors([("a", [2, 1]), ("b", []), ("c", [0])], {"note": "x"}))
