"""Congress series, their editions with the programme, and the people who speak at them."""

from .congress import (
    PARIS,
    CongressEditionPage,
    CongressSeriesPage,
    EditionDocument,
    insee_validator,
)
from .programme import Participation, ProgrammeSession, SessionState
from .speakers import SpeakerFunction, SpeakerIndexPage, SpeakerLink, SpeakerPage

__all__ = [
    "PARIS",
    "CongressEditionPage",
    "CongressSeriesPage",
    "EditionDocument",
    "Participation",
    "ProgrammeSession",
    "SessionState",
    "SpeakerFunction",
    "SpeakerIndexPage",
    "SpeakerLink",
    "SpeakerPage",
    "insee_validator",
]
