"""Procfile.stack is the one list of the stack's processes: supervisord's configuration is
generated from it (deploy/stack/supervisor_conf.py), and the production systemd units
(deploy/systemd/) run the same commands. No process is started here (tests/test_stack.py does).
"""

import configparser
import importlib.util
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROCFILE = ROOT / "Procfile.stack"
UNITS = ROOT / "deploy" / "systemd"

_spec = importlib.util.spec_from_file_location(
    "supervisor_conf", ROOT / "deploy" / "stack" / "supervisor_conf.py"
)
supervisor_conf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(supervisor_conf)


def _render(tmp_path: Path, **options) -> Path:
    path = tmp_path / "supervisord.conf"
    text = supervisor_conf.render(
        supervisor_conf.read_procfile(PROCFILE), state=tmp_path, directory=ROOT, **options
    )
    path.write_text(text)
    return path


def _programs(path: Path) -> dict[str, configparser.SectionProxy]:
    parser = configparser.RawConfigParser()
    parser.read(path)
    return {s.split(":", 1)[1]: parser[s] for s in parser.sections() if s.startswith("program:")}


def test_every_procfile_line_is_a_program_restarted_when_it_dies(tmp_path):
    processes = supervisor_conf.read_procfile(PROCFILE)
    programs = _programs(_render(tmp_path))
    assert list(programs) == [name for name, _command in processes]
    for name, command in processes:
        program = programs[name]
        assert shlex.split(program["command"])[:2] == ["/bin/sh", "-c"]
        assert command in shlex.split(program["command"])[2], name
        assert (program["autorestart"], program["stopasgroup"]) == ("true", "true"), name
        output = (program["stdout_logfile"], program["stdout_logfile_maxbytes"])
        assert output == ("/dev/stdout", "0"), name
        assert program["redirect_stderr"] == "true"


def test_counts_and_skips(tmp_path):
    programs = _programs(_render(tmp_path, counts={"worker": 3}, skip={"redis"}))
    assert "redis" not in programs
    assert programs["worker"]["numprocs"] == "3"
    assert programs["worker"]["process_name"] == "%(program_name)s-%(process_num)d"
    assert "numprocs" not in programs["web"]
    with pytest.raises(ValueError, match="not in the Procfile"):
        _render(tmp_path, counts={"wroker": 2})


def test_a_plain_command_is_execd_and_a_loop_keeps_its_shell():
    assert supervisor_conf.shell_command("varnishd -F") == "/bin/sh -c 'exec varnishd -F'"
    loop = "sleep 1; while true; do echo x; done"
    assert shlex.split(supervisor_conf.shell_command(loop)) == ["/bin/sh", "-c", loop]


def test_a_line_that_is_not_name_colon_command_is_refused(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("# a comment\n\nweb: gunicorn app\nnot a process line\n")
    with pytest.raises(ValueError, match=":4: not a `name: command` line"):
        supervisor_conf.read_procfile(procfile)
    procfile.write_text("web: a\nweb: b\n")
    with pytest.raises(ValueError, match="appears twice"):
        supervisor_conf.read_procfile(procfile)


def test_supervisord_reads_the_generated_configuration(tmp_path):
    reason = "supervisor not installed (pip install -e '.[stack]')"
    options_module = pytest.importorskip("supervisor.options", reason=reason)
    datatypes = pytest.importorskip("supervisor.datatypes", reason=reason)
    options = options_module.ServerOptions()
    options.realize(args=["-c", str(_render(tmp_path, counts={"worker": 2}))])
    assert options.nodaemon is True
    processes = {
        process.name: process
        for group in options.process_group_configs
        for process in group.process_configs
    }
    names = [name for name, _command in supervisor_conf.read_procfile(PROCFILE) if name != "worker"]
    assert set(processes) == {*names, "worker-0", "worker-1"}
    for process in processes.values():
        assert process.autorestart is datatypes.RestartUnconditionally
        assert process.stdout_logfile == "/dev/stdout"
        assert "$BIN" in process.command or "$STACK_DIR" in process.command  # left to the shell


MANAGE = re.compile(r"\$BIN/python manage\.py ([^;]+)")


def _unit_commands() -> list[list[str]]:
    """Each ExecStart of the units, as arguments."""
    commands = []
    for unit in sorted(UNITS.iterdir()):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                commands.append(shlex.split(line.removeprefix("ExecStart=")))
    return commands


def test_the_systemd_units_run_what_procfile_stack_runs():
    """Each manage.py command of Procfile.stack has a unit running it with the same arguments,
    and gunicorn serves the same application with the same options (bind and worker count
    are the machine's). A line added to Procfile.stack needs its unit in deploy/systemd/."""
    units = _unit_commands()
    managed = [command[2:] for command in units if command[1:2] == ["manage.py"]]
    procfile = dict(supervisor_conf.read_procfile(PROCFILE))
    for name, line in procfile.items():
        for arguments in MANAGE.findall(line):
            assert shlex.split(arguments) in managed, f"{name}: no unit in deploy/systemd runs it"
    (gunicorn,) = [command for command in units if command[0].endswith("/gunicorn")]

    def options(arguments: list[str]) -> list[str]:
        kept, skip = [], False
        for argument in arguments:
            if argument in ("--bind", "--workers"):
                skip = True
            elif skip:
                skip = False
            else:
                kept.append(argument)
        return kept

    assert options(gunicorn[1:]) == options(shlex.split(procfile["web"])[1:])


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not found")
def test_the_systemd_units_verify(tmp_path):
    """systemd's own checker, with the install's paths pointed at this checkout."""
    python = Path(shutil.which("python3") or "/usr/bin/python3")
    for unit in UNITS.iterdir():
        text = unit.read_text().replace("/srv/assises/.venv/bin/python", str(python))
        text = text.replace("/srv/assises/.venv/bin/gunicorn", str(python))
        (tmp_path / unit.name).write_text(text.replace("/srv/assises", str(ROOT)))
    instance = tmp_path / "assises-worker@1.service"
    instance.write_text((tmp_path / "assises-worker@.service").read_text())
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *sorted(map(str, tmp_path.iterdir()))],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
