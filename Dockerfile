# NSP Planner: one image for the web process, the Celery worker and Celery beat; docker-compose.yml
# chooses the command. Production settings come from the environment (docs/operations.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NSP_VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media

# WeasyPrint renders PDF reports with Pango and HarfBuzz; the fonts cover fr/nl/de.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/nsp nsp

WORKDIR /app
COPY . .
# Editable, so the code runs from /app and finds templates/, static/ and locale/ next to it.
RUN pip install -e . \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /data/media \
    && chown -R nsp:nsp /app/var /data

USER nsp
EXPOSE 8000
VOLUME ["/data/media"]
CMD ["gunicorn", "nsp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
