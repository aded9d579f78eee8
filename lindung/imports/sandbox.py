"""Parse untrusted spreadsheet bytes in a child process that may die without taking the worker with it.

python-calamine is Rust: on a hostile file it may abort the process (an allocation it cannot make) or
panic, and neither is a Python exception a `try` could catch. So the read runs in a fresh interpreter
(`python -m lindung.imports.sandbox`) that first caps its own address space (RLIMIT_AS) and CPU time
(RLIMIT_CPU), then reads the file from stdin and writes the result to stdout as a pickle of plain
values. The parent waits with a wall-clock timeout; a child that is killed, aborts or overruns becomes
ChildFailed with an Indonesian reason, and the parent carries on.

The parent unpickles with an allow-list (plain containers and the datetime types only), so even a
child subverted by its input cannot make the parent run anything.

A fresh interpreter rather than fork: the web and worker processes hold database connections and
threads that a forked child must not touch. Start-up costs ~60 ms.

Pure Python, stdlib only.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import traceback

from lindung.lib.gcpause import gc_paused

log = logging.getLogger(__name__)

# What a child may run: name -> "module:function(data, *args) -> picklable plain values".
TARGETS = {
    "workbook": "lindung.imports.reader:workbook_payload",
    "first_sheet": "lindung.imports.reader:first_sheet_payload",
}
_ALLOWED_CLASSES = {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}


class ChildFailed(Exception):
    """The child died, ran out of memory or time; `reason` is an Indonesian phrase for the user."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Child:
    """A running child reading `data`; use as a context manager so it is always reaped."""

    def __init__(self, target: str, data: bytes, args: tuple, *, memory_mb: int, cpu_seconds: int):
        if target not in TARGETS:
            raise ValueError(f"unknown sandbox target {target!r}")
        self.memory_mb, self.cpu_seconds = memory_mb, cpu_seconds
        self._input = tempfile.TemporaryFile()  # a file, not a pipe: the child reads it at its own pace
        self._input.write(data)
        self._input.seek(0)
        command = [sys.executable, "-m", "lindung.imports.sandbox", target, str(memory_mb), str(cpu_seconds),
                   json.dumps(list(args))]
        self._process = subprocess.Popen(command, stdin=self._input, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, close_fds=True,
                                         env=_child_environment())

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.communicate()
        self._input.close()

    def result(self) -> object:
        """The child's answer; raises ChildFailed when it did not give one."""
        try:
            out, err = self._process.communicate(timeout=self.cpu_seconds * 2 + 10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            raise ChildFailed(f"pembacaannya melewati {self.cpu_seconds * 2 + 10} detik") from None
        code = self._process.returncode
        if code != 0:
            log.warning("spreadsheet reader child exited with %s: %s", code, err[:1000].decode(errors="replace"))
            raise ChildFailed(self._reason(code, err))
        try:
            with gc_paused():  # a million small acyclic objects: collector passes would find nothing
                return _SafeUnpickler(io.BytesIO(out)).load()
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, IndexError) as exc:
            log.warning("spreadsheet reader child gave an unreadable answer: %s", exc)
            raise ChildFailed("pembacaannya berhenti di tengah jalan") from None

    def _reason(self, code: int, err: bytes) -> str:
        if code == -signal.SIGXCPU or code == -signal.SIGKILL:
            return f"pembacaannya memerlukan lebih dari {self.cpu_seconds} detik"
        if b"memory allocation" in err or b"MemoryError" in err or code == -signal.SIGABRT:
            return f"pembacaannya memerlukan memori lebih dari {self.memory_mb} MB"
        return "pembaca lembar kerja berhenti karena isi berkas tidak wajar"


# The child needs to find Python and its packages, nothing else: no SECRET_KEY, no DATABASE_URL.
_PASSED_ON = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "SYSTEMROOT")


def _child_environment() -> dict[str, str]:
    environment = {name: os.environ[name] for name in _PASSED_ON if name in os.environ}
    environment["RUST_BACKTRACE"] = "0"  # one line in the log, not a page
    return environment


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ALLOWED_CLASSES:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed from the sandbox")


# --- the child ------------------------------------------------------------------------------------


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    """Linux enforces all three; where a limit cannot be set (macOS refuses RLIMIT_AS) the read still runs,
    still in its own process, and the parent's timeout still holds."""
    import resource  # Unix only; imported here so the parent side works anywhere

    memory = memory_mb * 1024 * 1024
    limits = ((resource.RLIMIT_AS, (memory, memory)), (resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5)),
              (resource.RLIMIT_CORE, (0, 0)))  # no core file with personal data after an abort
    for name, value in limits:
        try:
            resource.setrlimit(name, value)
        except (ValueError, OSError) as exc:
            print(f"sandbox: limit {name} not set: {exc}", file=sys.stderr)


def main(argv: list[str]) -> int:
    target, memory_mb, cpu_seconds, args = argv[0], int(argv[1]), int(argv[2]), json.loads(argv[3])
    _limit(memory_mb, cpu_seconds)
    module, function = TARGETS[target].split(":")
    run = getattr(importlib.import_module(module), function)
    data = sys.stdin.buffer.read()
    try:
        payload = run(data, *args)
    except BaseException as exc:  # noqa: BLE001 - the boundary: anything the parser does is "unreadable"
        # A pyo3 PanicException derives from BaseException. The traceback goes to stderr, which the
        # parent logs, so a bug of ours stays visible to the admin.
        traceback.print_exc()
        payload = ("crash", type(exc).__name__)
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: the payload is a tree of plain values, and this halves the time
    pickler.dump(payload)
    sys.stdout.buffer.write(out.getbuffer())
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
