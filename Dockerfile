# AI Tool Concierge: a small production image (python:3.11-slim, non-root, migrations on start).
#   docker build -t ai-tool-concierge .
#   docker run --env-file .env -p 3000:3000 ai-tool-concierge
# The image runs docker/entrypoint.sh: `python app.py db upgrade`, then `python app.py serve`.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
# Runtime dependencies only: no dev tools, no semantic (torch) extra.
RUN python -m venv /opt/venv && /opt/venv/bin/pip install . \
    && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} +

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    LOG_FORMAT=json \
    HOST=0.0.0.0 \
    PORT=3000 \
    APP_DIR=/app
RUN groupadd --system --gid 10001 concierge \
    && useradd --system --uid 10001 --gid concierge --home-dir /app --shell /usr/sbin/nologin concierge
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
# app.py runs from /app, so bot/ resolves here, next to migrations/ and policies/.
COPY app.py ./
COPY bot ./bot
COPY migrations ./migrations
COPY policies ./policies
COPY --chmod=0755 docker/entrypoint.sh /usr/local/bin/entrypoint.sh
RUN mkdir -p /app/data && chown concierge:concierge /app/data
USER 10001:10001
EXPOSE 3000
# Liveness only: the process answers HTTP. /readyz (database reachable) is for load balancers.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=2)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
