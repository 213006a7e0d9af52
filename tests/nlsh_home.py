"""An isolated nlsh user for tests that run the daemon or real shells (a plain module, so
that `from nlsh_home import NlshHome` never picks up another folder's conftest)."""

from __future__ import annotations


class NlshHome:
    """An isolated nlsh user: XDG dirs under a short /tmp path (a Unix socket path must stay
    under 108 bytes), exported into os.environ for the test (so in-process clients and
    subprocesses agree), and a daemon stopped at teardown."""

    def __init__(self, root, monkeypatch, model_dir, **settings):
        import os
        import sys
        from pathlib import Path

        self.root = Path(root)
        repo = Path(__file__).resolve().parent.parent
        dirs = {"XDG_RUNTIME_DIR": "run", "XDG_STATE_HOME": "state", "XDG_CACHE_HOME": "cache",
                "XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config"}
        for var, name in dirs.items():
            path = self.root / name
            path.mkdir(mode=0o700, exist_ok=True)
            monkeypatch.setenv(var, str(path))
        self.home = self.root / "home"
        self.home.mkdir(exist_ok=True)
        monkeypatch.setenv("HOME", str(self.home))
        monkeypatch.setenv("PYTHONPATH", str(repo))
        monkeypatch.setenv("NLSH_CONFIG", str(self.root / "config" / "config.toml"))
        for name in list(os.environ):
            if name.startswith("NLSH_") and name != "NLSH_CONFIG":
                monkeypatch.delenv(name)
        monkeypatch.setenv("NLSH_MODEL", str(model_dir))
        for name, value in settings.items():
            monkeypatch.setenv(f"NLSH_{name.upper()}", str(value))
        self.python = sys.executable
        self.repo = repo

    @property
    def env(self):
        import os

        return dict(os.environ)

    def settings(self, **overrides):
        from nlsh.config import load_settings

        return load_settings(overrides)

    def client(self, **overrides):
        from nlsh.daemon.client import DaemonClient

        return DaemonClient(self.settings(**overrides), progress=None)

    def files(self):
        from nlsh.daemon.protocol import daemon_files

        return daemon_files()

    def daemon_pid(self):
        from nlsh.daemon import locks

        return locks.live_daemon_pid(self.files().pid)

    def stop(self):
        import contextlib
        import os
        import signal

        with contextlib.suppress(Exception):
            self.client().stop(timeout_s=5)
        pid = self.daemon_pid()
        if pid and pid > 0:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
