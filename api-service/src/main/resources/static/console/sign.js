// Signature V3 (ACS3-HMAC-SHA256) in the browser, as the SDKs sign (see common-model SignatureV3 and
// docs/console.md). The secret is imported once as a non-extractable HMAC CryptoKey: the page can sign with it but no
// script can read it back.
const ALGORITHM = 'ACS3-HMAC-SHA256';
const SIGNED = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
const utf8 = new TextEncoder();

/** RFC 3986: keep A-Za-z0-9-_.~, upper-case %XX on the UTF-8 bytes elsewhere. */
export function percent(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** name=value pairs, both encoded, sorted by encoded name (byte order), joined by &. */
export function canonicalQuery(params) {
  return Object.entries(params)
    .map(([k, v]) => [percent(k), percent(v == null ? '' : String(v))])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => k + '=' + v)
    .join('&');
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), b => b.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(text) {
  return hex(await crypto.subtle.digest('SHA-256', utf8.encode(text)));
}

/** The secret as a key that can only sign: extractable=false. */
export function importSecret(secret) {
  return crypto.subtle.importKey('raw', utf8.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export function nonce() {
  return hex(crypto.getRandomValues(new Uint8Array(16)));
}

export function timestamp(date = new Date()) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The headers of a signed request.
 * @param r {method, path, query (object), host, action, version, body (string), date, nonce}
 */
export async function signV3(accessKeyId, key, r) {
  const bodyHash = await sha256Hex(r.body || '');
  const headers = {
    'host': r.host,
    'x-acs-action': r.action,
    'x-acs-content-sha256': bodyHash,
    'x-acs-date': r.date || timestamp(),
    'x-acs-signature-nonce': r.nonce || nonce(),
    'x-acs-version': r.version || '2014-05-26',
  };
  const canonical = [
    r.method.toUpperCase(),
    r.path || '/',
    canonicalQuery(r.query || {}),
    SIGNED.map(h => h + ':' + String(headers[h]).trim() + '\n').join(''),
    SIGNED.join(';'),
    bodyHash,
  ].join('\n');
  const stringToSign = ALGORITHM + '\n' + await sha256Hex(canonical);
  const signature = hex(await crypto.subtle.sign('HMAC', key, utf8.encode(stringToSign)));
  headers['authorization'] = `${ALGORITHM} Credential=${accessKeyId},SignedHeaders=${SIGNED.join(';')},Signature=${signature}`;
  return headers;
}
