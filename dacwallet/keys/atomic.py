"""Private, crash-safe files: a reader sees the old content or the new one, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def write_private_file(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically with ``data``, mode 0600.

    The temporary file lives in the same folder so ``os.replace`` is a rename on one file system;
    it is hidden (leading dot) and ends in ``.tmp`` so readers of the folder skip it.
    """
    # mkstemp creates the file 0600 from the start, so the data is never readable by others.
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_dir(path.parent)


def remove_file(path: Path) -> None:
    """Delete ``path`` and make the deletion durable."""
    os.unlink(path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    # Without this a rename or unlink can be lost on power failure even though the file data is safe.
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
