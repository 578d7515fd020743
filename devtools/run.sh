#!/usr/bin/env bash
# Start Rasa in the background and the web app (gunicorn) in the foreground; used by `make run`.
# SQLite in the instance folder is the embedded default unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
RASA_PORT=${RASA_PORT:-5005}
export RASA_URL=${RASA_URL:-http://127.0.0.1:$RASA_PORT}
export RASA_TELEMETRY_ENABLED=false

echo ">>> applying database migrations"
.venv/bin/flask --app app db upgrade

model=$(.venv/bin/python -c 'from nlu.training import model_path; print(model_path())')
echo ">>> starting Rasa on 127.0.0.1:$RASA_PORT with $(basename "$model")"
(cd nlu/rasa && exec ../../.venv-rasa/bin/rasa run --enable-api -i 127.0.0.1 -p "$RASA_PORT" -m "$model" \
    >../../instance/rasa.log 2>&1) &
rasa_pid=$!
trap 'kill $rasa_pid 2>/dev/null || true' EXIT INT TERM

printf ">>> waiting for Rasa to load the model"
for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$RASA_PORT/status" 2>/dev/null | grep -q model_file; then break; fi
    kill -0 $rasa_pid 2>/dev/null || { echo; echo "Rasa exited; see instance/rasa.log"; exit 1; }
    printf "."; sleep 1
done
echo " ready"

cat <<MSG

安薪已启动: http://127.0.0.1:$PORT
  健康检查:  curl http://127.0.0.1:$PORT/healthz
  模拟微信对话:  .venv/bin/flask --app app chat          (加 --encrypted 使用安全模式)
  查看对话记录:  .venv/bin/flask --app app transcript OPENID --json
  查看语义解析:  .venv/bin/flask --app app nlu parse "老板欠我们五个人三万块"
按 Ctrl+C 停止。

MSG
.venv/bin/gunicorn --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --timeout 30 \
    --access-logfile - 'app:create_app()'
