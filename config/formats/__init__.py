"""How the site writes dates, one definition per language (``FORMAT_MODULE_PATH``)."""
