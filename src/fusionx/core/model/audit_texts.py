"""Every text the audit trail shows a person, one constant each, named by its message
key (``audit.…``) with ``{named}`` placeholders: ready for the message catalogues."""

from __future__ import annotations

from typing import Final

# audit.filter.no_time_zone
FILTER_NO_TIME_ZONE: Final = "must give its time zone (Z or an offset)"
# audit.filter.until_before_since
FILTER_UNTIL_BEFORE_SINCE: Final = "must come after since"
# audit.filter.subject_id_alone
FILTER_SUBJECT_ID_ALONE: Final = "is needed with subject_id"
# audit.chain.missing
CHAIN_MISSING: Final = "missing record"
# audit.chain.beyond_last
CHAIN_BEYOND_LAST: Final = "beyond the stream's last"
# audit.chain.unlinked
CHAIN_UNLINKED: Final = "does not chain to the one before"
# audit.chain.edited
CHAIN_EDITED: Final = "content does not match its hash"
# audit.verify.intact
VERIFY_INTACT: Final = "audit trail intact: {records} records in {streams} streams"
# audit.verify.broken
VERIFY_BROKEN: Final = (
    "audit trail broken: stream {stream} at seq {seq}: {reason}"
    " (after {records} records in {streams} streams)"
)
