"""The `host` marker: tests that install Assises into a fresh Wagtail project (minutes)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "host: installs the built wheel into a new `wagtail start` project and reads it over "
        "HTTP (tests/host; `make host-test`); runs only with ASSISES_HOST_TEST=1",
    )
