"""Registries that plugins fill from `AppConfig.ready()`.

`cms` never imports `events` or `press`; instead each plugin hands its parts to these
registries, so that a new plugin (say, `motions`) plugs in without touching `cms`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True)
class DemoStep:
    """One part of the demo site, built in `order` (lower first) by `load_demo`."""

    order: int
    name: str = field(compare=False)
    build: Callable[..., None] = field(compare=False)


demo_steps: list[DemoStep] = []


def register_demo_step(order: int, name: str, build: Callable[..., None]) -> None:
    """Add a demo builder; `build(context)` gets a dict shared between steps."""
    if any(step.name == name for step in demo_steps):
        return
    demo_steps.append(DemoStep(order, name, build))
    demo_steps.sort()
