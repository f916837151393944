"""Message catalogues (gettext ``.po``, one per locale) and the translator that reads them."""
