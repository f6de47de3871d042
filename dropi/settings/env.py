"""The one place that reads the process environment.

Every setting that can change between deployments is read here through
django-environ, with the embedded default used by the one-command local run.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
