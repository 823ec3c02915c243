// Fusion dashboard: brand health and the customer 360, polling the read API.
// Plain JS, no build step. Server text is only ever inserted as text nodes.
'use strict';

const state = { token: null, profile: null, brand: null, query: '' };
const $ = (id) => document.getElementById(id);

/** Creates an element; children are nodes or strings (inserted as text, never as HTML). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const fmt = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x)) ? '–' : Number(x).toFixed(d);
const money = (x) => Number(x).toLocaleString(undefined, { maximumFractionDigits: 0 });
const tone = (x) => (x > 55 ? 'good' : x < 45 ? 'bad' : 'flat');
const when = (iso) => iso ? iso.replace('T', ' ').slice(0, 16) : '';

// ---- token and API

function readFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('token')) {
    localStorage.setItem('fusion.token', params.get('token'));
    params.delete('token');
  }
  if (params.get('profile')) state.profile = params.get('profile');
  if (params.get('brand')) state.brand = params.get('brand');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  state.token = localStorage.getItem('fusion.token');
}

class AuthError extends Error {}

async function api(path) {
  const res = await fetch(path, { headers: { Authorization: 'Bearer ' + state.token } });
  if (res.status === 401) {
    const body = await res.json().catch(() => ({}));
    throw new AuthError(body.error || 'the admin token was refused');
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    throw new Error(body.error || res.status + ' ' + res.statusText);
  }
  return res.json();
}

function askForToken(message) {
  localStorage.removeItem('fusion.token');
  state.token = null;
  $('app').hidden = true;
  $('token-form').hidden = false;
  if (message) $('token-message').textContent = message + ': enter the admin token that ./fusion serve printed.';
  $('token-input').focus();
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const t = $('token-input').value.trim();
  if (!t) return;
  localStorage.setItem('fusion.token', t);
  state.token = t;
  $('token-form').hidden = true;
  $('token-input').value = '';
  refreshAll();
});

async function guarded(fn) {
  if (!state.token) return;
  try {
    await fn();
    $('app').hidden = false;
  } catch (e) {
    if (e instanceof AuthError) askForToken(e.message);
    else console.warn(e);
  }
}

// ---- status and stats

async function health() {
  const status = $('status');
  try {
    const h = await (await fetch('/health')).json();
    status.className = 'status up';
    $('status-text').textContent = `live · ${Number(h.events).toLocaleString()} events · ${Number(h.profiles).toLocaleString()} profiles`;
  } catch (e) {
    status.className = 'status down';
    $('status-text').textContent = 'server unreachable';
  }
}

async function stats() {
  const s = await api('/api/stats');
  const unknown = Object.entries(s.unknownEvents || {});
  $('stats').replaceChildren(
    el('span', {}, `${Number(s.events).toLocaleString()} events · ${Number(s.relationships).toLocaleString()} relationships · `
      + `${Number(s.ledgerEntries).toLocaleString()} ledger entries · ${s.brands} brands`),
    unknown.length ? el('span', {}, ' · unknown events (kept and counted, not scored): '
      + unknown.map(([n, c]) => `${n} ×${c}`).join(', ')) : null);
}

// ---- brands

async function brands() {
  const list = await api('/api/brands');
  list.sort((a, b) => (a.competitor - b.competitor) || a.id.localeCompare(b.id));
  $('brands').replaceChildren(...list.map((b) => el('div', {
    class: 'card brand-card' + (state.brand === b.id ? ' selected' : ''), 'data-brand': b.id,
    onclick: () => { state.brand = b.id; brands().catch(console.warn); brandDetail(); },
  },
    el('div', {}, el('span', { class: 'name' }, b.name || b.id), b.competitor ? el('span', { class: 'badge' }, 'competitor') : null),
    el('div', { class: 'scores' },
      el('div', { class: 'score' }, el('div', { class: 'value fusion ' + tone(b.fusion) }, fmt(b.fusion)), el('div', { class: 'label' }, 'fusion')),
      el('div', { class: 'score' }, el('div', { class: 'value experience ' + tone(b.experience) }, fmt(b.experience)), el('div', { class: 'label' }, 'experience'))),
    el('div', { class: 'meta' }, `${Number(b.consumers).toLocaleString()} consumers · ${Number(b.events).toLocaleString()} events · ${money(b.money)} spent`))));
}

async function brandDetail() {
  if (!state.brand) return;
  const b = await api('/api/brands/' + encodeURIComponent(state.brand) + '?days=90');
  $('brand-detail').hidden = false;
  $('brand-title').textContent = `${b.summary.name || b.summary.id}: the last ${b.series.length} days`;
  lineChart($('brand-chart'), b.series);
  barChart($('brand-bars'), b.series);
}

function lineChart(root, series) {
  const W = 900, H = 260, L = 40, R = 10, T = 10, B = 24;
  const values = series.flatMap((p) => [p.fusion, p.experience]);
  const lo = Math.max(0, Math.floor(Math.min(40, ...values) / 10) * 10);
  const hi = Math.min(100, Math.ceil(Math.max(60, ...values) / 10) * 10);
  const x = (i) => L + (W - L - R) * (series.length <= 1 ? 0 : i / (series.length - 1));
  const y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  root.replaceChildren();
  for (let v = lo; v <= hi; v += 10) {
    root.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: v === 50 ? '#c9ced6' : '#eef0f3' }));
    root.append(svg('text', { x: 4, y: y(v) + 4 }, String(v)));
  }
  series.forEach((p, i) => {
    if (i % Math.ceil(series.length / 8) === 0) root.append(svg('text', { x: x(i) - 18, y: H - 6 }, p.day.slice(5)));
  });
  for (const [key, color] of [['fusion', '#6c4ad6'], ['experience', '#e08a1e']]) {
    const d = series.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ');
    root.append(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2 }));
  }
}

function barChart(root, series) {
  const W = 900, H = 90, L = 40, R = 10;
  const max = Math.max(1, ...series.map((p) => p.events));
  const w = (W - L - R) / Math.max(1, series.length);
  root.replaceChildren(svg('text', { x: 4, y: 12 }, String(max)));
  series.forEach((p, i) => {
    const h = (H - 16) * p.events / max;
    const bar = svg('rect', { x: L + i * w + 1, y: H - h, width: Math.max(1, w - 2), height: h, fill: '#9fb3c8' });
    bar.append(svg('title', {}, `${p.day}: ${p.events} events, ${money(p.money)} spent, fusion ${fmt(p.fusion)}`));
    root.append(bar);
  });
}

// ---- customer 360

let searchTimer = null;
$('search').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => { state.query = $('search').value.trim(); guarded(search); }, 250);
});

async function search() {
  const hits = await api('/api/profiles?limit=30&q=' + encodeURIComponent(state.query));
  $('results').replaceChildren(...hits.map((p) => el('li', {
    class: 'result' + (p.id === state.profile ? ' selected' : ''), 'data-profile': p.id,
    onclick: () => { state.profile = p.id; search(); guarded(profile); },
  }, el('span', { class: 'who' }, p.name ? `${p.id} · ${p.name}` : p.id), el('span', { class: 'meta' }, `${p.events} ev`))));
}

async function profile() {
  if (!state.profile) return;
  const id = encodeURIComponent(state.profile);
  const [p, rels, timeline] = await Promise.all([
    api('/api/profiles/' + id), api('/api/profiles/' + id + '/relationships?ledger=6'),
    api('/api/profiles/' + id + '/timeline?limit=40')]);
  $('profile').hidden = false;
  $('profile-id').textContent = p.id;
  $('profile-name').textContent = p.traits && p.traits.name ? p.traits.name : '';
  $('profile-facts').replaceChildren(
    el('span', {}, 'identities ', el('b', {}, p.identities.join(', '))),
    el('span', {}, 'events ', el('b', {}, String(p.events))),
    el('span', {}, 'first seen ', el('b', {}, when(p.firstSeen))),
    el('span', {}, 'last seen ', el('b', {}, when(p.lastSeen))),
    ...Object.entries(p.traits || {}).filter(([k]) => k !== 'name').map(([k, v]) => el('span', {}, k + ' ', el('b', {}, String(v)))),
    ...p.merges.map((m) => el('span', {}, m.merged ? 'merged ' : 'not merged ', el('b', {}, m.absorbed || ''), ': ' + m.reason)));
  const direct = rels.filter((r) => !r.associationOnly);
  const assoc = rels.filter((r) => r.associationOnly);
  $('relationships').replaceChildren(...direct.map(relationship),
    assoc.length ? el('h4', {}, 'Associations (shared events, no direct interaction)') : null, ...assoc.map(relationship));
  $('timeline').tBodies[0].replaceChildren(...timeline.map((t) => el('tr', {},
    el('td', {}, when(t.time)), el('td', {}, t.type), el('td', {}, t.name || ''), el('td', {}, t.brand || ''),
    el('td', {}, t.channel || ''), el('td', {}, t.purpose || ''), el('td', { class: t.scored ? '' : 'kept' }, t.scored ? 'scored' : 'kept'))));
}

function relationship(r) {
  return el('div', { class: 'relationship' + (r.associationOnly ? ' association-only' : ''), 'data-brand': r.brand },
    el('div', { class: 'rel-head' },
      el('span', { class: 'brand' }, r.brand, r.competitor ? el('span', { class: 'badge' }, 'competitor') : null),
      el('span', { class: 'fusion ' + tone(r.fusion), title: 'fusion' }, 'fusion ' + fmt(r.fusion)),
      el('span', { class: 'experience ' + tone(r.experience), title: 'experience' }, 'exp. ' + fmt(r.experience)),
      el('span', { title: `what the brand gives: ${fmt(100 * r.brandSide)}%` }, el('div', { class: 'bar' }, el('span', { style: `width:${(100 * r.brandSide).toFixed(0)}%` }))),
      el('span', { title: `what the customer gives: ${fmt(100 * r.consumerSide)}%` }, el('div', { class: 'bar consumer' }, el('span', { style: `width:${(100 * r.consumerSide).toFixed(0)}%` }))),
      el('span', { class: 'meta' }, `${r.events} ev · ${money(r.money)} · assoc ${fmt(r.association, 2)}`)),
    el('ul', { class: 'ledger' }, ...r.ledger.map((l) => {
      const delta = l.fusionAfter - l.fusionBefore;
      return el('li', { class: 'ledger-entry' },
        el('span', { class: 'meta' }, when(l.time)), el('span', { class: 'kind' }, l.kind),
        el('span', { class: tone(50 + delta * 10) }, `${fmt(l.fusionBefore)} → ${fmt(l.fusionAfter)}`),
        el('span', { class: 'cause' }, l.cause));
    })));
}

// ---- loops

async function refreshAll() {
  await guarded(async () => {
    await Promise.all([brands(), stats(), search(), profile(), brandDetail()]);
  });
}

readFragment();
health();
if (!state.token) askForToken(); else refreshAll();
setInterval(health, 2000);
setInterval(() => guarded(async () => { await Promise.all([brands(), stats(), profile()]); }), 5000);
setInterval(() => guarded(brandDetail), 10000);
