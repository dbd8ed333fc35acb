# Production image: gunicorn + whitenoise for the web, the same image for
# the Celery worker and beat.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install ".[s3]" && pip install --no-deps django-celery-beat==2.9.0 django-prometheus==2.5.0
COPY . .
RUN useradd --system --home /app portal \
 && DEVELOPMENT=1 python manage.py compilemessages -l zh_Hans --ignore '.venv/*' \
 && SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
 && mkdir -p /app/media /app/anchors && chown -R portal /app/media /app/anchors
USER portal
EXPOSE 8000
CMD ["gunicorn", "purchase_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
