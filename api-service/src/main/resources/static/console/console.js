// The operator's console: hash-routed views over the RPC API (see api.js). Every value from the API is put in the page
// as text (no innerHTML), so command output cannot inject markup.
import { Api, ApiError } from './api.js';

const api = new Api();
const $ = id => document.getElementById(id);
const TERMINAL = new Set(['Success', 'Failed', 'Timeout', 'Error', 'Invalid', 'Aborted', 'Cancelled', 'Terminated']);
const STATUSES = ['Pending', 'Running', 'Stopping', 'Success', 'Failed', 'PartialFailed', 'Stopped'];
const PAGE = 20;
let identity = null;
let view = null;
let stopFeed = null;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const status = s => h('span', { class: 'status ' + s, 'data-status': s }, s);
const region = () => $('region').value || localStorage.getItem('stopplane.region') || 'cn-hangzhou';
const may = action => identity && identity.actions.has(action);
const cell = (label, ...c) => h('td', { 'data-label': label }, ...c);

function showError(e) {
  const box = $('error');
  if (!e) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  box.replaceChildren(e instanceof ApiError
    ? h('span', {}, h('code', { 'data-testid': 'error-code' }, e.code), ': ', e.message,
      e.requestId ? h('span', { class: 'muted' }, ' (RequestId ' + e.requestId + ')') : '')
    : h('span', {}, String(e.message || e)));
}

async function guarded(fn) {
  try { showError(null); return await fn(); } catch (e) { showError(e); return undefined; }
}

/** Runs fn at most once per delay, the last call winning: feed bursts become one reload. */
function debounce(fn, delay = 300) {
  let timer;
  return () => { clearTimeout(timer); timer = setTimeout(fn, delay); };
}

function confirmStop(invokeId, instances) {
  const what = instances.length ? 'instance' + (instances.length > 1 ? 's ' : ' ') + instances.join(', ')
    : 'every instance of it';
  $('confirm-text').textContent = `Stop ${invokeId} on ${what}? Running processes get SIGTERM, then SIGKILL once the`
    + ' agent\'s stop grace ends (stopplane.agent.stop-grace, 10 s unless configured); targets that have not started'
    + ' are cancelled; finished ones are left as they are.';
  const dialog = $('confirm');
  return new Promise(resolve => {
    dialog.onclose = () => resolve(dialog.returnValue === 'ok');
    dialog.returnValue = '';
    dialog.showModal();
  });
}

async function stop(invokeId, instances = []) {
  if (!(await confirmStop(invokeId, instances))) return;
  const params = { RegionId: region(), InvokeId: invokeId };
  instances.forEach((id, i) => { params['InstanceId.' + (i + 1)] = id; });
  await guarded(() => api.call('StopInvocation', params));
  if (view && view.reload) view.reload();
}

// ---- views ------------------------------------------------------------------------------------------------------

function hashQuery() {
  const q = location.hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : location.hash.slice(q + 1));
}

