#!/usr/bin/env python3
"""Training throughput of PyTorch on one thread, the contender of docs/benchmarks.md, section 3.

One training step: an nn.LSTM (batch_first) and an nn.Linear head over a batch of N windows of W
steps, MSE against the next values, backward, Adam. The same shapes, loss and optimiser as
io.flinklstm.train.TrainThroughputBench
(src/bench/java/io/flinklstm/train/TrainThroughputBench.java), which prints the
Java side. Throughput is sequences x steps per second: N * W per training step.

    OMP_NUM_THREADS=1 python3 scripts/bench_train_torch.py                  # H64 D8 W64 N64
    python3 scripts/bench_train_torch.py --hidden 128 --inputs 38 --runs 5

Prints one line per timed run and a final line with the median, in the same format as the Java
benchmark so that the two can be put side by side.
"""

import argparse
import statistics
import time

import torch


class Model(torch.nn.Module):
    def __init__(self, inputs, hidden, layers):
        super().__init__()
        self.lstm = torch.nn.LSTM(inputs, hidden, num_layers=layers, batch_first=True)
        self.head = torch.nn.Linear(hidden, inputs)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.head(h)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--inputs", type=int, default=8)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--window", type=int, default=64)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup-steps", type=int, default=20)
    p.add_argument("--steps", type=int, default=50, help="training steps per timed run")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    a, _ = p.parse_known_args()  # arguments for the Java side only are ignored

    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    model = Model(a.inputs, a.hidden, a.layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    # A noisy multi-frequency sine per feature: the values matter little for speed, but keep them
    # in the range a normalised series has.
    t = torch.arange(a.window + 1, dtype=torch.float32)
    phase = torch.rand(a.batch, 1, a.inputs) * 6.28
    freq = 0.05 + torch.rand(a.batch, 1, a.inputs) * 0.2
    series = torch.sin(t.view(1, -1, 1) * freq + phase) + 0.1 * torch.randn(a.batch, a.window + 1, a.inputs)
    x = series[:, :-1, :].contiguous()
    y = series[:, 1:, :].contiguous()

    def step():
        opt.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(a.warmup_steps):
        step()
    rates = []
    for r in range(a.runs):
        start = time.perf_counter()
        for _ in range(a.steps):
            step()
        seconds = time.perf_counter() - start
        rate = a.batch * a.window * a.steps / seconds
        rates.append(rate)
        print(f"torch run {r + 1}: {rate:,.0f} sequence-steps/s ({1000 * seconds / a.steps:.2f} ms per training step)")
    print(
        f"torch {torch.__version__} threads={torch.get_num_threads()} H={a.hidden} D={a.inputs} "
        f"L={a.layers} W={a.window} N={a.batch}: median {statistics.median(rates):,.0f} sequence-steps/s"
    )


if __name__ == "__main__":
    main()
