"""Imported by the fork server of :mod:`toolkit.web.isolate`: every child starts warm."""

from .work import warm

warm()