function invocationsView() {
  const q = hashQuery();
  const tokens = [];
  let next = null;
  const body = h('tbody', { 'data-testid': 'invocations' });
  const pager = h('span', { class: 'muted' });
  const filters = h('form', { class: 'filters', onsubmit: e => {
    e.preventDefault();
    const f = new FormData(filters);
    const p = new URLSearchParams();
    for (const [k, v] of f) if (v) p.set(k, v);
    location.hash = '#/?' + p.toString();
  } },
  h('label', {}, 'Status', h('select', { name: 'status' }, h('option', { value: '' }, 'any'),
    STATUSES.map(s => h('option', { value: s, selected: q.get('status') === s }, s)))),
  h('label', {}, 'Instance', h('input', { name: 'instance', value: q.get('instance') || '', placeholder: 'i-…' })),
  h('label', {}, 'Command (id or name)', h('input', { name: 'command', value: q.get('command') || '' })),
  h('label', {}, 'Created from', h('input', { name: 'from', type: 'datetime-local', value: q.get('from') || '' })),
  h('label', {}, 'to', h('input', { name: 'to', type: 'datetime-local', value: q.get('to') || '' })),
  h('button', { class: 'primary', type: 'submit' }, 'Filter'));
  const from = q.get('from') ? new Date(q.get('from')) : null;
  const to = q.get('to') ? new Date(q.get('to')) : null;

  async function load(token) {
    const command = q.get('command') || '';
    const r = await guarded(() => api.call('DescribeInvocations', {
      RegionId: region(), InvokeStatus: q.get('status'), InstanceId: q.get('instance'),
      CommandId: command.startsWith('c-') ? command : '', CommandName: command.startsWith('c-') ? '' : command,
      MaxResults: PAGE, NextToken: token, ContentEncoding: 'PlainText',
    }));
    if (!r) return;
    // newest first: the time window is applied to each page as it comes
    const rows = r.Invocations.Invocation.filter(inv => {
      const at = new Date(inv.CreationTime);
      return (!from || at >= from) && (!to || at <= to);
    });
    const older = from && r.Invocations.Invocation.some(inv => new Date(inv.CreationTime) < from);
    next = older ? null : (r.NextToken || null);
    body.replaceChildren(...rows.map(row));
    if (!rows.length) body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No invocations.')));
    pager.textContent = `page ${tokens.length + 1}` + (r.TotalCount != null ? ` · ${r.TotalCount} in all` : '');
    prev.disabled = tokens.length === 0;
    nextButton.disabled = !next;
  }

  function row(inv) {
    const instances = inv.InvokeInstances.InvokeInstance;
    const running = instances.some(i => !TERMINAL.has(i.InvocationStatus));
    return h('tr', { 'data-invoke-id': inv.InvokeId },
      cell('Invocation', h('a', { href: '#/invocation/' + inv.InvokeId, class: 'mono' }, inv.InvokeId)),
      cell('Command', h('div', {}, inv.CommandName || inv.CommandType),
        h('div', { class: 'mono muted' }, (inv.CommandContent || '').slice(0, 80))),
      cell('Status', status(inv.InvocationStatus)),
      cell('Instances', h('div', { class: 'chips' }, instances.map(i =>
        h('span', { title: i.InstanceId, 'data-instance': i.InstanceId }, status(i.InvocationStatus), ' ',
          h('span', { class: 'mono' }, i.InstanceId))))),
      cell('Created', inv.CreationTime),
      cell('', may('StopInvocation') && running
        ? h('button', { class: 'danger', 'data-testid': 'stop-invocation', onclick: () => stop(inv.InvokeId) }, 'Stop')
        : ''));
  }

  const prev = h('button', { onclick: () => load(tokens.pop() || null) }, 'Previous');
  const nextButton = h('button', { onclick: () => { tokens.push(current); current = next; load(next); } }, 'Next');
  let current = null;
  $('main').replaceChildren(h('h1', {}, 'Invocations'), filters,
    h('div', { class: 'table' }, h('table', { class: 'responsive' }, h('thead', {}, h('tr', {},
      ['Invocation', 'Command', 'Status', 'Instances', 'Created', ''].map(t => h('th', {}, t)))), body)),
    h('div', { class: 'pager' }, prev, nextButton, pager));
  load(null);
  const reload = debounce(() => load(current));
  return { reload, onFeed: reload };
}

