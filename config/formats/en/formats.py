"""The site's dates in English: "1 Dec 2026" (``{{ day|date }}``, ``formats.date_format``),
and "1 Dec" where the year is plain from the page (``{{ day|date:"MONTH_DAY_FORMAT" }}``).
Django's own English formats ("Dec. 1, 2026") stay for everything not named here."""
DATE_FORMAT = "j M Y"
MONTH_DAY_FORMAT = "j M"
