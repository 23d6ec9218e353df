"""Local development: debug on, console e-mail, the embedded stack unless env says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
