#!/usr/bin/env bash
# Start Rasa in the background and the web app (gunicorn) in the foreground; used by `make run`.
# SQLite in the instance folder is the embedded default unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8000}
RASA_PORT=${RASA_PORT:-5005}
# Each Rasa process parses one message at a time; two replicas (ports RASA_PORT, RASA_PORT+1)
# use both cores of a small machine (~650 MB each). The client spreads calls over RASA_URL.
RASA_REPLICAS=${RASA_REPLICAS:-2}
rasa_ports=$(seq "$RASA_PORT" $((RASA_PORT + RASA_REPLICAS - 1)))
default_url=$(for p in $rasa_ports; do printf 'http://127.0.0.1:%s,' "$p"; done)
export RASA_URL=${RASA_URL:-${default_url%,}}
export RASA_TELEMETRY_ENABLED=false
# The local fake of the WeChat API (devtools/fake_wechat.py), so that staff notices and
# evidence downloads work on a laptop; an explicit WECHAT_API_BASE turns it off.
FAKE_WECHAT_PORT=${FAKE_WECHAT_PORT:-8100}

if [ "$(printf '%s' "${ANXIN_ENV:-development}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')" = production ]; then
    echo "make run is for development: it starts a fake WeChat API. Deploy with docker/ (docs/operations.md)." >&2
    exit 1
fi
mkdir -p instance

echo ">>> applying database migrations"
.venv/bin/flask --app app db upgrade

model=$(.venv/bin/python -c 'from nlu.training import model_path; print(model_path())')
rasa_pids=()
fake_pid=""
trap 'kill "${rasa_pids[@]}" $fake_pid 2>/dev/null || true' EXIT INT TERM

fake_note=""
if [ -z "${WECHAT_API_BASE:-}" ]; then
    # The app's own development appid and secret, so that the fake hands it access tokens.
    read -r appid secret < <(.venv/bin/python -c 'from config import load_config
c = load_config("instance"); print(c["WECHAT_APPID"], c["WECHAT_SECRET"])')
    echo ">>> starting the FAKE WeChat API (development stand-in, devtools/fake_wechat.py) on 127.0.0.1:$FAKE_WECHAT_PORT"
    .venv/bin/python -m devtools.fake_wechat --port "$FAKE_WECHAT_PORT" --appid "$appid" --secret "$secret" \
        >instance/fake-wechat.log 2>&1 &
    fake_pid=$!
    for _ in $(seq 1 50); do
        curl -fs "http://127.0.0.1:$FAKE_WECHAT_PORT/_fake/stats" >/dev/null 2>&1 && break
        sleep 0.2
    done
    export WECHAT_API_BASE="http://127.0.0.1:$FAKE_WECHAT_PORT/cgi-bin/"
    fake_note="  假微信接口（开发替身，不是真微信；生产环境拒绝使用）: http://127.0.0.1:$FAKE_WECHAT_PORT/_fake/sent  查看发给工人的消息"
fi
for p in $rasa_ports; do
    echo ">>> starting Rasa on 127.0.0.1:$p with $(basename "$model")"
    (cd nlu/rasa && exec ../../.venv-rasa/bin/rasa run --enable-api -i 127.0.0.1 -p "$p" -m "$model" \
        >"../../instance/rasa-$p.log" 2>&1) &
    rasa_pids+=($!)
done

printf ">>> waiting for Rasa to load the model"
for p in $rasa_ports; do
    for _ in $(seq 1 120); do
        if curl -fs "http://127.0.0.1:$p/status" 2>/dev/null | grep -q model_file; then break; fi
        for pid in "${rasa_pids[@]}"; do
            kill -0 "$pid" 2>/dev/null || { echo; echo "Rasa exited; see instance/rasa-*.log"; exit 1; }
        done
        printf "."; sleep 1
    done
done
echo " ready"

cat <<MSG

安薪已启动
  工作台（Console）:  http://127.0.0.1:$PORT/console/
  首次使用先建账号:  .venv/bin/flask --app app staff create 你的用户名 --role admin
  模拟工人微信对话:  .venv/bin/flask --app app chat --url http://127.0.0.1:$PORT   (加 --encrypted 使用安全模式)
  查看对话记录:      .venv/bin/flask --app app transcript OPENID --json
  查看语义解析:      .venv/bin/flask --app app nlu parse "老板欠我们五个人三万块"
  健康检查:          curl http://127.0.0.1:$PORT/healthz
$fake_note
按 Ctrl+C 停止。

MSG
.venv/bin/gunicorn --bind "127.0.0.1:$PORT" --workers 2 --threads 4 --timeout 30 \
    --access-logfile - 'app:create_app()'
