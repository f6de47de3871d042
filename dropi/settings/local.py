"""One-command local run: SQLite, tasks in process, console email."""

from dropi.settings.base import *
from dropi.settings.env import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is acceptable only here: local.py never serves the public.
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret-long-enough-for-hs256"
