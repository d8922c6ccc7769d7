# Signature V1 (HMAC-SHA1) of an RPC query, as an Alibaba Cloud SDK signs a GET. Sourced by bin/stopplane (the local
# agent's CreateActivation in signature mode) and by docker-compose.yml's agent-activation one-shot
# (deploy/agent-activation/create-activation.sh). Needs bash, awk, od, base64 and openssl.

# Alibaba's percent-encoding (RFC 3986 unreserved characters kept, everything else %XX of its UTF-8 bytes).
pct() {
  local LC_ALL=C s=$1 out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in [A-Za-z0-9._~-]) out+=$c ;; *) printf -v c '%%%02X' "'$c"; out+=$c ;; esac
  done
  printf '%s' "$out"
}

# The first key of a credentials file (the api-service's shape): "<accessKeyId> <accessKeySecret>". Only a secret
# written in the file itself (accessKeySecret) can be read here, not a secretFile or secretEnv one.
first_key() {
  awk '/accessKeyId:/ && !id { v = $0; sub(/^[^:]*:[[:space:]]*/, "", v); gsub(/["\047[:space:]]/, "", v); id = v }
       /accessKeySecret:/ && !secret { v = $0; sub(/^[^:]*:[[:space:]]*/, "", v); gsub(/["\047[:space:]]/, "", v); secret = v }
       END { print id, secret }' "$1"
}

# sign_v1_query ACCESS_KEY_ID SECRET NAME=VALUE...: the query string of the call, with its signature parameters and
# its Signature, ready to put after "/?".
sign_v1_query() {
  local key=$1 secret=$2 canonical sig p
  shift 2
  local params=("$@" "AccessKeyId=$key" SignatureMethod=HMAC-SHA1 SignatureVersion=1.0 Version=2014-05-26
    "SignatureNonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" "Timestamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)")
  canonical=$(for p in "${params[@]}"; do printf '%s=%s\n' "$(pct "${p%%=*}")" "$(pct "${p#*=}")"; done | LC_ALL=C sort | paste -sd'&' -)
  sig=$(printf '%s' "GET&%2F&$(pct "$canonical")" | openssl dgst -sha1 -hmac "$secret&" -binary | base64)
  printf '%s&Signature=%s' "$canonical" "$(pct "$sig")"
}
