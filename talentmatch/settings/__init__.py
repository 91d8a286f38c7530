"""Settings package: ``base`` for laptops, CI and tests; ``production`` adds the hardening."""
