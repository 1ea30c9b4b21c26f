#!/usr/bin/env python3
"""Checks an exported Hugging Face folder (`sweep export --format hf`) with code that shares nothing with ours.

Reads model.safetensors with struct and json only (no safetensors package), rebuilds the forward pass of Hugging Face's
BertForSequenceClassification in plain PyTorch from config.json, and compares its logits with the expected ones.

    check-hf-export.py FOLDER EXPECTED.json

EXPECTED.json: {"input_ids": [[...]], "attention_mask": [[...]], "token_type_ids": [[...]], "logits": [[...]]}.
Exits 1 when a logit differs by more than 1e-5.
"""
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header = json.loads(file.read(length))
        data = file.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[begin:end])
        tensors[name] = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).float()
    return tensors


def forward(w, config, ids, mask, types):
    hidden, heads = config["hidden_size"], config["num_attention_heads"]
    eps = config["layer_norm_eps"]
    e = "bert.embeddings."
    positions = torch.arange(ids.shape[1])
    x = w[e + "word_embeddings.weight"][ids] + w[e + "position_embeddings.weight"][positions] + w[e + "token_type_embeddings.weight"][types]
    x = F.layer_norm(x, (hidden,), w[e + "LayerNorm.weight"], w[e + "LayerNorm.bias"], eps)
    bias = (1.0 - mask.float())[:, None, None, :] * torch.finfo(torch.float32).min
    size = hidden // heads

    def linear(name, h):
        return F.linear(h, w[name + ".weight"], w[name + ".bias"])

    def split(h):
        return h.view(h.shape[0], h.shape[1], heads, size).transpose(1, 2)

    for layer in range(config["num_hidden_layers"]):
        p = f"bert.encoder.layer.{layer}."
        q, k, v = (split(linear(p + f"attention.self.{n}", x)) for n in ("query", "key", "value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(size) + bias
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(x.shape)
        x = F.layer_norm(linear(p + "attention.output.dense", context) + x, (hidden,),
                         w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inner = F.gelu(linear(p + "intermediate.dense", x))
        x = F.layer_norm(linear(p + "output.dense", inner) + x, (hidden,),
                         w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    pooled = torch.tanh(linear("bert.pooler.dense", x[:, 0]))
    return linear("classifier", pooled)


def main(folder, expected_path):
    with open(f"{folder}/config.json") as file:
        config = json.load(file)
    assert config["architectures"] == ["BertForSequenceClassification"], config["architectures"]
    weights = read_safetensors(f"{folder}/model.safetensors")
    with open(expected_path) as file:
        expected = json.load(file)
    tensor = lambda key: torch.tensor(expected[key], dtype=torch.long)
    with torch.no_grad():
        logits = forward(weights, config, tensor("input_ids"), tensor("attention_mask"), tensor("token_type_ids"))
    worst = (logits - torch.tensor(expected["logits"])).abs().max().item()
    print(f"{len(weights)} tensors; logits of {logits.shape[0]} inputs; largest difference {worst:.3g}")
    return 0 if worst <= 1e-5 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
