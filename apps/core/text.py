"""Text normalisation shared by skill resolution, imports and search."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold case, width (全角/半角) and whitespace so people's spellings compare equal.

    NFKC turns full-width Latin letters, digits and punctuation into their ASCII forms;
    ``casefold`` is the Unicode-aware lower-case.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).casefold()
    return _SPACE.sub(" ", folded).strip()


# Characters that make a spreadsheet (Excel, WPS, LibreOffice) read a CSV/XLSX cell as a formula (OWASP "CSV
# injection"); a cell starting with one gets a leading apostrophe, so it shows as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value for an exported spreadsheet cell that no spreadsheet runs as a formula.

    Text starting with ``= + - @``, a tab or a carriage return (also after leading spaces) gets a ``'`` in
    front; so does text that already starts with ``'``, so that ``unsafe_cell`` gives back exactly the original.
    Numbers, dates and ``None`` are returned as they are (they are not formulas).
    """
    if not isinstance(value, str):
        return value
    if value.startswith("'") or value.startswith(FORMULA_STARTS) or value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unsafe_cell(value):
    """The original text of a ``safe_cell`` value (for tests and re-imports of our own exports)."""
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


def safe_row(values):
    """``safe_cell`` over every cell of a row."""
    return [safe_cell(value) for value in values]
