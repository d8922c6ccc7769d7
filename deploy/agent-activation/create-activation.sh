#!/usr/bin/env bash
# docker-compose.yml's agent-activation one-shot. The agents register through the agent gateway with an activation,
# created here by CreateActivation: the signed API call any user makes (as bin/stopplane up does for the local agent),
# signed (V1) with the first key of the API's credentials file, so the agents' instances belong to that key's account.
# The answer is written to ACTIVATION_FILE (mode 0600) on a volume the agents mount read-only. Once: an activation
# already written is kept, since the agents registered with it keep their identities in their own volumes.
set -euo pipefail
# shellcheck source=../../tools/sign-v1.sh
source /opt/stopplane/sign-v1.sh

: "${ACTIVATION_FILE:?}" "${CREDENTIALS:?}" "${API_URL:?}" "${INSTANCE_COUNT:?}"
if [[ -s "$ACTIVATION_FILE" ]]; then
  echo "activation $(grep -o '"ActivationId":"[^"]*"' "$ACTIVATION_FILE" | cut -d'"' -f4) already created"
  exit 0
fi
read -r key secret <<<"$(first_key "$CREDENTIALS")"
if [[ -z "$secret" ]]; then
  echo "the first key of $CREDENTIALS has no accessKeySecret in the file: cannot sign CreateActivation" >&2
  exit 1
fi
query=$(sign_v1_query "$key" "$secret" Action=CreateActivation Format=JSON "RegionId=${REGION:-cn-hangzhou}" \
  "InstanceName=${INSTANCE_NAME:-compose}" "InstanceCount=$INSTANCE_COUNT")
# CA: the API's certificate; CONNECT_TO: reach the API's container under the name its certificate carries.
curl_opts=(-sS -m 30)
[[ -n "${CA:-}" ]] && curl_opts+=(--cacert "$CA")
[[ -n "${CONNECT_TO:-}" ]] && curl_opts+=(--connect-to "$CONNECT_TO")
answer=$(curl "${curl_opts[@]}" "$API_URL?$query")
if [[ "$answer" != *'"ActivationCode"'* ]]; then
  # the API's error (Code, Message): never holds a secret
  echo "CreateActivation refused: $answer" >&2
  exit 1
fi
(umask 077 && printf '%s\n' "$answer" >"$ACTIVATION_FILE.tmp" && mv "$ACTIVATION_FILE.tmp" "$ACTIVATION_FILE")
echo "activation $(printf '%s' "$answer" | grep -o '"ActivationId":"[^"]*"' | cut -d'"' -f4) created for $INSTANCE_COUNT instance(s)"
