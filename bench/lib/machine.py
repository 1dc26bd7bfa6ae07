"""The machine a benchmark ran on, the system tools it needs, and where its results go."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"
POLICY_RC = Path("/usr/sbin/policy-rc.d")


def say(message: str = "") -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def ensure_packages(wanted: dict[str, str]) -> list[str]:
    """Install the Debian package for each missing command (``{"wrk": "wrk"}``); returns what
    was installed. Services that come with a package are kept from starting and disabled:
    the benchmarks run private instances of them."""
    missing = {command: package for command, package in wanted.items() if not shutil.which(command)}
    if not missing:
        return []
    if os.geteuid() != 0:
        raise SystemExit(
            f"missing {', '.join(missing)}: run `apt-get install {' '.join(missing.values())}` "
            "as root, or this benchmark as root"
        )
    packages = sorted(set(missing.values()))
    say(f"installing {' '.join(packages)} with apt-get…")
    environ = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    # policy-rc.d exiting 101 is Debian's way to say "do not start services on install".
    made_policy = not POLICY_RC.exists()
    if made_policy:
        POLICY_RC.write_text(
            "#!/bin/sh\n# written by bench/lib/machine.py for an install\nexit 101\n"
        )
        POLICY_RC.chmod(0o755)
    try:
        if subprocess.run(install, env=environ, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=environ, check=True)
            subprocess.run(install, env=environ, check=True, stdout=subprocess.DEVNULL)
    finally:
        if made_policy:
            POLICY_RC.unlink(missing_ok=True)
    for package in packages:
        service = package.split("-")[0]  # nginx-light ships the "nginx" service
        if Path(f"/etc/init.d/{service}").exists():
            for disable in (["systemctl", "disable", service], ["update-rc.d", service, "disable"]):
                if shutil.which(disable[0]):
                    subprocess.run(disable, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    still_missing = [command for command in missing if not shutil.which(command)]
    if still_missing:
        raise SystemExit(f"apt-get ran, but {', '.join(still_missing)} is still not on PATH")
    return packages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _first_line(command: list[str]) -> str:
    if not shutil.which(command[0]) and not Path(command[0]).exists():
        return ""
    done = subprocess.run(command, capture_output=True, text=True)
    return (
        (done.stdout or done.stderr).strip().splitlines()[0] if (done.stdout or done.stderr) else ""
    )


def _proc_field(path: str, name: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == name:
                return value.strip()
    except OSError:
        pass
    return ""


def machine_facts(tools: list[list[str]] | None = None) -> dict[str, Any]:
    """Cores, memory, CPU model, kernel, Python and the load before the run; ``tools`` are
    commands whose first output line is their version (``["wrk", "--version"]``)."""
    memory_kib = _proc_field("/proc/meminfo", "MemTotal").split()
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory_kib[0]) / 2**20, 1) if memory_kib else None,
        "cpu_model": _proc_field("/proc/cpuinfo", "model name") or platform.processor(),
        "kernel": platform.release(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_before": round(os.getloadavg()[0], 2),
        "tools": {command[0].rsplit("/", 1)[-1]: _first_line(command) for command in tools or []},
    }


def describe_machine(facts: dict[str, Any], database: str) -> str:
    return (
        f"{facts['cpus']} cores ({facts['cpu_model']}), {facts['memory_gib']} GiB, "
        f"Linux {facts['kernel']}, Python {facts['python']}, {database}; "
        f"load {facts['load_average_before']} at start"
    )


def write_results(kind: str, key: str, result: dict[str, Any]) -> Path:
    """bench/results/<kind>-<local date>.json: one file a day, one entry per ``key`` (the
    database), so a PostgreSQL run keeps that day's SQLite one (as import_bench.py does)."""
    out = RESULTS / f"{kind}-{dt.date.today():%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    runs = json.loads(out.read_text()).get("runs", {}) if out.exists() else {}
    runs[key] = result
    out.write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    return out


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
