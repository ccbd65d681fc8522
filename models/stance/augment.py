"""Pairs in the pipeline's own shape, to teach the model what claimwatch asks of it: the
claims claimwatch's extractor takes out of a sentence are entailed by that sentence, and
the same claims with one fact changed (a number, a date, a name, the predicate negated:
the perturbations of claimwatch.verdict_eval) are contradicted by it.

The sentences are the FEVER evidence texts of the train split only. Runs in claimwatch's
own environment (it needs the extractor), before training:

    uv run python models/stance/augment.py models/stance/augmented.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from claimwatch.article import ArticleError, mask_boilerplate, parse_article
from claimwatch.extract.claims import extract_claims
from claimwatch.nlp import load_nlp
from claimwatch.verdict_eval import perturbations

sys.path.insert(0, str(Path(__file__).parent))
from splits import FEVER, split_of

MAX_TEXTS = 2500


def main(out: Path) -> None:
    nlp = load_nlp("en_core_web_sm")
    texts: list[str] = []
    for line in (FEVER / "fever_dev_half.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        evidence = " ".join(row["evidence"])
        if split_of(row["claim"]) == "train" and evidence not in texts:
            texts.append(evidence)
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        for text in texts[:MAX_TEXTS]:
            doc = nlp(mask_boilerplate(text))
            try:
                claims = extract_claims(parse_article(text, "fever", nlp, doc=doc), doc)
            except ArticleError:
                continue
            for claim in claims[:3]:
                rows = [(claim.text, "SUPPORTS")]
                rows += [(changed, "REFUTES") for _, changed in perturbations(claim.text, nlp)[:1]]
                for claim_text, label in rows:
                    pair = {"claim": claim_text, "evidence": text, "label": label}
                    handle.write(json.dumps(pair, ensure_ascii=False) + "\n")
                    written += 1
    print(f"{written} pairs from {min(len(texts), MAX_TEXTS)} evidence texts -> {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
