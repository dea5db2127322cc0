"""The only door to repository files: paths stay inside the root, server-side files are refused.

It reads; it never writes. Every refusal is a Problem-shaped exception carrying a code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from opdgen.records import record

# DESIGN: executable or server-side files in content are refused, in any extension segment
# (`foto.php.jpg` is run as PHP by some Apache set-ups).
SERVER_SIDE = frozenset(
    {
        "php", "php3", "php4", "php5", "php7", "php8", "phtml", "phar", "pht", "phps",
        "cgi", "pl", "py", "pyc", "sh", "bash", "asp", "aspx", "ascx", "ashx", "asmx",
        "jsp", "jspx", "shtml", "shtm", "stm", "exe", "dll", "bat", "cmd", "ps1", "htaccess",
        "htpasswd",
    }
)
SERVER_SIDE_NAMES = frozenset({".htaccess", ".htpasswd", ".user.ini", "web.config"})
MAX_TEXT_BYTES = 2 * 1024 * 1024


@record
class Refused(Exception):
    """A file the guard will not hand out; `code` names the reason for opdgen.messages."""

    path: PurePosixPath
    code: str
    detail: str = ""


class Repo:
    """A repository root and the rules for reading below it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._prefix = str(self.root).rstrip(os.sep) + os.sep
        # Files handed out by walk(): reached through real folders only (linked folders are not
        # followed) and not links themselves, so they are inside the root without a resolve().
        self._walked: set[str] = set()

    def rel(self, path: Path) -> PurePosixPath:
        """The repository-relative POSIX path of a path below the root."""
        absolute = os.path.abspath(path)
        prefix = self._prefix
        if absolute.startswith(prefix):  # the common case, without pathlib's parsing
            return PurePosixPath(absolute[len(prefix):])
        return PurePosixPath(Path(absolute).relative_to(self.root).as_posix())

    def confine(self, path: Path) -> Path:
        """Resolve `path` and make sure it, and every link on the way, stays inside the root."""
        rel = self.rel(path)
        try:
            resolved = path.resolve(strict=False)
        except (RuntimeError, OSError) as exc:  # symlink loop
            raise Refused(rel, "fs.symlink_loop", str(exc)) from None
        if not resolved.is_relative_to(self.root):
            raise Refused(rel, "fs.outside_root")
        return resolved

    def check_name(self, path: Path) -> None:
        """Refuse server-side and hidden files by name."""
        name = path.name.lower()
        if name in SERVER_SIDE_NAMES:
            raise Refused(self.rel(path), "fs.server_side", name)
        for segment in name.split(".")[1:]:
            if segment in SERVER_SIDE:
                raise Refused(self.rel(path), "fs.server_side", "." + segment)
        if name.startswith("."):
            raise Refused(self.rel(path), "fs.hidden")

    def read_text(self, path: Path, max_bytes: int = MAX_TEXT_BYTES) -> str:
        """Read a UTF-8 text file inside the repository (BOM dropped, newlines normalised)."""
        self.check_name(path)
        resolved = path if str(path) in self._walked else self.confine(path)
        try:
            size = resolved.stat().st_size
            if size > max_bytes:
                raise Refused(self.rel(path), "fs.too_large", str(max_bytes // (1024 * 1024)))
            data = resolved.read_bytes()
        except OSError as exc:
            raise Refused(self.rel(path), "fs.unreadable", exc.strerror or str(exc)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise Refused(self.rel(path), "fs.encoding", str(line)) from None
        if "\x00" in text:
            raise Refused(self.rel(path), "fs.binary")
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")

    def read_bytes(self, path: Path, max_bytes: int) -> bytes:
        """Read a file inside the repository, refusing server-side names and oversized files."""
        rel = self.rel(path)
        self.check_name(path)
        resolved = self.confine(path)
        try:
            if resolved.stat().st_size > max_bytes:
                raise Refused(rel, "fs.too_large", str(max_bytes // (1024 * 1024)))
            return resolved.read_bytes()
        except OSError as exc:
            raise Refused(rel, "fs.unreadable", exc.strerror or str(exc)) from None

    def walk(self, folder: Path) -> Iterator[Path | Refused]:
        """Every file below `folder`, sorted; a refused entry is yielded as Refused, not raised."""
        try:
            real = self.confine(folder)
        except Refused as refused:
            yield refused
            return
        # Files reached through real folders from a folder that is not itself behind a link are
        # inside the root without resolving each one; below a link every file is resolved on read.
        yield from self._walk(folder, direct=real == Path(os.path.abspath(folder)))

    def _walk(self, folder: Path, *, direct: bool) -> Iterator[Path | Refused]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Refused(self.rel(folder), "fs.unreadable", exc.strerror or str(exc))
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    self.confine(path)
                    if entry.is_dir():  # a linked folder could lead back up: not followed
                        raise Refused(self.rel(path), "fs.symlink_dir")
            except Refused as refused:
                yield refused
                continue
            if entry.is_dir():
                yield from self._walk(path, direct=direct)
            else:
                if direct and not entry.is_symlink():
                    self._walked.add(str(path))
                yield path
