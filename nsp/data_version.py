"""Figures cached on the version of the data: the one cache of the dashboard, the coverage matrix and report snapshots.

``cached(name, parts, compute, user=...)`` returns what ``compute()`` returns, from the Django cache (Redis in
production, the file cache embedded) when the same figures were computed before on the same data, for a reader of
the same scope, in the same language, with the same parameters. Nothing expires on a timer: the key holds the
version of the data, and every write of plan data moves it.

The version has two parts, both read on every call (one query, one cache read):

- the highest ``history_id`` of each django-simple-history table (taken from the models, so a new historical
  model is counted without a change here): the list, since each table has its own sequence and a write to a small
  table does not move the maximum over all of them. Every service records what it writes in history (saves, deletes, m2m
  changes, the bulk rows of a restore), so any committed write raises it; on PostgreSQL ids come from sequences and
  are never handed out twice. Each part is one index lookup (the primary key's last entry).
- a token kept in the cache, replaced after every transaction that wrote history commits (``changed``). Ids are
  taken when rows are written but become visible at commit, and transactions do not commit in the order they took
  their ids: a reader between the commit of id 106 and that of id 105 sees the same maximum before and after 105
  lands. The token moves on that second commit too.

What a reader may see is not data history records (grants are guardian rows, roles are group memberships), so the
key names the reader's scope instead: ``nsp.permissions.view_scope``, the inputs ``restrict(user, "view")`` reads.
Readers of the same scope share entries (every national reader shares one); a grant or a role change changes the
scope, and so the key, at once.
"""

from __future__ import annotations

import contextvars
import functools
import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import get_language

from nsp.permissions import view_scope

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Raise when the shape of a cached value changes, so entries written by older code are never read.
FORMAT = 1
TOKEN_KEY = "nsp:data-version:token"
# Entries of an old version are never read again; the cache drops them after a day (or sooner, when full).
TIMEOUT = 24 * 3600
_MISSING = object()
# (user, database alias, version, scope) of the entry being computed, for the entries its figures are made of.
_computing: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("nsp_figures_computing", default=None)


def history_models() -> list[type]:
    """Every django-simple-history model (historical records of models and of their m2m fields)."""
    from simple_history.models import HistoricalChanges

    return [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]


@functools.cache
def _version_sql(using: str) -> str:
    quote = connections[using].ops.quote_name
    parts = [
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"  # nosec B608  # names from the models, no input
        for m in sorted(history_models(), key=lambda m: m._meta.db_table)
    ]
    return "SELECT " + ", ".join(parts)  # nosec B608  # table and column names from the models


def history_high_water(using: str = DEFAULT_DB_ALIAS) -> str:
    """The highest history id of each history table, in one query (one row). Each table has its own sequence, so
    it is the list that moves with every write, not its maximum."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(using))
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


def _token_key(using: str) -> str:
    """The token is the database's: processes on other databases sharing the cache (test workers, a bench's
    second database) never move each other's version."""
    return f"{TOKEN_KEY}:{connections[using].settings_dict['NAME']}"


def token(using: str = DEFAULT_DB_ALIAS) -> str:
    """The cache's half of the version; made on first use (and again should the cache lose it)."""
    key = _token_key(using)
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key)
    return value


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """A new token: every entry cached so far on this database is left behind."""
    cache.set(_token_key(using), uuid.uuid4().hex, None)


def changed(using: str | None = None) -> None:
    """Plan data was written: move the version once the transaction commits (once per transaction)."""
    connection = transaction.get_connection(using)
    bumper = _bumper(connection.alias)
    if connection.in_atomic_block and any(entry[1] is bumper for entry in connection.run_on_commit):
        return
    transaction.on_commit(bumper, using=connection.alias)


@functools.cache
def _bumper(using: str) -> Callable[[], None]:
    """One function per database alias, so a transaction's pending bump is recognised and not queued twice."""

    def bump_quietly() -> None:
        try:
            bump(using)
        except Exception:  # a cache that is down holds nothing to leave behind; the write stands
            logger.warning("Could not move the data version in the cache.", exc_info=True)

    return bump_quietly


def history_recorded(sender=None, using=None, **kwargs) -> None:
    """Receiver of django-simple-history's ``post_create_historical_record`` (connected in ``nsp.apps``)."""
    changed(using)


def data_version(using: str = DEFAULT_DB_ALIAS) -> str:
    return f"{history_high_water(using)}.{token(using)}"


def key_for(name: str, parts: Sequence[Any], *, scope: tuple, version: str, using: str = DEFAULT_DB_ALIAS) -> str:
    """The cache key: what, for whom (scope), in which language, on which data (database and version)."""
    described = [FORMAT, name, connections[using].settings_dict["NAME"], version, get_language(), scope]
    text = json.dumps([*described, list(parts)], default=str, sort_keys=True, separators=(",", ":"))
    return f"nsp:figures:{name}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached(
    name: str,
    parts: Sequence[Any],
    compute: Callable[[], T],
    *,
    user,
    using: str = DEFAULT_DB_ALIAS,
    keep: Callable[[T], bool] | None = None,
) -> T:
    """``compute()``, or what it returned before for the same ``name`` and ``parts`` (plain values: ids, dates,
    strings), reader scope and language, on the same version of the data. ``keep``: whether a value computed is
    worth keeping (not, say, a page showing a form's errors).

    The version is read before computing: a write that lands meanwhile leaves the entry under the older version,
    never the older figures under the newer one. Entries computed inside another's ``compute`` (the dashboard page
    reads the overview) take its version and scope, read once. A cache that fails is skipped (the figures are
    computed)."""
    outer = _computing.get()
    try:
        if outer is not None and outer[0] is user and outer[1] == using:
            inputs = outer  # figures computed for an entry: on the version and scope that entry was keyed on
        else:
            inputs = (user, using, data_version(using), view_scope(user))
        key = key_for(name, parts, scope=inputs[3], version=inputs[2], using=using)
        found = cache.get(key, _MISSING)
    except Exception:
        logger.warning("The figure cache cannot be read; computing %s.", name, exc_info=True)
        return compute()
    if found is not _MISSING:
        return found
    reset = _computing.set(inputs)
    try:
        value = compute()
    finally:
        _computing.reset(reset)
    if keep is not None and not keep(value):
        return value
    try:
        cache.set(key, value, TIMEOUT)
    except Exception:
        logger.warning("The figure cache cannot be written (%s).", name, exc_info=True)
    return value
