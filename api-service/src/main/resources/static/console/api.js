// The console's only way to StopPlane: RPC calls to /, signed like an SDK's in signature mode, and the live feed at
// /console/events. Credentials live in IndexedDB as {accessKeyId, CryptoKey}; the CryptoKey is non-extractable, so the
// secret itself is never stored or readable.
import { importSecret, signV3 } from './sign.js';

const DB = 'stopplane-console';
const STORE = 'credentials';

function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function tx(mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(STORE, mode);
    const req = fn(t.objectStore(STORE));
    t.oncomplete = () => resolve(req && req.result);
    t.onerror = () => reject(t.error);
  });
}

export class ApiError extends Error {
  constructor(body, status) {
    super(body.Message || ('HTTP ' + status));
    this.code = body.Code || ('HTTP' + status);
    this.requestId = body.RequestId || '';
    this.status = status;
  }
}

export class Api {
  constructor() {
    this.credentials = null; // {accessKeyId, key}
  }

  async restore() {
    this.credentials = (await tx('readonly', s => s.get('current'))) || null;
    return this.credentials;
  }

  async signIn(accessKeyId, secret) {
    this.credentials = { accessKeyId, key: await importSecret(secret) };
    await tx('readwrite', s => s.put(this.credentials, 'current'));
  }

  async signOut() {
    this.credentials = null;
    await tx('readwrite', s => s.delete('current'));
  }

  async headers(method, path, action, query) {
    const base = { 'x-acs-action': action, 'x-acs-version': '2014-05-26' };
    if (!this.credentials) {
      return base;
    }
    const signed = await signV3(this.credentials.accessKeyId, this.credentials.key,
      { method, path, query, host: location.host, action, body: '' });
    delete signed.host; // the browser sends Host itself, the value signed
    return signed;
  }

  /** One RPC call, as the SDKs send it: POST /?params, empty body, the action in x-acs-action. */
  async call(action, params = {}) {
    const query = { Format: 'JSON', ...clean(params) };
    const response = await fetch('/?' + new URLSearchParams(query).toString().replace(/\+/g, '%20'), {
      method: 'POST', headers: await this.headers('POST', '/', action, query), cache: 'no-store',
    });
    let body;
    try {
      body = await response.json();
    } catch (e) {
      body = {};
    }
    if (!response.ok || body.Code) {
      throw new ApiError(body, response.status);
    }
    return body;
  }

  /**
   * The live feed, read with fetch() streaming (EventSource cannot send the signature headers). Calls onEvent(name,
   * data) per event; reconnects after an error or a silence longer than three heartbeats, with a fresh signature.
   */
  watch(regionId, onEvent, onState) {
    let stopped = false;
    let controller;
    const run = async () => {
      while (!stopped) {
        controller = new AbortController();
        let watchdog;
        try {
          const query = { RegionId: regionId };
          const response = await fetch('/console/events?' + new URLSearchParams(query), {
            headers: await this.headers('GET', '/console/events', 'WatchInvocations', query),
            signal: controller.signal, cache: 'no-store',
          });
          if (!response.ok) {
            let body = {};
            try { body = await response.json(); } catch (e) { /* not JSON */ }
            throw new ApiError(body, response.status);
          }
          onState('live');
          let silence = 45000;
          const arm = () => { clearTimeout(watchdog); watchdog = setTimeout(() => controller.abort(), silence); };
          arm();
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            arm();
            buffer += value;
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event = parse(block);
              if (event && event.name === 'ready') {
                silence = JSON.parse(event.data).HeartbeatSeconds * 3000;
                arm();
              }
              if (event) onEvent(event.name, JSON.parse(event.data));
            }
          }
        } catch (e) {
          if (stopped) return;
          onState(e instanceof ApiError ? 'refused: ' + e.code : 'reconnecting');
        } finally {
          clearTimeout(watchdog);
        }
        if (!stopped) {
          onState('reconnecting');
          await new Promise(r => setTimeout(r, 2000));
        }
      }
    };
    run();
    return () => { stopped = true; if (controller) controller.abort(); };
  }
}

function parse(block) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') name = value;
    if (field === 'data') data.push(value);
  }
  return data.length ? { name, data: data.join('\n') } : null;
}

function clean(params) {
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  }
  return out;
}
