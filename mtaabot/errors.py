"""Errors a user can act on; the CLI prints them without a traceback."""

from __future__ import annotations

from mtaabot.backup import BackupError
from mtaabot.businesses import BusinessNotFound, InvalidBusiness
from mtaabot.config import ConfigError
from mtaabot.db.migrate import MigrationChanged, SchemaBehind
from mtaabot.db.server import DatabaseUnavailable
from mtaabot.jobs import JobError
from mtaabot.operator import OperatorError
from mtaabot.orders.store import OrderError
from mtaabot.phones import InvalidPhone
from mtaabot.privacy import PrivacyError
from mtaabot.retention import RetentionError
from mtaabot.secretbox import SecretKeyError


class UserError(Exception):
    """Generic actionable error (bad file, bad option value...)."""


USER_ERRORS: tuple[type[BaseException], ...] = (
    UserError, BusinessNotFound, InvalidBusiness, InvalidPhone, DatabaseUnavailable, FileNotFoundError, MigrationChanged, SchemaBehind,
    OrderError, OperatorError, PrivacyError, BackupError,
    RetentionError, SecretKeyError, JobError, ConfigError,
)
