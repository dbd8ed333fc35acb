"""Date and time formats of the portal's pages, one per language (FORMAT_MODULE_PATH):
templates write ``|date:"DATE_FORMAT"`` and ``|date:"DATETIME_FORMAT"``."""
