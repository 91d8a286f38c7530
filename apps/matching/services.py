"""Matching services (loading arrays, calling the engine, persisting results)."""


def match_profile_incremental(*, profile_id: int) -> dict:
    return {"profile_id": profile_id, "status": "pending-engine"}


def match_vacancy_incremental(*, vacancy_id: int) -> dict:
    return {"vacancy_id": vacancy_id, "status": "pending-engine"}
