"""Write paraphrase.jsonl: claim/evidence pairs that say one thing in other words, or its
contrary, built from templates written here (no benchmark text), for train.py.

- numbers in other words: "thirty minutes" = "30 min", "7.4 percent" = "7.4%",
  "three-quarters of a percentage point" = "75 basis points", "1.1 million tons" =
  "1,100,000 tonnes"; another number is a contradiction;
- verbs of change: "slid 7.4 percent" = "dropped 7.4%"; the other direction contradicts;
- stopping and ruling out: "will stop buying" = "will no longer purchase", "ruled out a
  hike" against "expects a hike" contradicts;
- superlatives: "the last country with negative rates" = "the only country still below
  zero"; "the first" against "the last" contradicts;
- another fact of the same subject is neutral;
- several holders' figures in one sentence ("A rose 0.9%, with B jumping 1.2%", "A rose
  1%, B 2% and C 3%"): each holder's own figure is entailed, another holder's figure for
  it contradicts, a holder the sentence does not name is neutral;
- rounding and more said besides: "about 60%" = "59.8%, the lowest since 2001", "$20.8
  billion" = "$20.77 billion"; a figure rounded from another number contradicts.

    uv run python models/stance/paraphrase.py models/stance/paraphrase.jsonl
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

SEED = 20261206

SUBJECTS = (
    "Shares of the steelmaker",
    "The company's stock",
    "Retail sales",
    "Factory output",
    "Crude oil prices",
    "The central bank's main rate",
    "Exports to China",
    "Home prices",
    "The euro",
    "Quarterly revenue",
    "Annual profit",
    "Used car prices",
    "Wheat futures",
    "The jobless rate",
    "Consumer prices",
    "The airline's passenger numbers",
)
DOWN = ("fell", "slid", "dropped", "declined", "decreased", "sank", "tumbled")
UP = ("rose", "climbed", "jumped", "increased", "gained", "advanced", "surged")
PERCENT_FORMS = ("{n} percent", "{n}%", "{n} per cent")
NUMBER_WORDS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
    15: "fifteen",
    20: "twenty",
    30: "thirty",
    40: "forty",
    50: "fifty",
    60: "sixty",
    90: "ninety",
    100: "a hundred",
}
UNITS = (("minutes", "min"), ("hours", "hrs"), ("kilometers", "km"), ("days", "days"))
# (the claim's words, the evidence's figure) for an amount n: millions, thousands, billions.
QUANTITIES = (
    (lambda n: f"{n} million tons", lambda n: f"{int(n * 1_000_000):,} tonnes"),
    (lambda n: f"{n} thousand workers", lambda n: f"{int(n * 1_000):,} employees"),
    (lambda n: f"{n} billion dollars", lambda n: f"${n} billion"),
)
RATE_STEPS = (
    ("a quarter of a percentage point", "25 basis points"),
    ("half a percentage point", "50 basis points"),
    ("three-quarters of a percentage point", "75 basis points"),
    ("a full percentage point", "100 basis points"),
)
ACTORS = (
    "The central bank",
    "The Federal Reserve",
    "The Bank of Japan",
    "The company",
    "The government",
    "The regulator",
    "The ministry",
    "The airline",
)
STOPS = (
    (
        "will stop buying government bonds",
        "will no longer purchase government bonds",
        "will keep buying government bonds",
    ),
    ("will stop selling the drug", "will no longer sell the drug", "will go on selling the drug"),
    ("stopped hiring in March", "no longer hired anyone from March", "kept hiring through March"),
    (
        "will cease production at the plant",
        "will no longer make anything at the plant",
        "will expand production at the plant",
    ),
)
RULED_OUT = (
    (
        "ruled out a rate hike this year",
        "does not expect to raise rates this year",
        "expects to raise rates this year",
    ),
    ("ruled out job cuts", "said there would be no layoffs", "plans to cut jobs"),
    ("rejected the takeover offer", "turned down the bid", "accepted the takeover offer"),
)
SUPERLATIVES = (
    (
        "is the last country with negative interest rates",
        "is the only country whose rates are still below zero",
        "was the first country to leave negative interest rates",
    ),
    (
        "was the first woman to lead the agency",
        "became the agency's first female head",
        "was the third woman to lead the agency",
    ),
    (
        "is the largest producer in the world",
        "produces more than any other country",
        "is the second-largest producer in the world",
    ),
)
OTHER_FACTS = (
    "{a} will publish its next report in two weeks.",
    "{a} has its headquarters in the capital.",
    "{a} named a new chief financial officer last year.",
    "{a} has been criticised by consumer groups.",
)


GERUNDS = {
    "fell": "falling",
    "slid": "sliding",
    "dropped": "dropping",
    "declined": "declining",
    "decreased": "decreasing",
    "sank": "sinking",
    "tumbled": "tumbling",
    "rose": "rising",
    "climbed": "climbing",
    "jumped": "jumping",
    "increased": "increasing",
    "gained": "gaining",
    "advanced": "advancing",
    "surged": "surging",
}
# What a sentence says besides the claim's figure, which neither confirms nor denies it.
BESIDES = (
    "the biggest move since {year}",
    "the first change of that size since {year}",
    "far more than analysts had expected",
    "its steepest change in {k} months",
    "according to figures released on Thursday",
    "before easing later in the day",
)


LEVELS = (
    "Turnout",
    "The jobless rate",
    "The party's share of the vote",
    "The savings rate",
    "Support for the plan",
)
AMOUNTS = (
    "Quarterly revenue",
    "Annual profit",
    "Exports to China",
    "Net income",
    "Sales of the new phone",
)


def mid(subject: str) -> str:
    """A subject written inside a sentence ("The euro" -> "the euro")."""
    return subject[0].lower() + subject[1:]


def distinct_figures(rng: random.Random, count: int) -> list[float]:
    """count percentages at least 0.5 apart, so none rounds to another."""
    figures: list[float] = []
    while len(figures) < count:
        n = round(rng.uniform(0.2, 12.0), 1)
        if all(abs(n - m) >= 0.5 for m in figures):
            figures.append(n)
    return figures


def holder_pairs(rng: random.Random) -> list[dict]:
    out = []
    for _ in range(160):
        a, b, c, absent = rng.sample(SUBJECTS, 4)
        n1, n2, n3 = distinct_figures(rng, 3)
        direction = rng.choice((DOWN, UP))
        verb, other_verb, claim_verb = (rng.choice(direction) for _ in range(3))
        form = rng.choice(PERCENT_FORMS)
        shape = rng.randrange(3)
        if shape == 0:
            evidence = (
                f"{a} {verb} {form.format(n=n1)}, with {mid(b)} "
                f"{GERUNDS[other_verb]} {form.format(n=n2)}."
            )
            held = ((a, n1), (b, n2))
        elif shape == 1:
            evidence = (
                f"{a} {verb} {form.format(n=n1)}, {mid(b)} {form.format(n=n2)} "
                f"and {mid(c)} {form.format(n=n3)}."
            )
            held = ((a, n1), (b, n2), (c, n3))
        else:
            evidence = (
                f"{a} {verb} {form.format(n=n1)} on Tuesday while {mid(b)} {other_verb} "
                f"{form.format(n=n2)}."
            )
            held = ((a, n1), (b, n2))
        (holder, figure), (_, other_figure) = rng.sample(held, 2)
        say = rng.choice(PERCENT_FORMS)
        out.append(
            pair(f"{holder} {claim_verb} {say.format(n=figure)}.", evidence, "SUPPORTS", "holder")
        )
        out.append(
            pair(
                f"{holder} {claim_verb} {say.format(n=other_figure)}.",
                evidence,
                "REFUTES",
                "holder-swap",
            )
        )
        opposite = rng.choice(UP if direction is DOWN else DOWN)
        out.append(
            pair(
                f"{holder} {opposite} {say.format(n=figure)}.",
                evidence,
                "REFUTES",
                "holder-direction",
            )
        )
        out.append(
            pair(
                f"{absent} {claim_verb} {say.format(n=figure)}.",
                evidence,
                "NOT ENOUGH INFO",
                "holder-absent",
            )
        )
    return out


def rounding_pairs(rng: random.Random) -> list[dict]:
    out = []
    for _ in range(120):
        exact = round(rng.uniform(1.0, 95.0), 2)
        besides = rng.choice(BESIDES).format(year=rng.randint(1990, 2020), k=rng.randint(3, 40))
        if rng.random() < 0.5:
            said, claimed = f"{exact:.2f}%", f"about {round(exact):d}%"
            wrong = f"about {round(exact) + rng.choice((-1, 1)) * rng.randint(3, 9):d}%"
            subject = rng.choice(LEVELS)
            evidence = f"{subject} stood at {said}, {besides}."
            claim, contrary = f"{subject} was {claimed}.", f"{subject} was {wrong}."
        else:
            said, claimed = f"${exact:.2f} billion", f"${exact:.1f} billion"
            wrong = f"${exact + rng.choice((-1, 1)) * rng.uniform(2, 9):.1f} billion"
            subject = rng.choice(AMOUNTS)
            evidence = f"{subject} came to {said}, {besides}."
            claim, contrary = f"{subject} reached {claimed}.", f"{subject} reached {wrong}."
        out.append(pair(claim, evidence, "SUPPORTS", "rounded"))
        out.append(pair(contrary, evidence, "REFUTES", "rounded-other"))
    return out


def pair(claim: str, evidence: str, label: str, origin: str) -> dict:
    return {"claim": claim, "evidence": evidence, "label": label, "origin": origin}


def change_pairs(rng: random.Random) -> list[dict]:
    out = []
    for subject in SUBJECTS:
        for _ in range(4):
            n = round(rng.uniform(0.3, 19.9), 1)
            other = round(n + rng.choice((-1, 1)) * rng.uniform(0.4, 3.0), 1)
            direction = rng.choice((DOWN, UP))
            verb, said = rng.sample(direction, 2)
            form, said_form = rng.sample(PERCENT_FORMS, 2)
            claim = f"{subject} {verb} {form.format(n=n)} on Tuesday."
            out.append(
                pair(
                    claim,
                    f"{subject} {said} {said_form.format(n=n)} on Tuesday.",
                    "SUPPORTS",
                    "change",
                )
            )
            out.append(
                pair(
                    claim,
                    f"{subject} {said} {said_form.format(n=abs(other))} on Tuesday.",
                    "REFUTES",
                    "change-number",
                )
            )
            opposite = rng.choice(UP if direction is DOWN else DOWN)
            out.append(
                pair(
                    claim,
                    f"{subject} {opposite} {said_form.format(n=n)} on Tuesday.",
                    "REFUTES",
                    "change-direction",
                )
            )
    return out


def number_pairs(rng: random.Random) -> list[dict]:
    out = []
    for n, word in NUMBER_WORDS.items():
        long, short = rng.choice(UNITS)
        actor = rng.choice(ACTORS)
        claim = f"{actor} said the journey takes {word} {long}."
        out.append(
            pair(
                claim,
                f"According to {actor.lower()}, the trip lasts {n} {short}.",
                "SUPPORTS",
                "number-words",
            )
        )
        wrong = rng.choice([m for m in NUMBER_WORDS if m != n])
        out.append(
            pair(
                claim,
                f"According to {actor.lower()}, the trip lasts {wrong} {short}.",
                "REFUTES",
                "number-words",
            )
        )
    for words, digits in QUANTITIES:
        for n in (1.1, 2, 3.5, 12):
            claim = f"The plant has an annual capacity of roughly {words(n)}."
            out.append(
                pair(claim, f"Its yearly capacity is about {digits(n)}.", "SUPPORTS", "quantity")
            )
            wrong = round(n * 2 + 1, 1)
            out.append(
                pair(claim, f"Its yearly capacity is about {digits(wrong)}.", "REFUTES", "quantity")
            )
    for words, points in RATE_STEPS:
        actor = rng.choice(ACTORS[:3])
        claim = f"{actor} raised its main rate by {words}."
        out.append(
            pair(claim, f"{actor} lifted its benchmark rate by {points}.", "SUPPORTS", "rate-step")
        )
        other = rng.choice([p for _, p in RATE_STEPS if p != points])
        out.append(
            pair(claim, f"{actor} lifted its benchmark rate by {other}.", "REFUTES", "rate-step")
        )
        out.append(
            pair(claim, f"{actor} cut its benchmark rate by {points}.", "REFUTES", "rate-step")
        )
    return out


def phrase_pairs(groups, origin: str) -> list[dict]:
    out = []
    for actor in ACTORS:
        for claim_part, same, contrary in groups:
            claim = f"{actor} {claim_part}."
            out.append(pair(claim, f"{actor} {same}.", "SUPPORTS", origin))
            out.append(pair(claim, f"{actor} {contrary}.", "REFUTES", origin))
            out.append(
                pair(
                    claim,
                    OTHER_FACTS[len(out) % len(OTHER_FACTS)].format(a=actor),
                    "NOT ENOUGH INFO",
                    origin,
                )
            )
    return out


def superlative_pairs() -> list[dict]:
    out = []
    for subject in ("Japan", "Switzerland", "Ana Lopez", "Brazil", "Chile"):
        for claim_part, same, contrary in SUPERLATIVES:
            out.append(
                pair(f"{subject} {claim_part}.", f"{subject} {same}.", "SUPPORTS", "superlative")
            )
            out.append(
                pair(f"{subject} {claim_part}.", f"{subject} {contrary}.", "REFUTES", "superlative")
            )
    return out


def main() -> None:
    rng = random.Random(SEED)
    pairs = (
        change_pairs(rng)
        + number_pairs(rng)
        + phrase_pairs(STOPS, "stopping")
        + phrase_pairs(RULED_OUT, "ruling-out")
        + superlative_pairs()
        + holder_pairs(rng)
        + rounding_pairs(rng)
    )
    out = Path(sys.argv[1])
    out.write_text("".join(json.dumps(p) + "\n" for p in pairs), encoding="utf-8")
    print(f"{len(pairs)} pairs written to {out}")


if __name__ == "__main__":
    main()
