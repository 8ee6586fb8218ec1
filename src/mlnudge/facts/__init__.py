"""Reading the repository's files and building per-file facts from them, cached by content.

:mod:`.repo` lists, reads and parses files once per run; :mod:`.access` declares kinds of
per-file facts and serves them; :mod:`.store` keeps them between runs.
"""
