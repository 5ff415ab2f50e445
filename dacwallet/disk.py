"""The wallet's files on disk: private folders and files, bounded reads, and disk failures put into words.

The data folder holds keys and the store (texts that refunds need), so it is owner-only (0700, files
0600) and tightened when found looser. A failure to create, read or write it becomes a ``DiskError``
that says what to do; it never advises discarding a file, since the store cannot be rebuilt.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import stat
from pathlib import Path

from dacwallet.errors import DacwalletError, InputError

log = logging.getLogger(__name__)

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
_NEARLY_FULL_BYTES = 1 << 20  # less free space than this is what a write failing on it is taken to mean


class DiskError(DacwalletError):
    """A folder or file of the wallet cannot be created, read or written; nothing was changed by it."""


class FileRefused(InputError):
    """A file the wallet was asked to read is not a regular file, or is larger than it can be."""


def private_folder(path: Path, what: str = "the data folder") -> Path:
    """``path`` created owner-only if missing, and tightened to 0700 if found looser."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        if not path.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(path))
    except OSError as exc:
        raise disk_error(exc, what, path) from exc
    tighten(path, PRIVATE_DIR_MODE)
    return path


def private_sqlite_file(path: Path) -> None:
    """Creates ``path`` 0600 before SQLite does (SQLite's WAL and shared-memory files copy its mode),
    and tightens an existing one and its side files."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        pass
    except OSError as exc:
        raise disk_error(exc, f"the database {path.name}", path) from exc
    else:
        os.close(fd)
    for name in ("", *_SQLITE_SIDE_FILES):
        side = path.with_name(path.name + name)
        if side.exists():
            tighten(side, PRIVATE_FILE_MODE)


def tighten(path: Path, mode: int) -> bool:
    """Takes group and others' rights off ``path`` (a folder or file of ours); True when it was looser.

    A shared folder (sticky bit, like /tmp), one owned by someone else and a symbolic link (chmod would change
    what it points to) are left as they are.
    """
    try:
        st = path.lstat()
    except OSError:
        return False
    if not st.st_mode & 0o077 or st.st_mode & stat.S_ISVTX or st.st_uid != os.geteuid() or stat.S_ISLNK(st.st_mode):
        return False
    try:
        os.chmod(path, mode)
    except OSError as exc:
        log.warning(
            "%s is readable by others (%o) and cannot be made private: %s",
            path,
            stat.S_IMODE(st.st_mode),
            exc.strerror or exc,
        )
        return False
    return True


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, refused (FileRefused) past ``limit`` bytes or when it is not
    a regular file (a device, a pipe, a folder): nothing is read from it then."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; it is refused just below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FileRefused(f"Cannot read the {what} file {path}: {exc.strerror or exc}.") from exc
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(
                f"The {what} file {path} is not a regular file (it is a device, a pipe or a folder), so it is not read."
            )
        if st.st_size > limit:
            raise FileRefused(
                f"The {what} file {path} is {st.st_size:,} bytes, more than a {what} file can be "
                f"({limit:,}); name the right file."
            )
        chunks, size = [], 0
        while size <= limit:  # a file growing while read stops at the limit too
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise FileRefused(f"Cannot read the {what} file {path}: {exc.strerror or exc}.") from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileRefused(f"The {what} file {path} is more than {limit:,} bytes; name the right file.")
    return data


def disk_error(exc: OSError | sqlite3.Error, what: str, path: Path | None = None) -> DiskError:
    """Words for a failure to use ``what`` (at ``path``): a full disk, no permission, a damaged database..."""
    where = f"{what} ({path})" if path is not None else what
    text = str(exc).lower()
    code = exc.errno if isinstance(exc, OSError) else None
    if (
        code in (errno.ENOSPC, errno.EDQUOT)
        or "disk is full" in text
        or "disk full" in text
        or (("disk i/o error" in text or isinstance(exc, OSError)) and path is not None and _nearly_full(path))
    ):
        return DiskError(
            f"The disk is full: {where} cannot be written. Nothing was lost: free some space on "
            "that disk and run the command again (anything already sent is settled then, never sent "
            "twice).",
            detail=str(exc),
        )
    if (
        code in (errno.EACCES, errno.EPERM, errno.EROFS)
        or "readonly" in text
        or "read-only" in text
        or "unable to open" in text
    ):
        return DiskError(
            f"{_capital(where)} cannot be written: check that it is yours and writable (not on a "
            "read-only disk), or choose another data folder with --data-dir; then try again.",
            detail=str(exc),
        )
    if code in (errno.ENOTDIR, errno.EEXIST, errno.ENOENT, errno.ELOOP):
        return DiskError(
            f"{_capital(where)} cannot be created or opened: {_reason(exc)}. Choose another data "
            "folder with --data-dir (or DACWALLET_DATA_DIR).",
            detail=str(exc),
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return DiskError(
            f"{_capital(where)} is damaged; nothing was changed. Keep the file (it holds what "
            "refunds need) and restore it from a backup copy made while dacwallet was closed, or "
            "rescue it with `sqlite3 FILE .recover`.",
            detail=str(exc),
        )
    if "locked" in text or "busy" in text:
        return DiskError(
            f"{_capital(where)} is in use by another dacwallet that holds it too long; try again in a moment.",
            detail=str(exc),
        )
    return DiskError(
        f"{_capital(where)} cannot be used: {_reason(exc)}. Nothing was lost: check the disk and try again.",
        detail=str(exc),
    )


def _nearly_full(path: Path) -> bool:
    """SQLite says only "disk I/O error" when a full disk stops it creating its journal: look at the disk."""
    for candidate in (path, *path.parents):
        try:
            usage = os.statvfs(candidate)
        except (OSError, AttributeError):  # not there (yet), or not POSIX
            continue
        return usage.f_bavail * usage.f_frsize < _NEARLY_FULL_BYTES
    return False


def _reason(exc: OSError | sqlite3.Error) -> str:
    return (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
