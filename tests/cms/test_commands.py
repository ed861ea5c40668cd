"""Every management command of the apps and of the demo site answers `--help`.

A lazy translation as a command's help once made `--help` a traceback: argparse formats plain
strings only. Parsed as `manage.py <command> --help` would parse it.
"""

import pytest
from django.core.management import ManagementUtility, get_commands

OURS = ("cms", "events", "press", "demosite")


def _our_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app in OURS)


def test_the_apps_have_commands():
    assert {"export_archive", "import_archive", "verify_archive", "load_demo"} <= set(
        _our_commands()
    )


@pytest.mark.parametrize("command", _our_commands())
def test_command_help_is_printed(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", command, "--help"]).execute()
    assert exit_.value.code == 0
    assert "usage:" in capsys.readouterr().out
