"""The trained entailment model as shipped, and the stance step's floors on held-out FEVER
pairs with and without it (the rules that fold its reading in: test_stance_rules.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimwatch.entailment import MODEL_DIR, load_model
from claimwatch.stance_eval import evaluate_stance

HELD_OUT = MODEL_DIR / "fever-test.jsonl"
READINGS = MODEL_DIR / "readings.jsonl"
# How far a reading may move between machines: the float products' last bits differ by CPU,
# and after rounding to three decimals a reading moves by 0.001 at most.
READING_TOLERANCE = 0.002


def recorded_readings() -> list[dict]:
    return [json.loads(line) for line in READINGS.read_text(encoding="utf-8").splitlines()]


def test_this_machine_reads_the_fixed_pairs_as_recorded():
    """The model's readings of 200 fixed pairs, recorded once (models/stance/readings.py),
    are what this CPU reads too: CI passing here says the verdicts are the same there."""
    records = recorded_readings()
    assert len(records) == 200
    readings = load_model().score([(r["claim"], r["sentence"]) for r in records])
    moved = [
        (record["claim"], record["sentence"], reading)
        for record, reading in zip(records, readings, strict=True)
        if max(
            abs(reading.entails - record["entails"]),
            abs(reading.contradicts - record["contradicts"]),
            abs(reading.neutral - record["neutral"]),
        )
        > READING_TOLERANCE
    ]
    assert moved == [], f"{len(moved)} of 200 pairs read otherwise on this CPU, first: {moved[0]}"


# CPUs without what this one has: AVX2 and FMA without AVX-512 (the AMD EPYC the readings
# first moved on), and SSE4.2 only. QEMU's user-mode emulator shows onnxruntime each one's
# instruction set, so it picks that CPU's kernels (make emulator installs qemu-user).
EMULATED_CPUS = ("EPYC-Rome", "Nehalem")
EMULATED_PAIRS = 6
READ_PAIRS = """
import json, sys
from claimwatch.entailment import load_model
records = [json.loads(line) for line in sys.stdin]
readings = load_model().score([(r["claim"], r["sentence"]) for r in records])
print(json.dumps([[x.entails, x.contradicts, x.neutral] for x in readings]))
"""


@pytest.mark.parametrize("cpu", EMULATED_CPUS)
def test_an_emulated_cpu_of_another_instruction_set_reads_the_pairs_alike(cpu: str):
    import shutil
    import subprocess
    import sys

    emulator = shutil.which("qemu-x86_64")
    assert emulator, "qemu-x86_64 is missing: `make emulator` installs Debian's qemu-user"
    records = recorded_readings()[:: len(recorded_readings()) // EMULATED_PAIRS][:EMULATED_PAIRS]
    result = subprocess.run(
        [emulator, "-cpu", cpu, sys.executable, "-c", READ_PAIRS],
        input="".join(json.dumps(r) + "\n" for r in records),
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    read = json.loads(result.stdout)
    for record, (entails, contradicts, neutral) in zip(records, read, strict=True):
        assert abs(entails - record["entails"]) <= READING_TOLERANCE, (cpu, record)
        assert abs(contradicts - record["contradicts"]) <= READING_TOLERANCE, (cpu, record)
        assert abs(neutral - record["neutral"]) <= READING_TOLERANCE, (cpu, record)


def test_the_shipped_model_loads_scores_in_order_and_deterministically():
    model = load_model()
    pairs = [
        ("The award is presented to the worst film.", "The award is presented to the best film."),
        (
            "Soul Food was released by Fox 2000 Pictures.",
            "Soul Food is a 1997 American film released by Fox 2000 Pictures.",
        ),
        ("Mogadishu is a city.", "Savages is a 2012 American crime thriller film."),
    ]
    first, second = model.score(pairs), model.score(list(reversed(pairs)))
    assert first == list(reversed(second))
    alone = [model.score([pair])[0] for pair in pairs]
    assert alone == first, "a pair scores the same alone and beside others"
    assert all(abs(e.entails + e.contradicts + e.neutral - 1) <= 2e-3 for e in first)  # 3 decimals
    worst, released, unrelated = first
    assert worst.contradicts > worst.entails
    assert released.label == "entails"
    assert unrelated.label == "neutral"
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()


# Measured on the first 400 pairs of the held-out FEVER split (never trained or tuned on;
# 197 REFUTES): accuracy and the share of REFUTES judged SUPPORTS, with the model and
# without it. A few pairs of slack, so noise does not fail CI but a regression does.
HELD_OUT_FLOORS = {
    "with the model": (True, 0.44, 0.10),  # measured 0.45 and 0.0812 (issue 30's model)
    "without the model": (False, 0.40, 0.35),  # measured 0.42 and 0.3249
}


@pytest.mark.parametrize("name", sorted(HELD_OUT_FLOORS))
def test_held_out_fever_floors(name: str):
    use_model, accuracy_floor, refutes_supported_ceiling = HELD_OUT_FLOORS[name]
    report = evaluate_stance(HELD_OUT, load_nlp_once(), limit=400, use_model=use_model)
    assert report.accuracy >= accuracy_floor, report
    assert report.refutes_called_supports <= refutes_supported_ceiling, report


def load_nlp_once():
    from claimwatch.nlp import load_nlp

    return load_nlp("en_core_web_sm")


def test_a_bad_pairs_file_is_one_line(tmp_path: Path):
    from claimwatch.stance_eval import StanceInputError, load_pairs

    bad = tmp_path / "pairs.jsonl"
    bad.write_text('{"claim": "a", "evidence": "b", "label": "SUPPORTS"}\n{"claim": "a"}\n')
    with pytest.raises(StanceInputError, match="pairs.jsonl:2: not a"):
        load_pairs(bad)
    bad.write_text('{"claim": "a", "evidence": "b", "label": "MAYBE"}\n')
    with pytest.raises(StanceInputError, match="label 'MAYBE'"):
        load_pairs(bad)


def test_a_missing_model_is_one_clear_error(tmp_path: Path):
    from claimwatch.entailment import EntailmentModel
    from claimwatch.errors import ModelNotFound

    with pytest.raises(ModelNotFound, match="stance model is missing.*make model"):
        EntailmentModel(tmp_path)