function invocationView(invokeId) {
  const facts = h('dl', { class: 'facts' });
  const body = h('tbody', { 'data-testid': 'targets' });
  const timeline = h('tbody', { 'data-testid': 'timeline' });
  const actions = h('div', { class: 'actions' });
  const selected = () => [...body.querySelectorAll('input[type=checkbox]:checked')].map(c => c.value);

  async function load() {
    const r = await guarded(() => api.call('DescribeInvocations', {
      RegionId: region(), InvokeId: invokeId, IncludeOutput: 'true', ContentEncoding: 'PlainText' }));
    if (!r) return;
    const inv = r.Invocations.Invocation[0];
    if (!inv) { showError(new Error('The specified invoke ID does not exist.')); return; }
    const instances = inv.InvokeInstances.InvokeInstance;
    facts.replaceChildren(
      h('dt', {}, 'Status'), h('dd', { 'data-testid': 'invocation-status' }, status(inv.InvocationStatus)),
      h('dt', {}, 'Command'), h('dd', {}, `${inv.CommandType} ${inv.CommandName ? '· ' + inv.CommandName : ''}`),
      h('dt', {}, 'Content'), h('dd', { class: 'mono' }, inv.CommandContent || ''),
      h('dt', {}, 'Timeout'), h('dd', {}, inv.Timeout + ' s'),
      h('dt', {}, 'User · dir'), h('dd', {}, `${inv.Username || 'default'} · ${inv.WorkingDir || 'default'}`),
      h('dt', {}, 'Created'), h('dd', {}, inv.CreationTime));
    const canStop = may('StopInvocation');
    const open = instances.filter(i => !TERMINAL.has(i.InvocationStatus));
    actions.replaceChildren(...(canStop && open.length ? [
      h('button', { class: 'danger', 'data-testid': 'stop-all', onclick: () => stop(invokeId) }, 'Stop all'),
      h('button', { 'data-testid': 'stop-selected', onclick: () => {
        const ids = selected();
        if (ids.length) stop(invokeId, ids); else showError(new Error('Choose the instances to stop first.'));
      } }, 'Stop selected')] : []));
    const checked = new Set(selected());
    body.replaceChildren(...instances.map(i => h('tr', { 'data-instance': i.InstanceId },
      cell('', canStop && !TERMINAL.has(i.InvocationStatus)
        ? h('input', { type: 'checkbox', value: i.InstanceId, checked: checked.has(i.InstanceId) }) : ''),
      cell('Instance', h('span', { class: 'mono' }, i.InstanceId)),
      cell('Status', status(i.InvocationStatus)),
      cell('Exit', i.ExitCode == null ? '' : String(i.ExitCode)),
      cell('Error', i.ErrorCode ? h('span', { title: i.ErrorInfo || '' }, i.ErrorCode) : ''),
      cell('Started', i.StartTime || ''), cell('Finished', i.FinishTime || ''), cell('Stopped', i.StopTime || ''),
      cell('Output', i.Output ? h('pre', { class: 'output' }, i.Output) : '',
        i.Dropped ? h('div', { class: 'muted' }, `Dropped ${i.Dropped} bytes`) : ''),
      cell('', canStop && !TERMINAL.has(i.InvocationStatus)
        ? h('button', { class: 'danger', 'data-testid': 'stop-instance', onclick: () => stop(invokeId, [i.InstanceId]) },
          'Stop') : ''))));
    if (may('DescribeInvocationTimeline')) loadTimeline();
  }

  async function loadTimeline() {
    const r = await guarded(() => api.call('DescribeInvocationTimeline', { RegionId: region(), InvokeId: invokeId }));
    if (!r) return;
    timeline.replaceChildren(...r.Events.Event.map(e => {
      const c = e.Caller || {};
      const who = e.Caller ? [c.AccessKeyId || 'no key', c.AccountId ? 'account ' + c.AccountId : '']
        .filter(Boolean).join(' · ') : (e.Type === 'TimeoutDetected' ? 'dispatcher' : 'agent');
      return h('tr', { 'data-type': e.Type },
        cell('Time', e.Time), cell('Event', e.Type + (e.InvocationStatus ? ' → ' + e.InvocationStatus : '')),
        cell('Instances', (e.InstanceIds.InstanceId || []).join(', ') || 'all'),
        cell('Who', who), cell('From', e.Caller ? `${c.SourceIp || ''} ${c.UserAgent || ''}` : ''),
        cell('Request', h('span', { class: 'mono' }, c.RequestId || '')));
    }), ...(r.Truncated ? [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'Cut at the scan bound.'))] : []));
  }

  $('main').replaceChildren(h('h1', { class: 'mono' }, invokeId), facts, actions,
    h('div', { class: 'table' }, h('table', { class: 'responsive' }, h('thead', {}, h('tr', {},
      ['', 'Instance', 'Status', 'Exit', 'Error', 'Started', 'Finished', 'Stopped', 'Output', ''].map(t =>
        h('th', {}, t)))), body)),
    ...(may('DescribeInvocationTimeline') ? [h('h2', {}, 'Audit timeline'),
      h('div', { class: 'table' }, h('table', { class: 'responsive' }, h('thead', {}, h('tr', {},
        ['Time', 'Event', 'Instances', 'Who', 'From', 'Request'].map(t => h('th', {}, t)))), timeline))] : []));
  load();
  const reload = debounce(load);
  return { reload, onFeed: e => { if (e.InvokeId === invokeId) reload(); } };
}

