#!/usr/bin/python3
"""Writes the PyTorch parity fixtures of categorical models under
src/test/resources/fixtures/torch-categorical/.

Regenerate from the repository root with Debian's packaged torch and numpy
(apt-get install python3-torch python3-numpy; made with torch 1.13, numpy 1.24):

    /usr/bin/python3 scripts/generate_torch_categorical_fixtures.py

The output is deterministic for a given torch build (fixed seeds, one thread). The test suite
never runs this script; it reads the committed files, so regenerate and commit them together.

Each case is a next-symbol model: an optional nn.Embedding "embedding" (without one the input is
the one-hot vector of the symbol), an nn.RNN "rnn" (or an nn.LSTM "lstm") and an nn.Linear "head"
whose outputs are the logits of the vocabulary. For each case it writes, in
src/test/resources/fixtures/torch-categorical/<case>/:

  pytorch.npz   the state_dict, float32, np.savez: embedding.weight (V, E) if any;
                rnn.weight_ih_l{k} (H, D_k), rnn.weight_hh_l{k} (H, H), rnn.bias_ih_l{k},
                rnn.bias_hh_l{k} (H,) (or the lstm.* arrays with 4H rows); head.weight (V, H),
                head.bias (V,)
  vocab.txt     the vocabulary, one symbol per line, line i being id i; the out-of-vocabulary
                entry is "<unk>" (not always at id 0)
  symbols.txt   the input sequence, one symbol per line; some symbols are outside the
                vocabulary and are fed to torch as the "<unk>" id
  expected.npz  per step t, after feeding symbols 0..t from a zero state: "log_probs" (T, V),
                the log-softmax of the head's logits, and the last layer's "h" (T, H), all
                computed by torch in float32
"""

import os

import numpy as np
import torch
from torch import nn

# Scaled up from PyTorch's default init so that units saturate and a transposed or missing
# weight, a dropped bias or a wrong activation gives a large error.
WEIGHT_GAIN = 2.0

ROOT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..",
    "src",
    "test",
    "resources",
    "fixtures",
    "torch-categorical",
)

CASES = [
    dict(name="rnn2_h32_e8_v12", seed=20241101, vocab=12, unknown_at=0, embedding=8,
         cell="rnn", nonlinearity="tanh", hidden=32, layers=2, steps=1000),
    dict(name="rnn1_h16_onehot_v10_relu", seed=20241102, vocab=10, unknown_at=9, embedding=None,
         cell="rnn", nonlinearity="relu", hidden=16, layers=1, steps=1000),
    dict(name="lstm1_h16_e4_v9", seed=20241103, vocab=9, unknown_at=4, embedding=4,
         cell="lstm", nonlinearity="tanh", hidden=16, layers=1, steps=1000),
]


class Net(nn.Module):
    """Embedding (or one-hot), a recurrent stack, a Linear head to the vocabulary's logits."""

    def __init__(self, case):
        super().__init__()
        v = case["vocab"]
        self.vocab = v
        inputs = v
        if case["embedding"] is not None:
            self.embedding = nn.Embedding(v, case["embedding"])
            inputs = case["embedding"]
        else:
            self.embedding = None
        if case["cell"] == "rnn":
            self.rnn = nn.RNN(inputs, case["hidden"], num_layers=case["layers"],
                              nonlinearity=case["nonlinearity"], batch_first=True)
        else:
            self.lstm = nn.LSTM(inputs, case["hidden"], num_layers=case["layers"],
                                batch_first=True)
        self.head = nn.Linear(case["hidden"], v)

    def embed(self, symbol):
        if self.embedding is None:
            return nn.functional.one_hot(torch.tensor([symbol]), self.vocab).float()
        return self.embedding(torch.tensor([symbol]))


def vocabulary(case):
    symbols = [f"key{i}" for i in range(case["vocab"] - 1)]
    symbols.insert(case["unknown_at"], "<unk>")
    return symbols


def sequence(rng, case, symbols):
    """A sticky random walk over the known symbols, with about 3% never-seen symbols."""
    known = [s for s in symbols if s != "<unk>"]
    out = []
    current = 0
    for t in range(case["steps"]):
        if rng.random() < 0.03:
            out.append(f"unseen{t}")
            continue
        if rng.random() < 0.4:
            current = int(rng.integers(len(known)))
        else:
            current = (current + 1) % len(known)
        out.append(known[current])
    return out


def run_torch(net, ids, cell):
    layers = net.rnn.num_layers if cell == "rnn" else net.lstm.num_layers
    hidden = net.rnn.hidden_size if cell == "rnn" else net.lstm.hidden_size
    h = torch.zeros(layers, 1, hidden)
    c = torch.zeros(layers, 1, hidden)
    log_probs, hs = [], []
    with torch.no_grad():
        for symbol in ids:
            x = net.embed(symbol).reshape(1, 1, -1)
            if cell == "rnn":
                _, h = net.rnn(x, h)
            else:
                _, (h, c) = net.lstm(x, (h, c))
            log_probs.append(torch.log_softmax(net.head(h[-1, 0]), dim=0))
            hs.append(h[-1, 0].clone())
    return [torch.stack(v).numpy().astype(np.float32) for v in (log_probs, hs)]


def generate(case):
    torch.manual_seed(case["seed"])
    rng = np.random.default_rng(case["seed"])
    net = Net(case).eval()
    recurrent = net.rnn if case["cell"] == "rnn" else net.lstm
    with torch.no_grad():
        for p in recurrent.parameters():
            p.mul_(WEIGHT_GAIN)
    symbols = vocabulary(case)
    ids_of = {s: i for i, s in enumerate(symbols)}
    seq = sequence(rng, case, symbols)
    ids = [ids_of.get(s, case["unknown_at"]) for s in seq]
    log_probs, h = run_torch(net, ids, case["cell"])
    state = {k: v.numpy().astype(np.float32) for k, v in net.state_dict().items()}

    out = os.path.join(ROOT, case["name"])
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, "pytorch.npz"), **state)
    with open(os.path.join(out, "vocab.txt"), "w") as f:
        f.write("\n".join(symbols) + "\n")
    with open(os.path.join(out, "symbols.txt"), "w") as f:
        f.write("\n".join(seq) + "\n")
    np.savez_compressed(os.path.join(out, "expected.npz"), log_probs=log_probs, h=h)
    print(
        f"{case['name']}: {case['steps']} steps, {sum(1 for s in seq if s not in ids_of)} unknown,"
        f" max |h| {np.abs(h).max():.3f}, min log p {log_probs.min():.3f}"
    )


if __name__ == "__main__":
    torch.set_num_threads(1)
    for case in CASES:
        generate(case)
