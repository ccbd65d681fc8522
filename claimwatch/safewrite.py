"""Writing where the user points without destroying what claimwatch did not make.

A folder claimwatch fills (the dashboard, a Parquet export) is new, empty, or one it
filled before: there it keeps the list of files it wrote (MANIFEST), replaces only those
and deletes only those a new build no longer makes. A folder holding anything else is
refused, unless the user forces it; then claimwatch writes its own files beside the
others and replaces or deletes nothing it did not write. No write goes through a
symbolic link: every folder on the way is opened with O_NOFOLLOW, and every file is
written under a temporary name in its folder and renamed into place, so a reader sees
the old file or the new one, never half of one, and a link in the way is refused."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Self

# The list of the files claimwatch wrote in a folder, one relative path per line.
MANIFEST = ".claimwatch-files"
MANIFEST_HEADING = "# files claimwatch wrote here: it replaces and deletes only these\n"
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
COPY_CHUNK = 1 << 20


class UnsafeWrite(ValueError):
    """A write claimwatch refuses: the message says why and what to do, in one line."""


def link_refused(path: Path | str) -> UnsafeWrite:
    return UnsafeWrite(
        f"{path}: a symbolic link; claimwatch never writes through one (remove it, or name "
        "the place it points to)"
    )


def entry_mode(name: str, dir_fd: int) -> int | None:
    """Return the mode of the entry name in the folder dir_fd (a link as a link), or None."""
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return None


def write_into(
    dir_fd: int, name: str, fill: Callable[[int], None], shown: Path | str, mode: int = 0o666
) -> None:
    """Write the file name in the folder dir_fd: fill writes the content into a new
    temporary file's descriptor, which is then renamed over name. A link or anything but
    a regular file at name is refused."""
    existing = entry_mode(name, dir_fd)
    if existing is not None and stat.S_ISLNK(existing):
        raise link_refused(shown)
    if existing is not None and not stat.S_ISREG(existing):
        raise UnsafeWrite(f"{shown}: not a regular file; claimwatch will not replace it")
    temporary = f".{name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temporary, NEW_FILE_FLAGS, mode, dir_fd=dir_fd)
    try:
        try:
            fill(fd)
        finally:
            os.close(fd)
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        try:
            os.unlink(temporary, dir_fd=dir_fd)
        except FileNotFoundError:
            pass
        raise


def bytes_filler(data: bytes) -> Callable[[int], None]:
    def fill(fd: int) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    return fill


def file_filler(source: Path) -> Callable[[int], None]:
    def fill(fd: int) -> None:
        with source.open("rb") as handle:
            while chunk := handle.read(COPY_CHUNK):
                bytes_filler(chunk)(fd)

    return fill


def write_file(
    path: Path, data: bytes, force: bool = False, ours: Callable[[bytes], bool] = lambda _: False
) -> None:
    """Write one file atomically. An existing file is replaced only when ours says
    claimwatch wrote it (from its content) or force is given; a link is always refused."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        dir_fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as err:
        raise UnsafeWrite(f"{path}: cannot write ({err.strerror})") from None
    try:
        mode = entry_mode(path.name, dir_fd)
        if mode is not None and stat.S_ISLNK(mode):
            raise link_refused(path)
        if mode is not None and stat.S_ISREG(mode) and not force:
            with open(path.name, "rb", opener=lambda n, f: os.open(n, f, dir_fd=dir_fd)) as old:
                if not ours(old.read()):
                    raise UnsafeWrite(
                        f"{path}: exists and is not a file claimwatch wrote; name another "
                        "file, or --force to replace it"
                    )
        write_into(dir_fd, path.name, bytes_filler(data), path)
    except OSError as err:
        raise UnsafeWrite(f"{path}: cannot write ({err.strerror})") from None
    finally:
        os.close(dir_fd)


def relative_parts(relative: str) -> tuple[str, ...]:
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or any(p in ("..", ".", "") for p in parts):
        raise UnsafeWrite(f"{relative!r}: not a plain relative path")
    return parts


