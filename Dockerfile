# AI Tool Concierge: a small production image (non-root, migrations on start).
#   docker build -t ai-tool-concierge .
#   docker run --env-file .env -p 3000:3000 -v concierge-data:/app/data ai-tool-concierge
# The image runs docker/entrypoint.sh: `python app.py db upgrade`, then `python app.py serve`.
#
# Base image pinned by digest (the multi-arch OCI index of python:3.11.15-slim-bookworm):
# builds are reproducible and a re-pushed tag cannot change what runs. This digest was
# cross-checked against several public projects' pins, not pulled here (no Docker engine
# on the machine that wrote it); verify or refresh it with
#   docker buildx imagetools inspect python:3.11-slim-bookworm
# and change both FROM lines together (docs/deployment.md, "Updating the base image").

FROM python:3.11.15-slim-bookworm@sha256:b18992999dbe963a45a8a4da40ac2b1975be1a776d939d098c647482bcad5cba AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Dependencies only, every file checked against the lock's sha256 (no dev tools, no torch),
# in a layer of their own: a change to the code never reinstalls them.
COPY requirements/lock.txt /tmp/lock.txt
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/lock.txt \
    && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} +

FROM python:3.11.15-slim-bookworm@sha256:b18992999dbe963a45a8a4da40ac2b1975be1a776d939d098c647482bcad5cba
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3000 \
    APP_DIR=/app \
    MPLCONFIGDIR=/tmp/matplotlib
RUN groupadd --system --gid 10001 concierge \
    && useradd --system --uid 10001 --gid concierge --home-dir /app --shell /usr/sbin/nologin concierge
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
# The source last: app.py runs from /app, so bot/ resolves here, next to migrations/ and
# policies/ (the project is not pip-installed: nothing is built from unhashed sources).
COPY app.py ./
COPY migrations ./migrations
COPY policies ./policies
COPY bot ./bot
COPY --chmod=0755 docker/entrypoint.sh /usr/local/bin/entrypoint.sh
# The default SQLite database (DATABASE_URL unset) and its key file live here: mount a volume.
RUN mkdir -p /app/data && chown concierge:concierge /app/data
VOLUME ["/app/data"]
USER 10001:10001
EXPOSE 3000
# Liveness only: the process answers HTTP. /readyz (database reachable) is for load balancers.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=2)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
