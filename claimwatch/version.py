"""The version of the claim extractor: a hash of the code and model that turn an article
into claims. Claims stored under the same version need not be extracted again."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from claimwatch.config import PROJECT_ROOT

# The modules whose code decides which claims an article yields.
EXTRACTOR_MODULES = ("article", "text", "nlp", "ids")
# The extraction package, hashed whole: its claims, syntax and slot readers, and the
# WordNet-derived data they read.
EXTRACTOR_PACKAGES = ("extract",)


def model_id(nlp: Language) -> str:
    """Return which model a pipeline is: "en_core_web_sm-3.8.0"."""
    meta = nlp.meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def hash_package(digest, package: Path, folder: str) -> None:
    """Add every file of a package folder to digest, its path with it, so a new file counts."""
    for path in sorted((package / folder).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())


def lemminflect_version() -> str:
    from importlib.metadata import version

    return version("lemminflect")


@lru_cache(maxsize=4)
def extractor_version(model_name: str) -> str:
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for module in EXTRACTOR_MODULES:
        digest.update((package / f"{module}.py").read_bytes())
    for folder in EXTRACTOR_PACKAGES:
        hash_package(digest, package, folder)
    for data in (package.parent / "seeds").glob("aliases.csv"):
        digest.update(data.read_bytes())
    # lemminflect writes the verbs of rebuilt claims ("won", "is developing").
    digest.update(
        f"{model_name}|spacy {spacy.__version__}|lemminflect {lemminflect_version()}".encode()
    )
    return digest.hexdigest()[:16]


# The modules whose code decides a claim's stance toward a sentence, and the stance
# package (its rules and its lexicon data), hashed whole so a new file counts too.
MATCHER_MODULES = ("match", "entailment")
MATCHER_PACKAGES = ("stance", "extract/slots")
# The trained model they run (models/stance/).
MATCHER_FILES = ("models/stance/stance.onnx", "models/stance/tokenizer.json")


@lru_cache(maxsize=1)
def matcher_version() -> str:
    """Return a hash of the matching code and the rapidfuzz release it scores with."""
    import rapidfuzz

    digest = hashlib.sha256()
    package = Path(__file__).parent
    for module in MATCHER_MODULES:
        digest.update((package / f"{module}.py").read_bytes())
    for folder in MATCHER_PACKAGES:
        hash_package(digest, package, folder)
    for name in MATCHER_FILES:
        digest.update((PROJECT_ROOT / name).read_bytes())
    digest.update(f"rapidfuzz {rapidfuzz.__version__}".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def entailment_version() -> str:
    """Return a hash of what the entailment model's reading of a pair depends on: its
    weights and tokenizer, the code that feeds it, and the onnxruntime release."""
    import onnxruntime

    digest = hashlib.sha256((Path(__file__).parent / "entailment.py").read_bytes())
    for name in MATCHER_FILES:
        digest.update((PROJECT_ROOT / name).read_bytes())
    digest.update(f"onnxruntime {onnxruntime.__version__}".encode())
    return digest.hexdigest()[:16]


# The files, besides the extractor and matcher, that decide a run's verdicts (the
# pipeline reads two sentences of a document together, see pipeline.joint_stances).
VERDICT_FILES = ("claimwatch/verdict.py", "claimwatch/pipeline.py", "sql/queries/candidates.sql")


@lru_cache(maxsize=4)
def pipeline_version(model_name: str) -> str:
    """Return a hash of all code that turns an article and its sources into verdicts: a run
    by other code is no stand-in for a new one."""
    digest = hashlib.sha256(f"{extractor_version(model_name)}|{matcher_version()}".encode())
    for name in VERDICT_FILES:
        digest.update((PROJECT_ROOT / name).read_bytes())
    return digest.hexdigest()[:16]