class OutputFolder:
    """A folder claimwatch fills with its own files, as the module says: open it with
    `with OutputFolder(root, force) as folder`, write files by relative path, and on a
    clean exit the files listed before and not written again are deleted and the list is
    saved. Raises UnsafeWrite for a folder it may not fill."""

    def __init__(
        self, root: Path, force: bool = False, adopt: Callable[[Path], bool] = lambda _: False
    ) -> None:
        self.root = root
        if root.is_symlink():
            raise link_refused(root)
        if root.exists() and not root.is_dir():
            raise UnsafeWrite(f"{root}: not a folder")
        try:
            root.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(root, DIR_FLAGS)
        except OSError as err:
            raise UnsafeWrite(f"{root}: cannot write ({err.strerror})") from None
        self.dirs: dict[tuple[str, ...], int] = {(): self.fd}
        self.journal: int | None = None
        self.written: set[str] = set()
        listed = self.read_manifest()
        # Files not on the list are replaced only when forced, or when the folder is one an
        # older claimwatch filled before it kept a list (adopt recognises it).
        self.replace_unlisted = force
        if listed is None:
            others = sorted(os.listdir(self.fd))
            if others and not force and not adopt(root):
                self.close()
                raise UnsafeWrite(
                    f"{root}: holds files claimwatch did not write ({', '.join(others[:3])}"
                    f"{', …' if len(others) > 3 else ''}); name a new or empty folder, or "
                    "--force to write claimwatch's files beside them (nothing else is "
                    "replaced or deleted)"
                )
            self.replace_unlisted = True
            listed = set()
        self.listed = listed

    def read_manifest(self) -> set[str] | None:
        mode = entry_mode(MANIFEST, self.fd)
        if mode is None:
            return None
        if not stat.S_ISREG(mode):
            raise UnsafeWrite(f"{self.root / MANIFEST}: not a regular file")
        fd = os.open(MANIFEST, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=self.fd)
        with os.fdopen(fd, encoding="utf-8") as handle:
            return {line for line in handle.read().splitlines() if line and line[0] != "#"}

    def folder(self, parts: tuple[str, ...], create: bool = True) -> int:
        """Return the descriptor of the folder at parts under the root, made if missing
        (with create; else FileNotFoundError); a link or a file on the way is refused."""
        if parts in self.dirs:
            return self.dirs[parts]
        parent = self.folder(parts[:-1], create)
        name = parts[-1]
        try:
            fd = os.open(name, DIR_FLAGS, dir_fd=parent)
        except FileNotFoundError:
            if not create:
                raise
            os.mkdir(name, dir_fd=parent)
            fd = os.open(name, DIR_FLAGS, dir_fd=parent)
        except OSError as err:
            if err.errno in (errno.ELOOP, errno.ENOTDIR):
                shown = self.root.joinpath(*parts)
                mode = entry_mode(name, parent)
                raise (
                    link_refused(shown)
                    if mode is not None and stat.S_ISLNK(mode)
                    else UnsafeWrite(f"{shown}: not a folder")
                ) from None
            raise
        self.dirs[parts] = fd
        return fd

    def claim(self, relative: str) -> tuple[int, str]:
        """Return (folder descriptor, file name) for writing relative, after checking the
        file there may be replaced and listing it before it is written."""
        parts = relative_parts(relative)
        dir_fd = self.folder(parts[:-1])
        if relative not in self.listed:
            if entry_mode(parts[-1], dir_fd) is not None and not self.replace_unlisted:
                raise UnsafeWrite(
                    f"{self.root / relative}: exists and claimwatch did not write it; "
                    "--force replaces it"
                )
            self.note(relative)
        self.written.add(relative)
        return dir_fd, parts[-1]

    def note(self, relative: str) -> None:
        """List a file before writing it, so that a build cut short still owns it."""
        if self.journal is None:
            existed = entry_mode(MANIFEST, self.fd) is not None
            self.journal = os.open(
                MANIFEST,
                os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o666,
                dir_fd=self.fd,
            )
            if not existed:
                os.write(self.journal, MANIFEST_HEADING.encode())
        os.write(self.journal, f"{relative}\n".encode())
        self.listed.add(relative)

    def write_bytes(self, relative: str, data: bytes) -> None:
        """Write a file in (left as it is when it already holds exactly data)."""
        dir_fd, name = self.claim(relative)
        if self.holds(dir_fd, name, data):
            return
        write_into(dir_fd, name, bytes_filler(data), self.root / relative)

    @staticmethod
    def holds(dir_fd: int, name: str, data: bytes) -> bool:
        """True when the regular file name in dir_fd holds exactly data."""
        mode = entry_mode(name, dir_fd)
        if mode is None or not stat.S_ISREG(mode):
            return False
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
        with os.fdopen(fd, "rb") as handle:
            if os.fstat(handle.fileno()).st_size != len(data):
                return False
            return handle.read() == data

    def write_text(self, relative: str, text: str) -> None:
        self.write_bytes(relative, text.encode("utf-8"))

    def copy(self, source: Path, relative: str, skip_unchanged: bool = True) -> None:
        """Copy a file in, keeping its modification time; with skip_unchanged a copy of
        the same size and time is left as it is."""
        dir_fd, name = self.claim(relative)
        source_stat = source.stat()
        if skip_unchanged:
            try:
                copied = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            except FileNotFoundError:
                copied = None
            if (
                copied is not None
                and stat.S_ISREG(copied.st_mode)
                and copied.st_size == source_stat.st_size
                and copied.st_mtime_ns == source_stat.st_mtime_ns
            ):
                return
        write_into(dir_fd, name, file_filler(source), self.root / relative)
        os.utime(
            name,
            ns=(source_stat.st_atime_ns, source_stat.st_mtime_ns),
            dir_fd=dir_fd,
            follow_symlinks=False,
        )

    def copy_tree(self, source_dir: Path, prefix: str) -> list[str]:
        """Copy every regular file under source_dir (links skipped) to prefix/…; return
        the relative paths copied."""
        copied = []
        for source in sorted(source_dir.rglob("*")):
            if source.is_symlink() or not source.is_file():
                continue
            relative = f"{prefix}/{source.relative_to(source_dir).as_posix()}"
            self.copy(source, relative)
            copied.append(relative)
        return copied

    def remove_stale(self) -> list[str]:
        """Delete the listed files this build did not write (never a folder or a file not
        on the list), and the folders that leaves empty; return what was deleted."""
        removed = []
        for relative in sorted(self.listed - self.written):
            parts = relative_parts(relative)
            try:
                dir_fd = self.folder(parts[:-1], create=False)
                mode = entry_mode(parts[-1], dir_fd)
                if mode is not None and not stat.S_ISDIR(mode):
                    os.unlink(parts[-1], dir_fd=dir_fd)
                    removed.append(relative)
            except (OSError, UnsafeWrite):
                continue
            for depth in range(len(parts) - 1, 0, -1):
                try:
                    os.rmdir(parts[depth - 1], dir_fd=self.folder(parts[: depth - 1], False))
                except OSError:
                    break
        return removed

    def save_manifest(self, names: Iterable[str]) -> None:
        text = MANIFEST_HEADING + "".join(f"{name}\n" for name in sorted(names))
        write_into(self.fd, MANIFEST, bytes_filler(text.encode()), self.root / MANIFEST)

    def close(self) -> None:
        if self.journal is not None:
            os.close(self.journal)
            self.journal = None
        for fd in self.dirs.values():
            os.close(fd)
        self.dirs = {}

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            if kind is None:
                self.remove_stale()
                if self.journal is not None:
                    os.close(self.journal)
                    self.journal = None
                self.save_manifest(self.written)
        finally:
            self.close()


def temporary_folder() -> Path:
    """A new private folder for a tool to write into before claimwatch copies its files
    where they belong (remove it with discard_folder)."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="claimwatch-"))


def discard_folder(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
