"""A tiny Qwen2-architecture GGUF with K-quant weights, written block by block (the `gguf`
package cannot quantise to Q4_K or Q6_K), for tests of the K-quant conversion route.

Block layouts (ggml's k-quants, 256 weights a block):
- Q4_K, 144 bytes: d (fp16), dmin (fp16), 12 bytes of packed 6-bit scales and mins, 128
  bytes of 4-bit values. Every byte pattern of the scales and values is a valid block.
- Q6_K, 210 bytes: 128 bytes of low 4 bits, 64 bytes of high 2 bits, 16 int8 scales, d
  (fp16).
Random bytes with small finite d/dmin give valid blocks with weights of a sane size. The
tokenizer (vocabulary, merges) is copied from the embedded SmolLM2 file's header.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

QWEN_CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{%- if not (message.role == 'system' and loop.first) %}"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)

HIDDEN = 256
FFN = 512
HEADS = 4
KV_HEADS = 2
LAYERS = 2


def q4k_bytes(rows: int, columns: int, rng: np.random.Generator) -> np.ndarray:
    blocks = rng.integers(0, 256, size=(rows * columns // 256, 144), dtype=np.uint8)
    d = rng.uniform(0.002, 0.01, size=(blocks.shape[0], 2)).astype(np.float16)
    blocks[:, 0:4] = d.view(np.uint8)
    return blocks.reshape(rows, -1)


def q6k_bytes(rows: int, columns: int, rng: np.random.Generator) -> np.ndarray:
    blocks = rng.integers(0, 256, size=(rows * columns // 256, 210), dtype=np.uint8)
    blocks[:, 192:208] = rng.integers(-40, 40, size=(blocks.shape[0], 16)).astype(
        np.int8).view(np.uint8)
    d = rng.uniform(0.0002, 0.001, size=(blocks.shape[0], 1)).astype(np.float16)
    blocks[:, 208:210] = d.view(np.uint8)
    return blocks.reshape(rows, -1)


VOCAB = 2048


def _tokenizer_fields(source: Path) -> dict[str, object]:
    """The first VOCAB tokens of `source`'s BPE vocabulary (special tokens, bytes, the first
    merges' results) and the merges that stay within them: a small, working tokenizer whose
    conversion by transformers takes a moment instead of a minute."""
    from gguf import GGUFReader

    fields = GGUFReader(str(source)).fields
    tokens = list(fields["tokenizer.ggml.tokens"].contents())[:VOCAB]
    kept = set(tokens)
    merges = [m for m in fields["tokenizer.ggml.merges"].contents()
              if len(m.split(" ")) == 2 and m.replace(" ", "") in kept
              and all(part in kept for part in m.split(" "))]
    return {
        "tokenizer.ggml.tokens": tokens,
        "tokenizer.ggml.token_type": list(fields["tokenizer.ggml.token_type"].contents())[:VOCAB],
        "tokenizer.ggml.merges": merges,
        "tokenizer.ggml.bos_token_id": fields["tokenizer.ggml.bos_token_id"].contents(),
        "tokenizer.ggml.eos_token_id": fields["tokenizer.ggml.eos_token_id"].contents(),
    }


def write_tiny_qwen2(path: Path, tokenizer_source: Path, *, seed: int = 0) -> Path:
    """Write the tiny model to `path` (Q4_K weights, Q6_K for attn_v, ffn_down and output,
    like a Q4_K_M file's mix)."""
    import gguf

    rng = np.random.default_rng(seed)
    tokenizer = _tokenizer_fields(tokenizer_source)
    tokens = list(tokenizer["tokenizer.ggml.tokens"])  # type: ignore[call-overload]
    vocab = len(tokens)
    writer = gguf.GGUFWriter(str(path), "qwen2")
    writer.add_name("tiny-qwen2-coder-test")
    writer.add_block_count(LAYERS)
    writer.add_context_length(512)
    writer.add_embedding_length(HIDDEN)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_freq_base(10000.0)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_K_M)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types(list(tokenizer["tokenizer.ggml.token_type"]))  # type: ignore[call-overload]
    writer.add_token_merges(list(tokenizer["tokenizer.ggml.merges"]))  # type: ignore[call-overload]
    writer.add_bos_token_id(int(tokenizer["tokenizer.ggml.bos_token_id"]))  # type: ignore[call-overload]
    writer.add_eos_token_id(int(tokenizer["tokenizer.ggml.eos_token_id"]))  # type: ignore[call-overload]
    writer.add_chat_template(QWEN_CHAT_TEMPLATE)
    q4k, q6k = gguf.GGMLQuantizationType.Q4_K, gguf.GGMLQuantizationType.Q6_K
    head_dim = HIDDEN // HEADS

    def quantized(name: str, rows: int, columns: int, kind: gguf.GGMLQuantizationType) -> None:
        data = (q4k_bytes if kind == q4k else q6k_bytes)(rows, columns, rng)
        writer.add_tensor(name, data, raw_dtype=kind)  # shape: the byte shape

    def dense(name: str, values: np.ndarray) -> None:
        writer.add_tensor(name, values.astype(np.float32))

    quantized("token_embd.weight", vocab, HIDDEN, q4k)
    for index in range(LAYERS):
        block = f"blk.{index}."
        dense(block + "attn_norm.weight", rng.uniform(0.8, 1.2, HIDDEN))
        quantized(block + "attn_q.weight", HIDDEN, HIDDEN, q4k)
        dense(block + "attn_q.bias", rng.normal(0, 0.1, HIDDEN))
        quantized(block + "attn_k.weight", KV_HEADS * head_dim, HIDDEN, q4k)
        dense(block + "attn_k.bias", rng.normal(0, 0.1, KV_HEADS * head_dim))
        quantized(block + "attn_v.weight", KV_HEADS * head_dim, HIDDEN,
                  q6k if index % 2 == 0 else q4k)
        dense(block + "attn_v.bias", rng.normal(0, 0.1, KV_HEADS * head_dim))
        quantized(block + "attn_output.weight", HIDDEN, HIDDEN, q4k)
        dense(block + "ffn_norm.weight", rng.uniform(0.8, 1.2, HIDDEN))
        quantized(block + "ffn_gate.weight", FFN, HIDDEN, q4k)
        quantized(block + "ffn_up.weight", FFN, HIDDEN, q4k)
        quantized(block + "ffn_down.weight", HIDDEN, FFN, q6k if index % 2 == 0 else q4k)
    dense("output_norm.weight", rng.uniform(0.8, 1.2, HIDDEN))
    quantized("output.weight", vocab, HIDDEN, q6k)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
