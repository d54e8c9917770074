#!/usr/bin/python3
"""Writes the PyTorch parity fixtures under src/test/resources/fixtures/torch/.

Regenerate from the repository root with Debian's packaged torch and numpy
(apt-get install python3-torch python3-numpy; made with torch 1.13, numpy 1.24):

    /usr/bin/python3 scripts/generate_torch_fixtures.py

The output is deterministic for a given torch build (fixed seeds, one thread). The test suite
never runs this script; it reads the committed files, so regenerate and commit them together.

For each case it writes, in src/test/resources/fixtures/torch/<case>/:

  pytorch.npz        the state_dict of nn.LSTM "lstm" + nn.Linear "head" (PyTorch layout:
                     weight_ih_l{k} (4H, D), weight_hh_l{k} (4H, H), bias_ih_l{k}, bias_hh_l{k},
                     head.weight (D, H), head.bias (D,)), float32, np.savez (stored)
  keras.npz          the same numbers in the Keras layout: lstm_{k}/kernel = weight_ih.T,
                     lstm_{k}/recurrent_kernel = weight_hh.T, lstm_{k}/bias = bias_ih + bias_hh
                     (summed in float32, as torch sums them), dense/kernel = head.weight.T,
                     dense/bias; np.savez_compressed
  normalization.npz  "mean" and "std" (D,), float32, only for cases with normalisation
  input.csv          a header x_0,...,x_{D-1}, then one row of D raw values per step (rounded to
                     three decimals), each the shortest decimal that reads back as the same
                     float32
  expected.npz       per step t, after feeding rows 0..t from a zero state: "prediction" (T, D),
                     head(h_last) * std + mean in raw units, and the last layer's "h" and "c"
                     (T, H), all computed by torch in float32

The cases differ on purpose so the fixtures exercise the readers too: in lstm2_h16_d3 the Keras
kernels are saved as transposed views (NumPy writes them with fortran_order=True); in
lstm1_h64_d8 the Keras arrays are float64 (exact copies of the float32 values) and there is no
normalisation (the identity).
"""

import os

import numpy as np
import torch
from torch import nn

# PyTorch's default init, U(-1/sqrt(H), 1/sqrt(H)), leaves every unit near its linear range;
# scaled by this the gates saturate and c leaves [-1, 1], so a wrong gate order, a missing
# bias or an activation mix-up shows up as a large error, while float32 rounding stays near 1e-6.
WEIGHT_GAIN = 3.0

ROOT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "fixtures", "torch"
)

CASES = [
    dict(
        name="lstm2_h16_d3",
        seed=20240611,
        inputs=3,
        hidden=16,
        layers=2,
        steps=1000,
        mean=[10.0, -3.0, 0.5],
        std=[2.0, 0.25, 4.0],
        keras_dtype=np.float32,
        keras_fortran=True,
    ),
    dict(
        name="lstm1_h64_d8",
        seed=20240612,
        inputs=8,
        hidden=64,
        layers=1,
        steps=1000,
        mean=None,
        std=None,
        keras_dtype=np.float64,
        keras_fortran=False,
    ),
]


class Net(nn.Module):
    """The shape the Java model runs: stacked LSTM, then a Linear head back to the input size."""

    def __init__(self, inputs, hidden, layers):
        super().__init__()
        self.lstm = nn.LSTM(inputs, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, inputs)


def raw_inputs(rng, steps, inputs, mean, std):
    """Slow sines with noise and occasional jumps, in raw units around mean with spread std."""
    t = np.arange(steps)[:, None]
    periods = rng.uniform(20.0, 200.0, size=inputs)
    phases = rng.uniform(0.0, 2 * np.pi, size=inputs)
    z = np.sin(2 * np.pi * t / periods + phases) + 0.3 * rng.standard_normal((steps, inputs))
    z[rng.random(steps) < 0.01] += 3.0  # rare spikes drive the gates into saturation
    m = np.zeros(inputs) if mean is None else np.asarray(mean)
    s = np.ones(inputs) if std is None else np.asarray(std)
    # Three decimals keep input.csv short; the float32 nearest each is what both sides read.
    return np.round(m + s * z, 3).astype(np.float32)


