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
