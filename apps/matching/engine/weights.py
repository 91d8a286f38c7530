"""Score weights (the one place they live) and the score grid.

total = R * (w_req + w_opt*O + w_sim*S + w_lang*L + w_pref*F)

with every component in [0, 1]. Weights must be non-negative, sum to 1 and give ``required`` at least 0.5.

Required-skill gate. Because the weights sum to 1, every score is at most R. A profile that meets every
required skill (R = 1) scores at least w_req >= 0.5. So a profile with R < 0.5 - 1e-6 (it misses most of the
required weight) always scores strictly below one with R = 1, whatever its other components; right at the
boundary (0.5 - 1e-6 <= R < 0.5) both can round to the same grid point and the id decides. (The engine
computes R = 1 exactly when every required skill is met, so the lower bound w_req holds exactly.)

Score grid. Scores are quantised to multiples of 1e-6 (``quantize_units``) in the engine and in the
reference, so equal scores compare equal and ties fall back to ids deterministically.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SCORE_SCALE = 1_000_000  # scores are integers on this grid: units = floor(total * SCORE_SCALE + 0.5)


@dataclass(frozen=True)
class MatchWeights:
    version: str
    required: float
    optional: float
    similarity: float
    language: float
    preference: float

    def __post_init__(self):
        if not isinstance(self.version, str) or not self.version:
            raise ValueError("weights need a non-empty version string")
        values = self.as_tuple()
        for name, value in zip(("required", "optional", "similarity", "language", "preference"), values,
                               strict=True):
            if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"weight {name!r} must be a finite number >= 0, got {value!r}")
        if abs(math.fsum(values) - 1.0) > 1e-9:
            raise ValueError(f"weights must sum to 1, got {math.fsum(values)!r}")
        if self.required < 0.5:
            raise ValueError("the required-skill weight must be >= 0.5 (it guarantees the required gate)")

    def as_tuple(self) -> tuple[float, float, float, float, float]:
        return (float(self.required), float(self.optional), float(self.similarity), float(self.language),
                float(self.preference))


DEFAULT_WEIGHTS = MatchWeights(version="default-1", required=0.5, optional=0.15, similarity=0.15, language=0.1,
                               preference=0.1)


def combine(weights: MatchWeights, r, o, s, lang, f):
    """The total score from its components, always in this order of operations (engine and reference)."""
    w_req, w_opt, w_sim, w_lang, w_pref = weights.as_tuple()
    return r * ((((w_req + w_opt * o) + w_sim * s) + w_lang * lang) + w_pref * f)


def quantize_units(total: np.ndarray) -> np.ndarray:
    """Scores on the integer grid (int64): floor(total * 1e6 + 0.5)."""
    return np.floor(np.asarray(total, dtype=np.float64) * SCORE_SCALE + 0.5).astype(np.int64)


def quantize_unit(total: float) -> int:
    """Scalar twin of quantize_units (the same IEEE operations, so the same result)."""
    return int(math.floor(float(total) * SCORE_SCALE + 0.5))


def units_to_score(units):
    return np.asarray(units, dtype=np.float64) / SCORE_SCALE
