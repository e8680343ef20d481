"""My data: a person sees, downloads and erases what the platform holds about them.

Each domain contributes its part in ``eraati/<domain>/personal_data.py`` (``export``
and ``erase``); :mod:`eraati.mydata.services` collects them (see ``DOMAINS``).
"""
