"""Code versions: hashes that stamp what stored results were computed by, so a cache is
used only by the code that filled it.

A version is not a hand-kept list of files. It starts from a component's entry modules
and follows their imports within claimwatch (read with `ast`, nothing is imported), so a
function moved into a new module is still covered. With each module that names its
package's `data` folder it hashes that folder, whole (a new file counts), and any file the
module names in a `VERSIONED_DATA` tuple (paths from the project root), which is how a
module that reads data kept elsewhere (the alias table, the model) declares it.

- extractor_version: the claims an article yields (stored claims and document analyses);
- matcher_version: a claim's stance toward a sentence (stored pair stances);
- entailment_version: the model's reading of a pair of texts (stored entailment scores);
- pipeline_version: everything from an article and its sources to verdicts (a run of
  other code is never taken as an unchanged re-run)."""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

# Modules that hold settings, error types and this hashing: importing them cannot change
# what a component computes, and hashing them would throw every cache away when a setting
# is documented or an error message reworded.
NEUTRAL_MODULES = frozenset({"claimwatch.config", "claimwatch.errors", "claimwatch.version"})
# The parser assembled with the claim component (nlp), the component, and the sentence
# splitting around it (article).
EXTRACTOR_ENTRIES = ("claimwatch.nlp", "claimwatch.extract.component", "claimwatch.article")
# A stored pair stance is judge's reading decided by the precedence table with the model.
MATCHER_ENTRIES = ("claimwatch.stance.judge", "claimwatch.stance.rules", "claimwatch.entailment")
ENTAILMENT_ENTRIES = ("claimwatch.entailment",)
# The verdict rules, and the pipeline, which reads two sentences of a document together
# (pipeline.joint_stances); the pipeline's own imports (fetching, storage) are not hashed:
# they move data, they do not decide verdicts.
VERDICT_ENTRIES = ("claimwatch.verdict",)
VERDICT_FILES = ("claimwatch/pipeline.py", "sql/queries/candidates.sql")


def package_root() -> Path:
    """The claimwatch package folder whose files are hashed."""
    return Path(__file__).parent


def module_file(root: Path, name: str) -> Path | None:
    """Return the file of claimwatch module name under root, or None if it is not one."""
    parts = name.split(".")[1:]
    path = root.joinpath(*parts)
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def imported_modules(root: Path, name: str, tree: ast.Module, is_package: bool) -> set[str]:
    """Return the claimwatch modules a module's code imports (relative imports resolved;
    `from pkg import sub` counts sub when it is a module)."""
    package = name if is_package else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            found.add(source)
            found |= {f"{source}.{alias.name}" for alias in node.names}
    return {m for m in found if m.startswith("claimwatch.") and module_file(root, m)}


def declared_data(tree: ast.Module) -> tuple[str, ...]:
    """Return the paths a module lists in VERSIONED_DATA (a tuple of string literals)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "VERSIONED_DATA" for t in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    return ()


def reads_data_folder(tree: ast.Module) -> bool:
    """True when a module names its package's data folder (Path(__file__).parent / "data")."""
    return any(isinstance(node, ast.Constant) and node.value == "data" for node in ast.walk(tree))


def closure(root: Path, entries: Iterable[str]) -> dict[str, ast.Module]:
    """Return every claimwatch module the entries import, directly or not, parsed."""
    parsed: dict[str, ast.Module] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in parsed or name in NEUTRAL_MODULES:
            continue
        path = module_file(root, name)
        if path is None:
            raise ValueError(f"{name}: no such claimwatch module under {root}")
        tree = ast.parse(path.read_bytes())
        parsed[name] = tree
        todo += imported_modules(root, name, tree, path.name == "__init__.py")
        # Importing a module runs its package's __init__ first.
        parent = name.rsplit(".", 1)[0]
        if parent != "claimwatch":
            todo.append(parent)
    return parsed


def hash_files(digest, base: Path, paths: Iterable[Path]) -> None:
    """Add files to digest with their paths from base, so a renamed file counts too."""
    for path in sorted(set(paths)):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())


def component_digest(entries: Iterable[str], root: Path | None = None):
    """Return a sha256 of a component: its modules' code, their packages' data folders and
    the data files they declare."""
    root = root or package_root()
    project = root.parent
    modules = closure(root, entries)
    files: set[Path] = set()
    for name, tree in modules.items():
        path = module_file(root, name)
        assert path is not None
        files.add(path)
        data = path.parent / "data"
        if data.is_dir() and reads_data_folder(tree):
            files |= {f for f in data.rglob("*") if f.is_file() and "__pycache__" not in f.parts}
        files |= {project / declared for declared in declared_data(tree)}
    digest = hashlib.sha256()
    hash_files(digest, project, files)
    return digest


def model_id(nlp: Language) -> str:
    """Return which model a pipeline is: "en_core_web_sm-3.8.0"."""
    meta = nlp.meta
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def lemminflect_version() -> str:
    from importlib.metadata import version

    return version("lemminflect")


@lru_cache(maxsize=4)
def extractor_version(model_name: str) -> str:
    """Return the version of the code, data and model that turn an article into claims."""
    digest = component_digest(EXTRACTOR_ENTRIES)
    # lemminflect writes the verbs of rebuilt claims ("won", "is developing").
    digest.update(
        f"{model_name}|spacy {spacy.__version__}|lemminflect {lemminflect_version()}".encode()
    )
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def matcher_version() -> str:
    """Return the version of the matching code and data and the rapidfuzz release it
    scores with."""
    import rapidfuzz

    digest = component_digest(MATCHER_ENTRIES)
    digest.update(f"rapidfuzz {rapidfuzz.__version__}".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def entailment_version() -> str:
    """Return the version of what the entailment model's reading of a pair depends on: its
    weights and tokenizer, the code that feeds it, and the onnxruntime release."""
    import onnxruntime

    digest = component_digest(ENTAILMENT_ENTRIES)
    digest.update(f"onnxruntime {onnxruntime.__version__}".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def pipeline_version(model_name: str) -> str:
    """Return a hash of all code that turns an article and its sources into verdicts: a run
    by other code is no stand-in for a new one."""
    root = package_root()
    digest = component_digest(VERDICT_ENTRIES, root)
    digest.update(f"{extractor_version(model_name)}|{matcher_version()}".encode())
    hash_files(digest, root.parent, (root.parent / name for name in VERDICT_FILES))
    return digest.hexdigest()[:16]
