"""The Celery application. Tasks live in ``<app>/tasks.py`` and stay thin: ids in, a service call."""

import os

from celery import Celery
from celery.signals import worker_ready, worker_shutdown, worker_shutting_down

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp.settings")

app = Celery("nsp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect(dispatch_uid="nsp.worker.start_heartbeat")
def _start_heartbeat(sender=None, **kwargs) -> None:
    # Imported here: Django is set up by the time the worker is ready, not when this module loads.
    from nsp import worker

    worker.start_heartbeat(hostname=getattr(sender, "hostname", None) or "worker")


@worker_shutdown.connect(dispatch_uid="nsp.worker.stop_heartbeat")
def _stop_heartbeat(sender=None, **kwargs) -> None:
    from nsp import worker

    worker.stop_heartbeat()


@worker_shutting_down.connect(dispatch_uid="nsp.worker.exit_after")
def _bound_the_shutdown(sender=None, **kwargs) -> None:
    # Sent in the worker's main process on the first SIGTERM, SIGINT or SIGQUIT: it stops within the timeout.
    from django.conf import settings

    from nsp import worker

    worker.exit_after(float(settings.WORKER_SHUTDOWN_TIMEOUT))
