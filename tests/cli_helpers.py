"""Running ``chainrule`` as a user would: a subprocess fed through a pipe or a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env.update({"PYTHONPATH": str(ROOT), "COLUMNS": "80"})
    env.update(extra)
    return env


def chainrule(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``chainrule ARGS`` with ``stdin`` piped in; stdout and stderr captured."""
    return subprocess.run(
        [sys.executable, "-m", "chainrule", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment(**env),
        timeout=120,
        cwd=ROOT,
    )


def run_python(script: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``python SCRIPT ARGS`` (an exported model, say) with this interpreter."""
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=check
    )


class Terminal:
    """``chainrule ARGS`` attached to a pseudo-terminal, driven key by key."""

    def __init__(self, *args: str, **env: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "chainrule", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=environment(**env),
            cwd=ROOT,
            close_fds=True,
        )
        os.close(slave)
        self.output = ""
        self.cursor = 0

    def read_until(self, text: str, timeout: float = 30.0) -> str:
        """Read until ``text`` appears after the last match; return the output up to its end."""
        deadline = time.monotonic() + timeout
        while (found := self.output.find(text, self.cursor)) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{text!r} did not appear; got {self.output[self.cursor :]!r}")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    seen = self.output[self.cursor :]
                    raise EOFError(f"the program ended before {text!r}; got {seen!r}")
                self.output += chunk.decode("utf-8", errors="replace").replace("\r\n", "\n")
        start, self.cursor = self.cursor, found + len(text)
        return self.output[start : self.cursor]

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def finish(self, timeout: float = 30.0) -> int:
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], timeout)
                if not ready:
                    break
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.output += chunk.decode("utf-8", errors="replace").replace("\r\n", "\n")
        except OSError:
            pass
        code = self.process.wait(timeout=timeout)
        os.close(self.master)
        return code
