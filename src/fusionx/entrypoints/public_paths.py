"""Where the customer's pages live, named once: the shop's routes are mounted under
``SHOP_PATH`` and the tracking link a customer is sent opens ``TRACKING_PAGE`` + token
(a page a person reads; the JSON beneath it stays at ``/api/v1/track/{token}``)."""

from __future__ import annotations

SHOP_PATH = "/app/shop"
TRACKING_PAGE = f"{SHOP_PATH}/track"
