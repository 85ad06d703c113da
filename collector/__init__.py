"""The collector: the central office's program (FastAPI), beside the kiosk and never importing it.

From the top: ``cli/`` is the `sangsuk-collector` command; ``app.py`` builds the FastAPI app
(``create_app``) and ``serving.py`` runs it under uvicorn; ``routes/`` holds one router per
concern (``api.py``, the kiosk API; ``pages.py``, the results pages), which get the settings,
the store, the checker and the key from ``deps.py``. Below them: ``intake.py`` (one intake for
network and USB batches), ``fleet.py`` (silent kiosks, fingerprints), ``publish.py``,
``settings.py``, ``checking.py`` (batches checked off the event loop), ``bodies.py`` (body
limits), ``charts.py`` and ``i18n.py`` (the pages' charts and words), ``stick.py`` (reading a
USB stick), ``districts.py`` (the districts CSV) and ``keys.py``; then ``results.py`` and
``recount.py`` (over ``recount_votes.py``, ``recount_files.py`` and ``manifest.py``); at the
bottom ``store/`` (the database) and ``ranking.py``. The import contracts in pyproject.toml
hold each module to its layer.
"""
