"""Tasks of the core. ``ping`` proves that a worker runs our code against our database."""

from __future__ import annotations

import socket

from celery import shared_task
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

PING_KEY = "nsp:ping:{token}"


@shared_task(name="nsp.tasks.ping")
def ping(token: str) -> dict[str, str]:
    """Answer under ``nsp:ping:<token>`` in the cache: which worker ran it, when, on which database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    answer = {
        "hostname": socket.gethostname(),
        "at": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "database_name": str(connection.settings_dict["NAME"]),
    }
    cache.set(PING_KEY.format(token=token), answer, timeout=300)
    return answer


@shared_task(name="nsp.tasks.purge_deleted_items")
def purge_deleted_items() -> int:
    """The beat task: deleted items older than ``DELETED_RETENTION_DAYS`` are purged for good."""
    import logging

    from nsp.services import deleted_items_purge

    count = deleted_items_purge()
    logging.getLogger(__name__).info("purged %d deleted items past their retention", count)
    return count