function runView() {
  if (!may('RunCommand')) {
    $('main').replaceChildren(h('h1', {}, 'Run command'), h('p', { class: 'muted' }, 'This key may not run commands.'));
    return {};
  }
  const targets = h('div', { class: 'chips', 'data-testid': 'run-instances' });
  const form = h('form', { class: 'run', onsubmit: async e => {
    e.preventDefault();
    const f = new FormData(form);
    const ids = [...f.getAll('instance'), ...String(f.get('more') || '').split(/[\s,]+/)].filter(Boolean);
    const params = { RegionId: region(), Type: f.get('type'), CommandContent: f.get('content'),
      ContentEncoding: 'PlainText', Timeout: f.get('timeout'), Username: f.get('username'),
      WorkingDir: f.get('dir'), Name: f.get('name') };
    [...new Set(ids)].forEach((id, i) => { params['InstanceId.' + (i + 1)] = id; });
    const r = await guarded(() => api.call('RunCommand', params));
    if (r) location.hash = '#/invocation/' + r.InvokeId;
  } },
  h('label', {}, 'Type', h('select', { name: 'type' }, ['RunShellScript', 'RunBatScript', 'RunPowerShellScript']
    .map(t => h('option', { value: t }, t)))),
  h('label', {}, 'Content', h('textarea', { name: 'content', required: true, placeholder: 'sleep 600' })),
  h('label', {}, 'Timeout (s)', h('input', { name: 'timeout', type: 'number', min: 1, value: 60 })),
  h('label', {}, 'Username', h('input', { name: 'username', placeholder: 'the agent\'s user' })),
  h('label', {}, 'Working directory', h('input', { name: 'dir', placeholder: 'the agent\'s default' })),
  h('label', {}, 'Name', h('input', { name: 'name' })),
  h('label', {}, 'Instances', targets),
  h('label', {}, 'Other instance ids', h('input', { name: 'more', placeholder: 'i-…, i-…' })),
  h('button', { class: 'primary', type: 'submit', 'data-testid': 'run' }, 'Run'));
  $('main').replaceChildren(h('h1', {}, 'Run command'), form);
  guarded(async () => {
    const r = await api.call('DescribeCloudAssistantStatus', { RegionId: region(), MaxResults: 50 });
    targets.replaceChildren(...r.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus.map(s =>
      h('label', { class: 'mono check' },
        h('input', { type: 'checkbox', name: 'instance', value: s.InstanceId }), s.InstanceId,
        s.CloudAssistantStatus === 'true' ? '' : ' (offline)')));
  });
  return {};
}

function instancesView() {
  const body = h('tbody', { 'data-testid': 'agents' });
  async function load() {
    const r = await guarded(() => api.call('DescribeCloudAssistantStatus', { RegionId: region(), MaxResults: 50 }));
    if (!r) return;
    body.replaceChildren(...r.InstanceCloudAssistantStatusSet.InstanceCloudAssistantStatus.map(s => h('tr', {},
      cell('Instance', h('span', { class: 'mono' }, s.InstanceId)),
      cell('Agent', s.CloudAssistantStatus === 'true' ? status('Online') : status('Offline')),
      cell('Last seen', s.LastHeartbeatTime || ''), cell('Version', s.CloudAssistantVersion || ''),
      cell('Active tasks', String(s.ActiveTaskCount)), cell('Invocations', String(s.InvocationCount)),
      cell('Last invoked', s.LastInvokedTime || ''),
      cell('How it kills', s.KillMethod || h('span', { class: 'muted' }, 'not reported by the agent')))));
  }
  $('main').replaceChildren(h('h1', {}, 'Instances'), h('div', { class: 'table' }, h('table', { class: 'responsive' },
    h('thead', {}, h('tr', {}, ['Instance', 'Agent', 'Last seen', 'Version', 'Active tasks', 'Invocations',
      'Last invoked', 'How it kills'].map(t => h('th', {}, t)))), body)));
  load();
  const timer = setInterval(load, 10000); // heartbeats are not on the feed
  return { reload: load, close: () => clearInterval(timer) };
}

