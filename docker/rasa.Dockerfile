# syntax=docker/dockerfile:1
# Rasa 3.6.21 (Python 3.10) serving the NLU model trained from nlu/rasa at build time.
# Build from the repository root:  docker build -f docker/rasa.Dockerfile -t anxin-rasa .
FROM python:3.10-slim-bookworm AS rasa
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    RASA_TELEMETRY_ENABLED=false \
    PYTHONUNBUFFERED=1
# The same layout as a checkout (nlu/training.py finds Rasa at ../.venv-rasa/bin/rasa).
WORKDIR /srv/anxin
COPY nlu/requirements-rasa.txt nlu/constraints-rasa.txt nlu/
RUN python -m venv .venv-rasa \
    && .venv-rasa/bin/pip install -r nlu/requirements-rasa.txt -c nlu/constraints-rasa.txt
COPY nlu/training.py nlu/
COPY nlu/rasa nlu/rasa
# Train exactly as `make nlu-train` does: the model is named after a hash of its inputs,
# so `ls nlu/rasa/models` in the image tells which data it was trained on.
RUN rm -rf nlu/rasa/models && python nlu/training.py \
    && useradd --system --uid 10002 --user-group --create-home --home-dir /home/rasa rasa \
    && chown -R rasa:rasa nlu/rasa
USER rasa
WORKDIR /srv/anxin/nlu/rasa
EXPOSE 5005
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD python -c "import json, os, urllib.request; t = os.environ.get('RASA_TOKEN'); b = json.load(urllib.request.urlopen('http://127.0.0.1:5005/status' + ('?token=' + t if t else ''), timeout=3)); assert b.get('model_file')"
# Run from nlu/rasa so that the jieba dictionary path of config.yml resolves. The token,
# when set, guards the HTTP API (the app sends it as RASA_TOKEN).
CMD ["sh", "-c", "exec /srv/anxin/.venv-rasa/bin/rasa run --enable-api -i 0.0.0.0 -p 5005 -m models ${RASA_TOKEN:+--auth-token \"$RASA_TOKEN\"}"]
