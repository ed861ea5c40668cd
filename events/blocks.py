"""The programme of an edition, as StreamField blocks.

The programme lives in a StreamField so that it is edited on the edition's own page, previewed
with it and kept in its revisions. Each session block's UUID is the session's stable identity
(calendar UIDs, schedule GUIDs and API ids derive from it); the relational index in
`events.models.ProgrammeSession` is rebuilt from these blocks on publish.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.snippets.blocks import SnippetChooserBlock

SESSION_KINDS = [
    ("pleniere", _("Plenary")),
    ("table_ronde", _("Round table")),
    ("atelier", _("Workshop")),
    ("discours", _("Speech")),
    ("ouverture", _("Opening")),
    ("cloture", _("Closing")),
    ("pause", _("Break")),
    ("autre", _("Other")),
]

PARTICIPANT_ROLES = [
    ("intervenant", _("Speaker")),
    ("moderateur", _("Moderator")),
    ("grand_temoin", _("Keynote witness")),
    ("ouverture", _("Opening")),
    ("cloture", _("Closing")),
    ("rapporteur", _("Rapporteur")),
]

SESSION_KIND_VALUES = [value for value, _label in SESSION_KINDS]
PARTICIPANT_ROLE_VALUES = [value for value, _label in PARTICIPANT_ROLES]


class ParticipantBlock(blocks.StructBlock):
    """A person in a session, with the role and the function they held at that time.

    The function is stored per session because people change office: Christophe Béchu was
    minister in June 2024 and is not any more, and the record must say what he was then.
    """

    speaker = blocks.PageChooserBlock(label=_("Speaker"), page_type="assises_events.SpeakerPage")
    role = blocks.ChoiceBlock(label=_("Role"), choices=PARTICIPANT_ROLES, default="intervenant")
    function = blocks.CharBlock(
        label=_("Function at the time"),
        required=False,
        help_text=_("Leave empty to use the speaker's current function."),
    )

    class Meta:
        icon = "user"
        label = _("Participant")


class SessionBlock(blocks.StructBlock):
    """One slot of the programme. Times are wall-clock times in Europe/Paris.

    The day and the times are required even in a draft: Wagtail defers required fields when a
    draft is saved (and on autosave), but a session without a day or time cannot be placed in
    the programme, previewed or exported, so the editor is told on the field at once.
    """

    title = blocks.CharBlock(label=_("Title"), max_length=255)
    kind = blocks.ChoiceBlock(label=_("Kind"), choices=SESSION_KINDS, default="table_ronde")
    date = blocks.DateBlock(label=_("Day"))
    start_time = blocks.TimeBlock(label=_("Start time"))
    end_time = blocks.TimeBlock(label=_("End time"))
    room = blocks.CharBlock(label=_("Room"), required=False, max_length=255)
    description = blocks.RichTextBlock(
        label=_("Description"), required=False, features=["bold", "italic", "link"]
    )
    topics = blocks.ListBlock(
        SnippetChooserBlock("assises_cms.Topic", label=_("Topic")), label=_("Topics"), default=[]
    )
    participants = blocks.ListBlock(ParticipantBlock(), label=_("Participants"), default=[])
    cancelled = blocks.BooleanBlock(label=_("Cancelled"), required=False)

    class Meta:
        icon = "date"
        label = _("Session")
        form_classname = "session-block"
        # The summary of a collapsed session in the editor: day, time, title.
        label_format = "{date} {start_time}–{end_time} · {title}"

    def clean(self, value):
        value = super().clean(value)
        missing = {
            name: ValidationError(message)
            for name, message in (
                ("date", _("Give the day of the session.")),
                ("start_time", _("Give the start time of the session.")),
                ("end_time", _("Give the end time of the session.")),
            )
            if value.get(name) is None
        }
        if missing:
            raise StructBlockValidationError(block_errors=missing)
        if value["start_time"] and value["end_time"] and value["end_time"] < value["start_time"]:
            raise StructBlockValidationError(
                block_errors={
                    "end_time": ValidationError(_("The end time must be after the start time."))
                }
            )
        return value


class ProgrammeBlock(blocks.StreamBlock):
    """Sessions start collapsed, each summarised on one line: a programme holds dozens."""

    session = SessionBlock()

    class Meta:
        label = _("Programme")
        collapsed = True