function signInView(error) {
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  const form = h('form', { class: 'signin', onsubmit: async e => {
    e.preventDefault();
    const f = new FormData(form);
    await api.signIn(String(f.get('id')).trim(), String(f.get('secret')));
    form.reset();
    start();
  } },
  h('p', { class: 'muted' }, 'This StopPlane checks signatures. Sign in with an AccessKey pair: every request is signed'
    + ' in this browser (ACS3-HMAC-SHA256); the secret is kept only as a key the page can sign with, never as text.'),
  h('label', {}, 'AccessKey ID', h('input', { name: 'id', required: true, autocomplete: 'username' })),
  h('label', {}, 'AccessKey secret', h('input', { name: 'secret', type: 'password', required: true,
    autocomplete: 'current-password' })),
  h('button', { class: 'primary', type: 'submit', 'data-testid': 'sign-in' }, 'Sign in'));
  $('main').replaceChildren(h('h1', {}, 'Sign in'), form);
  showError(error);
}

// ---- wiring -----------------------------------------------------------------------------------------------------

function route() {
  if (!identity) return;
  if (view && view.close) view.close();
  showError(null);
  const path = location.hash.replace(/^#/, '').split('?')[0] || '/';
  const m = path.match(/^\/invocation\/(t-[A-Za-z0-9]+)$/);
  const name = m ? 'invocations' : path === '/run' ? 'run' : path === '/instances' ? 'instances' : 'invocations';
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === name));
  view = m ? invocationView(m[1]) : path === '/run' ? runView() : path === '/instances' ? instancesView()
    : invocationsView();
}

function watch() {
  if (stopFeed) stopFeed();
  const badge = $('feed');
  stopFeed = api.watch(region(), (name, data) => {
    if (name === 'invocation' && view && view.onFeed) view.onFeed(data);
  }, state => { badge.textContent = state; badge.classList.toggle('live', state === 'live'); });
}

async function start() {
  let who;
  try {
    who = await api.call('GetCallerIdentity');
  } catch (e) {
    identity = null;
    if (api.credentials) await api.signOut();
    signInView(e instanceof ApiError && e.code === 'IncompleteSignature' ? null : e);
    return;
  }
  identity = { ...who, actions: new Set(who.Actions.Action) };
  $('who').textContent = who.IdentityType === 'Anonymous' ? 'local mode, no sign-in'
    : `${who.AccessKeyId} · account ${who.AccountId}`;
  $('who').dataset.testid = 'who';
  $('sign-out').hidden = who.IdentityType === 'Anonymous';
  $('nav').hidden = false;
  $('nav-run').hidden = !may('RunCommand');
  const saved = localStorage.getItem('stopplane.region') || 'cn-hangzhou';
  $('region').replaceChildren(h('option', { value: saved, selected: true }, saved));
  guarded(async () => {
    const r = await api.call('DescribeRegions');
    $('region').replaceChildren(...r.Regions.Region.map(g =>
      h('option', { value: g.RegionId, selected: g.RegionId === saved }, g.RegionId)));
  });
  watch();
  route();
}

$('region').addEventListener('change', () => {
  localStorage.setItem('stopplane.region', $('region').value);
  watch();
  route();
});
$('sign-out').addEventListener('click', async () => {
  if (stopFeed) stopFeed();
  await api.signOut();
  identity = null;
  signInView(null);
});
window.addEventListener('hashchange', route);
api.restore().then(start, () => start());
