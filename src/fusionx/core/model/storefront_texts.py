"""The user-visible texts of public browsing (issue 16).

One constant per text: a dotted message key and its English with ``{named}`` parameters,
ready for the message catalogues.
"""

from __future__ import annotations

from fusionx.core.model.fleet_texts import Text

RADIUS_OUT_OF_RANGE = Text(
    "storefront.radius.out_of_range", "must be more than 0 and at most {maximum} km"
)
# The resource a 404 names when a truck has no open shift to show the menu of.
OPEN_SHIFT = Text("storefront.open_shift", "open shift of truck")
