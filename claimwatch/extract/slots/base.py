"""The slot: one checkable fact, and where in its sentence it belongs."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token


@dataclass(frozen=True)
class Slot:
    """One checkable fact inside a claim or sentence."""

    kind: str  # number | money | percent | date | entity | polarity
    value: str  # normalised: "11", "600000000", "2021-09-24", "People's Bank of China", "negated"
    unit: str = ""  # what a number counts ("agency") or a money currency ("USD")
    text: str = ""  # the words it came from
    # For a percentage: which kind of the measured thing ("core" of "core prices") and the
    # span a change is over ("year", "month"); for a length of time, what lasted ("negative
    # rate" of "eight years of negative rates"). Figures of another kind or span never conflict.
    scope: str = ""
    period: str = ""
    # For a figure or date in a source sentence: the clause it belongs to (its verb's
    # position), so "rose 0.4% in September after 0.3% in August" dates each figure.
    anchor: str = ""
    # For a figure: the part it plays besides being one (ROLES): "0.13 seconds ahead" is a
    # margin, "broke the record of 10.62 seconds" a surpassed figure, "is likely to reach
    # 6%" a forecast, "to 0.25% from 0.1%" the level a change started from. Figures of
    # different roles never conflict.
    role: str = ""
    # For a clause of a sentence whose clauses differ in polarity: "negated" or "affirmed".
    polarity: str = ""
    # For a clause: its terms; for a compound object ("derivatives trading"): the kinds of
    # it the claim names, one of which a supporting sentence has to name.
    terms: tuple[str, ...] = ()
    # For a count, amount or percentage: the distinctive words of whose it is ("mac" for
    # "Mac sales fell 29%"), () when the parse binds it to no one (extract.slots.holders).
    # Figures of different holders never conflict nor confirm each other.
    holder: tuple[str, ...] = ()

    @property
    def measure(self) -> str:
        """What the figure measures, with its role: "rate (from)", "second (margin)".
        Matching compares figures of the same measure only."""
        return f"{self.unit} ({self.role})" if self.role else self.unit


MARGIN, SURPASSED, FORECAST, FROM = "margin", "surpassed", "forecast", "from"
# "two people familiar with the talks said": a count of who is quoted (extract.slots.holders).
SOURCE = "source"
ROLES = (MARGIN, SURPASSED, FORECAST, FROM, SOURCE)


# The shape of a stored slot record (the `slots` JSON of claims and sentences, beside
# their `slot_schema` column). A change of Slot's fields raises it, with a migration in
# sql/schema/ that rewrites stored rows of the older shape (014 did it for schema 2, 016
# for schema 3: figures' holders).
SLOT_SCHEMA = 3


def slot_from_record(record: dict) -> Slot:
    """Return a slot from its stored JSON record (schema SLOT_SCHEMA)."""
    return Slot(
        **{
            **record,
            "terms": tuple(record.get("terms", ())),
            "holder": tuple(record.get("holder", ())),
        }
    )


def normalise_apostrophes(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


ASIDE = "aside"


def aside_of(token: Token) -> str:
    """Return ASIDE for a figure told in a relative clause about someone named ("Shericka
    Jackson, who had moved down from the 400 meters, took bronze"): it describes that
    person, so it may confirm a claim's figure (stance.compare.fits_scope) but never contradict
    one (its scope differs from the claim's)."""
    verb = governing_verb(token)
    return ASIDE if verb.dep_ == "relcl" and verb.head.pos_ == "PROPN" else ""


def first_pobj(preposition: Token) -> Token | None:
    return next((c for c in preposition.children if c.dep_ == "pobj"), None)


def preposition_object(token: Token, word: str) -> Token | None:
    """Return the object of the token's "<word> …" phrase: "negative rates" for the "of"
    of "years of negative rates"; None when it has no such phrase."""
    phrase = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == word), None)
    return first_pobj(phrase) if phrase is not None else None


def governing_verb(token: Token) -> Token:
    """Return the verb (or auxiliary) a token hangs from, or the sentence root if none."""
    verb = token
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    return verb


def said_when(phrase: Token) -> Token | None:
    """Return the reporting verb a time phrase belongs to when the parser hung it on the
    reported clause: in "US Steel said on Tuesday it will close the plant", "on Tuesday"
    stands between "said" and the clause's subject, so it dates the saying, not the
    closing. None for any other phrase."""
    verb = phrase.head
    if verb.dep_ != "ccomp" or not verb.head.i < phrase.i:
        return None
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return verb.head if subject is not None and phrase.i < subject.i else None


def clause_anchor(token: Token) -> str:
    """Return the position of the verb whose clause a figure or date belongs to, with
    coordinated verbs counted as one clause ("rose 0.9% in September, and ... climbed")."""
    verb = governing_verb(token)
    while verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        verb = verb.head
    return str(verb.i)
