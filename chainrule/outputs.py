"""The files a ``chainrule`` command writes: checked before any work, written all or nothing.

A command first *claims* every file it will write. A claim checks the path at once, so a
mistake is found before a second of work:

* it is not a folder (``--html d`` where ``d`` is a folder is refused, not turned into
  ``d.html``);
* its folder exists, or can be created (no file in the way), and can be written to;
* it does not exist yet, unless ``--force`` was given: a file the user made, or one an
  earlier run wrote, is never overwritten silently;
* no two outputs of the run name the same file.

The command then *stages* each file: its content goes to a temporary file of its own (a
unique dot-name made by :func:`tempfile.mkstemp` next to the target), and when everything
has been produced, :meth:`Outputs.commit` puts each in its place:

* without ``--force``, by a hard link that fails if the name exists *at that moment*, so a
  file that appeared while the run was working (another run writing the same folder, say)
  is never replaced: the run stops with a :class:`UsageError` naming it, and removes what it
  had already published, so two runs racing to one folder leave exactly one run's files;
* with ``--force``, by :func:`os.replace`, atomically; through a symbolic link it is the
  link's target that is replaced, from a temporary file in the target's own folder (so a
  link to another filesystem works), and a dangling link or a loop is refused by name.

A run that fails or is interrupted removes only its own temporary files, so the user's
folder holds either the old files or all the new ones, each exactly at the path printed.
(A target that exists and is not a regular file, such as a device given with ``--force``,
is written in place.)

Every problem is a :class:`UsageError`, exit status 2, in words that name the file.

A picture is staged by :meth:`Outputs.stage_picture`: when nothing on the machine can draw
it (no Graphviz ``dot``, no pygraphviz), it is *skipped*, not an error. The run writes every
other file, and :meth:`Outputs.skipped_text` lists what it left out and what to install.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from chainrule.engine.i18n import message

if TYPE_CHECKING:
    from chainrule.viz import GraphvizNotFoundError


class UsageError(Exception):
    """A mistake in the command line or in a path it names, reported with exit status 2."""


def describe(error: OSError) -> str:
    """An ``OSError`` in words, without the errno number: "No space left on device"."""
    return error.strerror or str(error)


class Outputs:
    """The files one run of a command writes (see the module docstring).

    ``with outputs:`` around the work removes the staged files if the work fails.
    """

    def __init__(self, *, force: bool) -> None:
        self.force = force
        self.claimed: dict[Path, str] = {}
        self.staged: list[tuple[Path, Path]] = []
        self.made_folders: list[Path] = []
        self.skipped: dict[Path, GraphvizNotFoundError] = {}
        """The pictures :meth:`stage_picture` could not draw, each with its error."""

    def claim(self, path: Path, option: str) -> Path:
        """Check that ``path`` (named by ``option``, e.g. ``--html``) can be written; return it."""
        path = Path(path)
        key = Path(os.path.abspath(path))
        if key in self.claimed:
            raise UsageError(
                message(
                    "terminal.outputs_same_file", first=self.claimed[key], option=option, path=path
                )
            )
        if path.is_dir():
            raise UsageError(message("terminal.outputs_is_folder", option=option, path=path))
        exists = path.exists() or path.is_symlink()
        if path.is_symlink():
            _check_link(path)
        if exists and not self.force:
            raise UsageError(message("terminal.outputs_exists", path=path))
        if exists and not path.is_file():  # a device or a pipe, given with --force
            if not os.access(path, os.W_OK):
                raise UsageError(message("terminal.outputs_denied", path=path))
        else:
            check_folder(path.parent, message("terminal.outputs_cannot_write", path=path))
        self.claimed[key] = option
        return path

    def stage(self, path: Path, produce: Callable[[Path], object], suffix: str = "") -> Path:
        """Have ``produce(temporary)`` write the content of ``path``; return ``path``.

        The temporary file's name ends in ``suffix`` (default: ``path``'s own), for
        writers that choose the format by the suffix. An ``OSError`` of the writer is
        a :class:`UsageError` naming ``path``.
        """
        if Path(os.path.abspath(path)) not in self.claimed:
            raise RuntimeError(f"{path} was not claimed before it was staged")
        in_place = (path.exists() or path.is_symlink()) and not path.is_file()
        try:
            if in_place:
                folder = None
            elif path.is_symlink():  # staged beside what it points to, which is replaced
                folder = Path(os.path.realpath(path)).parent
            else:
                folder = path.parent
                self._make_folder(folder)
            handle, name = tempfile.mkstemp(
                dir=folder, prefix=f".{path.name}.", suffix=suffix or path.suffix
            )
            os.close(handle)
            temporary = Path(name)
            self.staged.append((temporary, path))
            produce(temporary)
        except OSError as error:
            raise UsageError(
                message("terminal.outputs_cannot_write_because", path=path, reason=describe(error))
            ) from None
        return path

    def stage_picture(
        self, path: Path, produce: Callable[[Path], object], suffix: str = ""
    ) -> bool:
        """:meth:`stage` a picture (or a page of pictures); ``False`` if it was skipped.

        When ``produce`` finds nothing to draw with (a
        :class:`~chainrule.viz.GraphvizNotFoundError`), its temporary file and the DOT
        source the error saved beside it are removed, and ``path`` goes to :attr:`skipped`.
        """
        from chainrule.viz import GraphvizNotFoundError

        try:
            self.stage(path, produce, suffix)
        except GraphvizNotFoundError as error:
            temporary, _ = self.staged.pop()
            for leftover in (temporary, error.dot_path):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            self.skipped[path] = error
            return False
        return True

    def skipped_text(self) -> str:
        """The files :meth:`stage_picture` skipped, why, and what to install ("" if none)."""
        if not self.skipped:
            return ""
        lines = [message("terminal.outputs_skipped")]
        by_hint: dict[str, list[str]] = {}
        for path, error in self.skipped.items():
            by_hint.setdefault(error.hint, []).append(str(path))
        lines += [f"  {', '.join(paths)}: {hint}" for hint, paths in by_hint.items()]
        lines.append(message("terminal.outputs_run_again"))
        return "\n".join(lines)

    def commit(self) -> list[Path]:
        """Put every staged file in its place; return the paths, in the order staged.

        If one cannot be placed, the files this commit had already published as new are
        removed again before the :class:`UsageError`: the run leaves all its files or none.
        """
        written: list[Path] = []
        published: list[Path] = []
        try:
            for temporary, path in self.staged:
                self._place(temporary, path, published)
                written.append(path)
        except UsageError:
            for path in published:
                with contextlib.suppress(OSError):
                    path.unlink()
            raise
        self.staged = []
        return written

    def _place(self, temporary: Path, path: Path, published: list[Path]) -> None:
        try:
            if (path.exists() or path.is_symlink()) and not path.is_file():
                with open(path, "wb") as target, open(temporary, "rb") as source:
                    shutil.copyfileobj(source, target)
                temporary.unlink()
            elif self.force:
                target = Path(os.path.realpath(path))
                os.chmod(temporary, _new_file_mode(target))
                os.replace(temporary, target)
            else:
                os.chmod(temporary, _new_file_mode(path))
                os.link(temporary, path)  # fails if anything has that name now
                published.append(path)
                temporary.unlink()
        except FileExistsError:
            raise UsageError(message("terminal.outputs_appeared", path=path)) from None
        except OSError as error:
            raise UsageError(
                message("terminal.outputs_cannot_write_because", path=path, reason=describe(error))
            ) from None

    def discard(self) -> None:
        """Remove every staged temporary file, and the folders made for them if left empty."""
        for temporary, _ in self.staged:
            with contextlib.suppress(OSError):
                temporary.unlink()
        self.staged = []
        for folder in reversed(self.made_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty
        self.made_folders = []

    def __enter__(self) -> Outputs:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.discard()

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            new.mkdir()
            self.made_folders.append(new)


def _check_link(path: Path) -> None:
    """Refuse a symbolic link that leads nowhere: dangling, or a loop."""
    try:
        os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UsageError(message("terminal.outputs_link_loop", path=path)) from None
        if error.errno == errno.ENOENT:
            raise UsageError(
                message("terminal.outputs_link_dangling", path=path, target=os.readlink(path))
            ) from None
        raise UsageError(
            message("terminal.outputs_cannot_write_because", path=path, reason=describe(error))
        ) from None


def check_folder(folder: Path, what: str) -> None:
    """Refuse a folder that cannot be made or written: a file in the way, no permission."""
    existing = folder
    while not (existing.exists() or existing.is_symlink()):
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(message("terminal.outputs_not_folder", what=what, existing=existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(message("terminal.outputs_not_writable", what=what, existing=existing))


def check_output_folder(folder: Path, option: str) -> Path:
    """Check ``folder`` (named by ``option``, e.g. ``--out``) can hold the run's files."""
    folder = Path(folder)
    if (folder.exists() or folder.is_symlink()) and not folder.is_dir():
        raise UsageError(
            message("terminal.outputs_not_folder", what=f"{option} {folder}", existing=folder)
        )
    check_folder(folder, f"{option} {folder}")
    return folder


def _new_file_mode(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
