"""A realistic, deterministic, bilingual demo data set for trying TalentMatch (``manage.py seed_demo``).

Data lists: ``organisations``, ``archetypes`` (job kinds and their skill mixes), ``majors`` (what
students of each major know), ``people`` (names, home cities), ``accounts`` (the documented sign-ins).
Building: ``vacancies`` and ``students`` make rows in memory, ``builder`` writes them in bulk,
``services`` is the entry point (``demo_seed``, ``demo_reset``).
"""
