"""The user-visible texts of staff administration: one constant per text, a dotted message
key and its English with ``{named}`` parameters, ready for the message catalogues."""

from __future__ import annotations

from fusionx.core.model.fleet_texts import Text

ABOVE_YOUR_ROLE = Text(
    "staff.above_your_role",
    "Only someone of this person's role or higher may change their account",
)
ROLE_ABOVE_YOURS = Text("staff.role_above_yours", "You cannot give a role above your own")
MANAGERS_ASSIGN_CREW = Text("staff.managers_assign_crew", "Managers assign crew only")
LAST_OWNER = Text(
    "staff.last_owner", "The fleet must keep an active owner: promote another owner first"
)
