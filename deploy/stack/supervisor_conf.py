"""supervisord's configuration for `make stack`, generated from Procfile.stack at each start.

Procfile.stack stays the one list of the stack's processes (honcho's format, `name: command`);
this turns its lines into supervisord programs so that a process that dies is started again
while the others keep running (under honcho, one exit stopped them all). supervisord stays in
the foreground, each program's output goes to its stdout, and Ctrl+C (SIGINT) stops them all.

Each line runs under `/bin/sh -c`, as honcho ran it, so `$BIN` or `$STACK_PORT` come from the
environment supervisord inherits (deploy/stack/up exports var/stack/env): every program gets
the same variables. A plain command is `exec`'d, so that the program's pid is the process's
own (signals, /proc); a line with shell control operators (a loop) keeps its shell, and
stopping signals the whole process group.

    python deploy/stack/supervisor_conf.py --procfile Procfile.stack --state var/stack \\
        --count worker=2 --skip redis > var/stack/supervisord.conf
"""

import argparse
import re
import shlex
import sys
from pathlib import Path

LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")
# A command with one of these is a little shell program, not one process to exec.
SHELL_CONTROL = re.compile(r"[;&|\n]|^\s*(while|for|if|until|case)\b")

# What every program shares. A process that exits (or is killed) is started again at once; one
# that cannot stay up `startsecs` is retried with a growing delay (1 s, 2 s…) `startretries`
# times, then left FATAL (`supervisorctl status` shows it) while the others keep serving.
PROGRAM_DEFAULTS = {
    "autostart": "true",
    "autorestart": "true",
    "startsecs": "3",
    "startretries": "10",
    "stopasgroup": "true",
    "killasgroup": "true",
    "stopwaitsecs": "15",
    "redirect_stderr": "true",
    "stdout_logfile": "/dev/stdout",
    "stdout_logfile_maxbytes": "0",
}


def read_procfile(path: Path) -> list[tuple[str, str]]:
    """(name, command) for each process line, in order; comments and blank lines skipped."""
    processes = []
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = LINE.match(line)
        if match is None:
            raise ValueError(f"{path}:{number}: not a `name: command` line: {raw!r}")
        processes.append((match.group(1), match.group(2).strip()))
    names = [name for name, _command in processes]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: a process name appears twice: {names}")
    return processes


def _value(text: str) -> str:
    """A value as supervisord reads it: `%` starts its own expansions, so it is doubled."""
    return text.replace("%", "%%")


def shell_command(command: str) -> str:
    """The line run by /bin/sh, `exec`'d when it is one plain command."""
    script = command if SHELL_CONTROL.search(command) else f"exec {command}"
    return "/bin/sh -c " + shlex.quote(script)


def render(
    processes: list[tuple[str, str]],
    *,
    state: Path,
    directory: Path,
    counts: dict[str, int] | None = None,
    skip: set[str] | frozenset[str] = frozenset(),
) -> str:
    """supervisord.conf for `processes`; its socket, pid file and log in `state`.

    `counts` runs several copies of a program (`worker-0`, `worker-1`…, group `worker`), as
    honcho's `-c worker=2` did; a count of 0 leaves the program out, as does `skip`.
    """
    counts = counts or {}
    unknown = (set(counts) | set(skip)) - {name for name, _command in processes}
    if unknown:
        raise ValueError(f"not in the Procfile: {sorted(unknown)}")
    sock = state / "supervisor.sock"
    sections = [
        (
            "supervisord",
            {
                "nodaemon": "true",  # in the foreground: its log and the programs' output here
                "logfile": str(state / "supervisord.log"),
                "logfile_maxbytes": "1MB",
                "logfile_backups": "1",
                "pidfile": str(state / "supervisord.pid"),
                "childlogdir": str(state),
            },
        ),
        # `supervisorctl -c var/stack/supervisord.conf status` (or restart worker:*); the
        # socket is reachable by its owner only.
        ("unix_http_server", {"file": str(sock), "chmod": "0700"}),
        (
            "rpcinterface:supervisor",
            {"supervisor.rpcinterface_factory": "supervisor.rpcinterface:make_main_rpcinterface"},
        ),
        ("supervisorctl", {"serverurl": f"unix://{sock}"}),
    ]
    for name, command in processes:
        count = counts.get(name, 1)
        if name in skip or count <= 0:
            continue
        program = {"command": shell_command(command), "directory": str(directory)}
        if name in counts:
            program |= {"numprocs": str(count), "process_name": "%(program_name)s-%(process_num)d"}
        program |= PROGRAM_DEFAULTS
        sections.append((f"program:{name}", program))
    lines = ["; Generated from Procfile.stack by deploy/stack/supervisor_conf.py: edit those."]
    for title, options in sections:
        lines.append(f"\n[{title}]")
        for key, value in options.items():
            # the pattern of process_name is supervisord's own expansion: kept as it is
            lines.append(f"{key}={value if key == 'process_name' else _value(value)}")
    return "\n".join(lines) + "\n"


def _count(text: str) -> tuple[str, int]:
    name, _equals, number = text.partition("=")
    if not name or not number.isdigit():
        raise argparse.ArgumentTypeError(f"expected NAME=NUMBER, not {text!r}")
    return name, int(number)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procfile", type=Path, default=Path("Procfile.stack"))
    parser.add_argument("--state", type=Path, required=True, help="socket, pid file and log")
    parser.add_argument("--directory", type=Path, default=Path.cwd(), help="where programs run")
    parser.add_argument("--count", type=_count, action="append", default=[], metavar="NAME=N")
    parser.add_argument("--skip", action="append", default=[], metavar="NAME")
    args = parser.parse_args(argv)
    try:
        text = render(
            read_procfile(args.procfile),
            state=args.state.resolve(),
            directory=args.directory.resolve(),
            counts=dict(args.count),
            skip=set(args.skip),
        )
    except ValueError as error:
        print(f"supervisor_conf: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
