#!/bin/bash
# The image's HEALTHCHECK, with nothing but bash (neither Microsoft's aspnet image nor the local base has curl):
# GET http://127.0.0.1:$HEALTH_PORT$HEALTH_PATH must answer 200; without HEALTH_PATH, a TCP connect must succeed.
exec 3<>"/dev/tcp/127.0.0.1/${HEALTH_PORT:-8080}" || exit 1
[[ -z "${HEALTH_PATH:-}" ]] && exit 0
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$HEALTH_PATH" >&3
read -r -t 5 _ status _ <&3 || exit 1
[[ "$status" == 200 ]]
