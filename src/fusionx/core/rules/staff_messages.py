"""What staff administration tells people, one constant per text (keys for the message
catalogues to come: ``staff.<name>``, with ``{named}`` placeholders)."""

from __future__ import annotations

ABOVE_YOUR_ROLE = "Only someone of this person's role or higher may change their account"
ROLE_ABOVE_YOURS = "You cannot give a role above your own"
MANAGERS_ASSIGN_CREW = "Managers assign crew only"
LAST_OWNER = "The fleet must keep an active owner: promote another owner first"