def run_torch(net, x, mean, std):
    """Feeds x one step at a time from a zero state; returns raw predictions, h and c per step."""
    inputs = x.shape[1]
    m = torch.zeros(inputs) if mean is None else torch.tensor(mean, dtype=torch.float32)
    s = torch.ones(inputs) if std is None else torch.tensor(std, dtype=torch.float32)
    layers, hidden = net.lstm.num_layers, net.lstm.hidden_size
    h = torch.zeros(layers, 1, hidden)
    c = torch.zeros(layers, 1, hidden)
    preds, hs, cs = [], [], []
    with torch.no_grad():
        for row in torch.from_numpy(x):
            z = ((row - m) / s).reshape(1, 1, inputs)
            _, (h, c) = net.lstm(z, (h, c))
            preds.append(net.head(h[-1, 0]) * s + m)
            hs.append(h[-1, 0].clone())
            cs.append(c[-1, 0].clone())
    return [torch.stack(v).numpy().astype(np.float32) for v in (preds, hs, cs)]


def keras_arrays(state, layers, dtype, fortran):
    def out(a):
        # a.T of a C-ordered array is a Fortran-ordered view; np.save keeps that order.
        return a.astype(dtype, copy=False) if fortran else np.ascontiguousarray(a, dtype=dtype)

    arrays = {}
    for k in range(layers):
        arrays[f"lstm_{k}/kernel"] = out(state[f"lstm.weight_ih_l{k}"].T)
        arrays[f"lstm_{k}/recurrent_kernel"] = out(state[f"lstm.weight_hh_l{k}"].T)
        bias = state[f"lstm.bias_ih_l{k}"] + state[f"lstm.bias_hh_l{k}"]  # float32 sum
        arrays[f"lstm_{k}/bias"] = bias.astype(dtype)
    arrays["dense/kernel"] = out(state["head.weight"].T)
    arrays["dense/bias"] = state["head.bias"].astype(dtype)
    return arrays


def write_csv(path, x):
    with open(path, "w") as f:
        f.write(",".join(f"x_{i}" for i in range(x.shape[1])) + "\n")
        for row in x:
            f.write(",".join(np.format_float_positional(v, unique=True) for v in row) + "\n")


def generate(case):
    torch.manual_seed(case["seed"])
    rng = np.random.default_rng(case["seed"])
    net = Net(case["inputs"], case["hidden"], case["layers"]).eval()
    with torch.no_grad():
        for p in net.lstm.parameters():
            p.mul_(WEIGHT_GAIN)
    x = raw_inputs(rng, case["steps"], case["inputs"], case["mean"], case["std"])
    pred, h, c = run_torch(net, x, case["mean"], case["std"])
    state = {k: v.numpy().astype(np.float32) for k, v in net.state_dict().items()}

    out = os.path.join(ROOT, case["name"])
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, "pytorch.npz"), **state)
    np.savez_compressed(
        os.path.join(out, "keras.npz"),
        **keras_arrays(state, case["layers"], case["keras_dtype"], case["keras_fortran"]),
    )
    if case["mean"] is not None:
        np.savez(
            os.path.join(out, "normalization.npz"),
            mean=np.asarray(case["mean"], dtype=np.float32),
            std=np.asarray(case["std"], dtype=np.float32),
        )
    write_csv(os.path.join(out, "input.csv"), x)
    np.savez_compressed(os.path.join(out, "expected.npz"), prediction=pred, h=h, c=c)
    print(
        f"{case['name']}: {case['steps']} steps, max |h| {np.abs(h).max():.3f}, "
        f"max |c| {np.abs(c).max():.3f}, max |prediction| {np.abs(pred).max():.3f}"
    )


if __name__ == "__main__":
    torch.set_num_threads(1)
    for case in CASES:
        generate(case)
