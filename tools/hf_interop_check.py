#!/usr/bin/env python3
"""Checks that a checkpoint written by this library is what Hugging Face's GPT2LMHeadModel reads.

Usage: python3 tools/hf_interop_check.py MODEL_DIR [--jar symbiosis-cli/target/symbiosis.jar] [--text "..."]

1. Parses model.safetensors with nothing but the format's definition (8-byte little-endian header length, JSON
   header, raw little-endian data) and checks what transformers requires of it: metadata {"format": "pt"}, GPT-2's
   tensor names and Conv1D [in, out] layouts for config.json's sizes, contiguous non-overlapping offsets.
2. Computes the per-token log-probabilities of --text with Hugging Face's own GPT2LMHeadModel when the
   `transformers` package is installed, else with the same equations written out in PyTorch below (the ones of
   transformers' modeling_gpt2.py: learned positions, pre-LayerNorm blocks, fused c_attn, gelu_new, tied head),
   and compares them with `java -jar symbiosis.jar score --model MODEL_DIR --text ... --json`.
Prints one JSON line; exits non-zero on any mismatch. Needs PyTorch (Debian: python3-torch) and a JDK.
"""
import argparse
import json
import math
import os
import struct
import subprocess
import sys

import torch

DTYPES = {"F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2)}


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    tensors, spans = {}, []
    for name, info in header.items():
        dtype, size = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        count = math.prod(info["shape"])
        assert end - begin == count * size, f"{name}: {end - begin} bytes for shape {info['shape']}"
        spans.append((begin, end, name))
        buf = bytearray(data[begin:end])
        tensors[name] = torch.frombuffer(buf, dtype=dtype).reshape(info["shape"]).float() if count else \
            torch.zeros(info["shape"])
    spans.sort()
    for (b0, e0, n0), (b1, e1, n1) in zip(spans, spans[1:]):
        assert e0 <= b1, f"{n0} and {n1} overlap"
    assert spans[0][0] == 0 and spans[-1][1] == len(data), "data section not covered exactly"
    return meta, tensors


def expected_shapes(cfg):
    d, v, p, L = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"], cfg["n_layer"]
    inner = cfg.get("n_inner") or 4 * d
    shapes = {"transformer.wte.weight": [v, d], "transformer.wpe.weight": [p, d],
              "transformer.ln_f.weight": [d], "transformer.ln_f.bias": [d]}
    for i in range(L):
        h = f"transformer.h.{i}."
        shapes.update({h + "ln_1.weight": [d], h + "ln_1.bias": [d], h + "ln_2.weight": [d], h + "ln_2.bias": [d],
                       h + "attn.c_attn.weight": [d, 3 * d], h + "attn.c_attn.bias": [3 * d],
                       h + "attn.c_proj.weight": [d, d], h + "attn.c_proj.bias": [d],
                       h + "mlp.c_fc.weight": [d, inner], h + "mlp.c_fc.bias": [inner],
                       h + "mlp.c_proj.weight": [inner, d], h + "mlp.c_proj.bias": [d]})
    return shapes


def gpt2_logits(cfg, w, ids):
    """GPT2LMHeadModel.forward as in transformers' modeling_gpt2.py (eval mode, no cache)."""
    d, heads, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
    t = len(ids)
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][torch.arange(t)]
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool))

    def ln(z, p):
        return torch.nn.functional.layer_norm(z, (d,), w[p + ".weight"], w[p + ".bias"], eps)

    def conv1d(z, p):  # Conv1D: x @ W[in, out] + b
        return z @ w[p + ".weight"] + w[p + ".bias"]

    for i in range(cfg["n_layer"]):
        h = f"transformer.h.{i}."
        q, k, v = conv1d(ln(x, h + "ln_1"), h + "attn.c_attn").split(d, dim=-1)
        q, k, v = (z.reshape(t, heads, d // heads).transpose(0, 1) for z in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d // heads)
        att = att.masked_fill(~causal, torch.finfo(att.dtype).min).softmax(-1)
        x = x + conv1d((att @ v).transpose(0, 1).reshape(t, d), h + "attn.c_proj")
        m = conv1d(ln(x, h + "ln_2"), h + "mlp.c_fc")
        m = 0.5 * m * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (m + 0.044715 * torch.pow(m, 3.0))))  # gelu_new
        x = x + conv1d(m, h + "mlp.c_proj")
    return ln(x, "transformer.ln_f") @ w["transformer.wte.weight"].T


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--jar", default="symbiosis-cli/target/symbiosis.jar")
    ap.add_argument("--text", default="The river rose in the spring, and the town moved its market up the hill.")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    a = ap.parse_args()
    with open(os.path.join(a.model_dir, "config.json")) as f:
        cfg = json.load(f)
    assert cfg["model_type"] == "gpt2", cfg["model_type"]
    meta, w = read_safetensors(os.path.join(a.model_dir, "model.safetensors"))
    assert meta.get("format") == "pt", f"transformers needs __metadata__.format 'pt', got {meta}"
    want = expected_shapes(cfg)
    names = {n for n in w if not n.endswith((".attn.bias", ".attn.masked_bias"))}
    assert names == set(want), f"names differ: missing {set(want) - names}, extra {names - set(want)}"
    for n, s in want.items():
        assert list(w[n].shape) == s, f"{n}: shape {list(w[n].shape)}, GPT-2 layout needs {s}"

    out = subprocess.run(["java", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-jar", a.jar, "score",
                          "--model", a.model_dir, "--text", a.text, "--json"],
                         check=True, capture_output=True, text=True).stdout
    java = json.loads(out.strip().splitlines()[-1])
    ids = java["ids"]
    try:
        from transformers import GPT2LMHeadModel  # the real thing, where it is installed
        model = GPT2LMHeadModel.from_pretrained(a.model_dir).eval()
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0]
        reference = "transformers.GPT2LMHeadModel"
    except ImportError:
        with torch.no_grad():
            logits = gpt2_logits(cfg, w, torch.tensor(ids))
        reference = "modeling_gpt2 equations in PyTorch (transformers not installed)"
    lp = torch.log_softmax(logits.double(), -1)
    ref = [lp[i, ids[i + 1]].item() for i in range(len(ids) - 1)]
    diff = max(abs(x - y) for x, y in zip(ref, java["token_logprobs"]))
    ok = len(ref) == len(java["token_logprobs"]) and diff <= a.tolerance
    print(json.dumps({"model_dir": os.path.basename(os.path.normpath(a.model_dir)), "reference": reference,
                      "torch": torch.__version__, "tensors": len(names), "tokens": len(ids),
                      "max_abs_logprob_diff": diff, "ok": ok}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
