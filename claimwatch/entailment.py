"""The trained entailment scorer: (claim, evidence sentence) -> how likely the sentence
entails the claim, contradicts it, or neither. A MiniLM cross-encoder fine-tuned here
(models/stance/train.py, model card beside it), run with onnxruntime on the CPU: no
download, no GPU, and the same readings for the same pair on every x86-64 CPU.

The model keeps int8 weights but multiplies in float (models/stance/weight_only.py):
integer kernels differ by instruction set (AVX2 saturates where AVX-512 VNNI does not),
float ones only in the last bits, which the readings' rounding to READING_DECIMALS
removes. models/stance/readings.jsonl holds the readings of 200 fixed pairs, and a test
fails on any machine that reads one of them otherwise."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from claimwatch.config import PROJECT_ROOT
from claimwatch.errors import ModelNotFound
from claimwatch.ids import content_id
from claimwatch.version import entailment_version

MODEL_DIR = PROJECT_ROOT / "models" / "stance"
MODEL_FILE = "stance.onnx"
TOKENIZER_FILE = "tokenizer.json"
# What the model's readings depend on besides this code (claimwatch.version hashes them).
VERSIONED_DATA = ("models/stance/stance.onnx", "models/stance/tokenizer.json")
MAX_TOKENS = 128  # as in training: the claim whole, the sentence cut to fit
# The most of the window a claim may fill, so the sentence always has room: reading the
# claim whole fails outright when a claim alone fills the window (a 1,300-character list
# of names did), so a longer claim is cut at this many word pieces.
MAX_CLAIM_TOKENS = 64
# One pair per call: a pair then scores the same whatever else is read (in a padded batch
# the matrix products' blocking, and so the last bits, follow the batch's shape). Two
# sessions of one thread each read two pairs at a time: 110 pairs a second here, where
# one session of two threads read 90; a reading does not depend on the thread count (the
# products split their rows between threads, never a sum), tests/test_entailment.py checks.
SESSIONS = 2
# Readings are rounded before any rule reads them: what differs between CPUs (the order
# of float sums) lies far below the third decimal.
READING_DECIMALS = 3
# onnxruntime fuses a weight's DequantizeLinear with its MatMul into an integer kernel
# (QDQ fusion) unless told not to; unfused, it folds the weights to float once, at load.
SESSION_CONFIG = {"session.disable_quant_qdq": "1"}
# A fixed thread count per session, whatever the machine has.
THREADS = 1


@dataclass(frozen=True)
class Entailment:
    """The model's probabilities for one pair; they sum to 1."""

    entails: float
    contradicts: float
    neutral: float

    @property
    def label(self) -> str:
        scores = {"entails": self.entails, "contradicts": self.contradicts, "neutral": self.neutral}
        return max(scores, key=scores.__getitem__)

    def describe(self) -> str:
        """The reason text for an evidence row: "model: contradicts 0.94"."""
        return f"model: {self.label} {max(self.entails, self.contradicts, self.neutral):.2f}"


def entailment_key(claim: str, sentence: str) -> str:
    """Return the key of the model's reading of this pair of texts (entailment_scores):
    the same texts read by the same model give the same probabilities."""
    return content_id("entailment", entailment_version(), claim, sentence)


class EntailmentModel:
    """The exported model and its tokenizer, loaded once per process."""

    def __init__(self, model_dir: Path = MODEL_DIR):
        import onnxruntime
        from tokenizers import Tokenizer

        model_path, tokenizer_path = model_dir / MODEL_FILE, model_dir / TOKENIZER_FILE
        for needed in (model_path, tokenizer_path):
            if not needed.is_file():
                raise ModelNotFound(
                    f"{needed}: the stance model is missing; restore models/stance/ from the "
                    "repository or train it again with `make model`"
                )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The same vocabulary, untruncated and unpadded, measures a claim on its own.
        self.measure = Tokenizer.from_file(str(tokenizer_path))
        self.measure.no_truncation()
        self.measure.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS, strategy="only_second")
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        for key, value in SESSION_CONFIG.items():
            options.add_session_config_entry(key, value)
        self.sessions = [
            onnxruntime.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
            for _ in range(SESSIONS)
        ]
        # What this process spent in the model, for benchmarks that report its share.
        self.pairs_scored = 0
        self.seconds_scoring = 0.0

    def score(self, pairs: Sequence[tuple[str, str]]) -> list[Entailment]:
        """Return one Entailment per (claim, sentence), in order: each pair read alone,
        the pairs shared among the sessions."""
        started = time.perf_counter()
        encodings = self.tokenizer.encode_batch(
            [(self.fitted_claim(claim), sentence) for claim, sentence in pairs]
        )
        shares = [encodings[i :: len(self.sessions)] for i in range(len(self.sessions))]
        if len(encodings) < 2:
            read = [self._read_all(self.sessions[0], encodings)]
        else:
            # A pool per call: a process forked after the model loaded keeps no dead threads.
            with ThreadPoolExecutor(len(self.sessions)) as pool:
                read = list(pool.map(self._read_all, self.sessions, shares))
        readings: list[Entailment] = [None] * len(encodings)  # type: ignore[list-item]
        for offset, share in enumerate(read):
            readings[offset :: len(self.sessions)] = share
        self.pairs_scored += len(pairs)
        self.seconds_scoring += time.perf_counter() - started
        return readings

    @staticmethod
    def _read_all(session, encodings: Sequence) -> list[Entailment]:
        return [EntailmentModel._read(session, encoding) for encoding in encodings]

    @staticmethod
    def _read(session, encoding) -> Entailment:
        """The model's probabilities for one encoded pair, rounded to READING_DECIMALS."""
        feeds = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        (logits,) = session.run(["logits"], feeds)
        shifted = np.exp(logits[0] - logits[0].max())
        probabilities = shifted / shifted.sum()
        return Entailment(*(round(float(p), READING_DECIMALS) for p in probabilities))

    def fitted_claim(self, claim: str) -> str:
        """Return the claim, cut after MAX_CLAIM_TOKENS word pieces when it is longer."""
        encoding = self.measure.encode(claim, add_special_tokens=False)
        if len(encoding.ids) <= MAX_CLAIM_TOKENS:
            return claim
        return claim[: encoding.offsets[MAX_CLAIM_TOKENS - 1][1]]


@lru_cache(maxsize=1)
def load_model() -> EntailmentModel:
    """Return the shipped model, loaded on first use and kept for the process."""
    return EntailmentModel()
