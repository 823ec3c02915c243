// Fusion dashboard: brand health, customer 360 and store stats, polling the read API.
// Vanilla ES2020, no build step. Server text only ever enters the DOM as text nodes or attributes.
'use strict';
(() => {
  const TOKEN_KEY = 'fusion.token';
  const state = { token: null, profile: null, brand: null, brandNames: {}, rendered: {}, online: null, ticking: false };
  const $ = (id) => document.getElementById(id);
  const enc = encodeURIComponent;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  // ---- DOM helpers (text only, never HTML)
  function build(node, attrs, kids) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.setAttribute('class', v);
      else if (k === 'style') Object.assign(node.style, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of kids.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const h = (tag, attrs, ...kids) => build(document.createElement(tag), attrs, kids);
  const s = (tag, attrs, ...kids) => build(document.createElementNS(SVG_NS, tag), attrs, kids);

  // ---- formatting
  const finite = (x) => typeof x === 'number' && Number.isFinite(x);
  const num = (x, d = 1) => (finite(x) ? x.toFixed(d) : '–');
  const int = (x) => (finite(x) ? Math.round(x).toLocaleString('en-US') : '–');
  // amounts carry the server's currency (GET /api/display: --currency, default USD), as a code: "USD 1,234.5"
  const money = (x) => (finite(x) ? (state.currency ? state.currency + ' ' : '')
    + x.toLocaleString('en-US', { maximumFractionDigits: 2 }) : '–');
  const signed = (x, d = 1) => (finite(x) ? (x > 0 ? '+' : x < 0 ? '−' : '±') + Math.abs(x).toFixed(d) : '–');
  const tone = (x) => (!finite(x) ? 'neutral' : x < 45 ? 'bad' : x > 55 ? 'good' : 'neutral');
  const when = (iso) => (iso ? String(iso).replace('T', ' ').slice(0, 16) : '–');
  const dayLabel = (d) => MONTHS[Number(d.slice(5, 7)) - 1] + ' ' + d.slice(8, 10);
  const brandName = (id) => state.brandNames[id] || id;

  /** True (and remembered) when data differs from what was last rendered under key. */
  function changed(key, data) {
    const json = JSON.stringify(data);
    return state.rendered[key] === json ? false : ((state.rendered[key] = json), true);
  }
  /**
   * Re-renders without letting the page jump or the keyboard lose its place: when the focused
   * element is replaced, its successor (the same tag with the same data-* attributes) takes the focus.
   */
  function keepScroll(fn) {
    const x = window.scrollX, y = window.scrollY, focused = document.activeElement;
    const same = focused && focused !== document.body ? focusKey(focused) : null;
    fn();
    if (same && !focused.isConnected) {
      const successor = document.querySelector(same);
      if (successor) successor.focus({ preventScroll: true });
    }
    if (window.scrollY !== y || window.scrollX !== x) window.scrollTo(x, y);
  }
  function focusKey(node) {
    const data = [...node.attributes].filter((a) => a.name.startsWith('data-'));
    if (!data.length && !node.id) return null;
    return node.tagName.toLowerCase() + (node.id ? '#' + CSS.escape(node.id) : '')
      + data.map((a) => `[${a.name}="${CSS.escape(a.value)}"]`).join('');
  }
  /** Smooth scrolling unless the person asked for less motion. */
  const motion = () => (window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth');
  /** Sets text only when it differs, so that a live region does not re-announce what it already said. */
  const setText = (node, text) => { if (node.textContent !== text) node.textContent = text; };

  /**
   * A chart's text alternative: the caption says the headline figure, and the data behind the
   * chart is a table behind a toggle (a details element, so it opens with the keyboard).
   */
  function describe(captionId, tableId, headline, heads, rows) {
    setText($(captionId), headline);
    $(tableId).replaceChildren(h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c)))))));
  }

  // ---- token, fragment and API
  function readFragment() {
    const raw = location.hash.replace(/^#/, '');
    if (!raw) return;
    const params = new URLSearchParams(raw), token = params.get('token');
    if (token) sessionStorage.setItem(TOKEN_KEY, (state.token = token));
    if (params.get('profile')) state.profile = params.get('profile');
    if (params.get('brand')) state.brand = params.get('brand');
    if (token) syncHash();
  }
  function syncHash() {
    const p = new URLSearchParams();
    if (state.profile) p.set('profile', state.profile);
    if (state.brand) p.set('brand', state.brand);
    history.replaceState(null, '', location.pathname + location.search + (p.toString() ? '#' + p : ''));
  }

  class AuthError extends Error {}

  /** The API with the token; a refusal throws an Error carrying status, code and field. */
  async function api(path, opts = {}) {
    const used = state.token;
    if (!used) throw new AuthError('no admin token');
    const headers = { Authorization: 'Bearer ' + used, Accept: 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const init = { method: opts.method || 'GET', headers, cache: 'no-store' };
    if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
    const res = await fetch(path, init)
      .catch(() => { throw Object.assign(new Error('the server is unreachable; retrying'), { offline: true }); });
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    const message = body && typeof body.error === 'string' ? body.error : null;
    if (res.status === 401) {
      if (state.token === used) askForToken(message || 'the admin token was refused');
      throw new AuthError(message || 'unauthorized');
    }
    if (!res.ok) {
      throw Object.assign(new Error(message ? message + (body.field ? ' (' + body.field + ')' : '') : res.status + ' ' + res.statusText),
        { status: res.status, code: body && body.code, field: body && body.field, reason: message });
    }
    return body;
  }

  function askForToken(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    state.rendered = {};
    $('app').hidden = $('stats').hidden = true;
    $('token-form').hidden = false;
    $('token-error').hidden = !message;
    $('token-error').textContent = message || '';
    $('token-input').focus();
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, (state.token = token));
    $('token-input').value = '';
    start();
  });

  // an alert is said once: the same error on the next poll changes nothing in the DOM
  const showError = (message) => { $('error').hidden = !message; setText($('error'), message || ''); };

  // ---- live status and stats
  const COUNTS = [['events', 'events'], ['profiles', 'profiles'], ['relationships', 'relationships'],
    ['ledgerEntries', 'ledger entries'], ['brands', 'brands']];
  async function pollHealth() {
    let hl = null;
    try {
      const res = await fetch('/health', { cache: 'no-store' });
      if (res.ok) hl = await res.json();
    } catch (e) { hl = null; }
    const up = !!hl && hl.status === 'ok';
    $('status').className = 'status ' + (up ? 'up' : 'down');
    $('status').dataset.state = up ? 'up' : 'down';
    setText($('status-text'), up ? 'live' : 'offline');
    if (up && changed('health', hl)) {
      $('counters').replaceChildren(...COUNTS.map(([k, label]) =>
        h('span', { class: 'counter', 'data-counter': k }, h('b', {}, int(hl[k])), ' ' + label)));
    }
    if (up && state.online === false) tick();
    state.online = up;
  }

  async function loadDisplay() {
    state.currency = (await api('/api/display')).currency;
  }

  async function refreshStats() {
    const st = await api('/api/stats');
    if (!changed('stats', st)) return;
    const unknown = Object.entries(st.unknownEvents || {}).sort((a, b) => b[1] - a[1]);
    $('stats').replaceChildren(
      h('div', { class: 'stat-row' }, COUNTS.map(([k, label]) => h('span', { class: 'stat', 'data-stat': k }, h('b', {}, int(st[k])), ' ' + label))),
      h('div', { id: 'unknown-events', class: 'unknown' },
        h('span', { class: 'unknown-title' }, 'Unknown events — kept and counted, not scored: '),
        unknown.length ? unknown.map(([name, n]) => h('span', { class: 'unknown-event', 'data-event': name }, name, ' ', h('b', {}, '×' + int(n))))
          : h('span', { class: 'muted' }, 'none')));
  }

  // ---- brand health
  async function refreshBrands() {
    const list = await api('/api/brands');
    for (const b of list) state.brandNames[b.id] = b.name || b.id;
    const sorted = [...list.filter((b) => !b.competitor), ...list.filter((b) => b.competitor)];
    if (changed('brands', sorted)) keepScroll(() => $('brands').replaceChildren(...sorted.map(brandCard)));
    markSelected('#brands .brand-card', 'brand', state.brand);
    if (state.brand) await refreshBrandDetail();
  }

  // a button whose name is what it shows (no aria-label that could say something else)
  function brandCard(b) {
    const metric = (key, label) => h('span', { class: 'metric' },
      h('span', { class: 'value ' + key + ' ' + tone(b[key]), title: label + ' ' + num(b[key], 2) }, num(b[key])),
      h('span', { class: 'label' }, ' ' + label));
    return h('button', { type: 'button', class: 'card brand-card' + (b.competitor ? ' competitor' : ''), 'data-brand': b.id,
      'aria-pressed': String(b.id === state.brand), onclick: () => selectBrand(b.id) },
      h('span', { class: 'brand-head' }, h('span', { class: 'brand-name', title: b.name || b.id }, b.name || b.id),
        b.competitor ? h('span', { class: 'badge competitor-badge' }, '⚑ competitor') : null),
      h('span', { class: 'metrics' }, metric('fusion', 'fusion'), metric('experience', 'experience')),
      h('span', { class: 'brand-meta' },
        h('span', { class: 'consumers' }, h('b', {}, int(b.consumers)), ' consumers'),
        h('span', { class: 'events' }, h('b', {}, int(b.events)), ' events'),
        h('span', { class: 'money' }, h('b', {}, money(b.money)), ' money')));
  }

  const markSelected = (sel, attr, id) => document.querySelectorAll(sel).forEach((n) => {
    n.classList.toggle('selected', n.dataset[attr] === id);
    n.setAttribute('aria-pressed', String(n.dataset[attr] === id));
  });

  function selectBrand(id) {
    state.brand = id;
    state.brandExtrasFor = null;
    delete state.rendered['brand-detail'];
    markSelected('#brands .brand-card', 'brand', id);
    syncHash();
    guard(refreshBrandDetail().then(() => $('brand-detail').scrollIntoView({ block: 'nearest', behavior: motion() })));
  }

  function closeBrand() {
    state.brand = null;
    state.brandExtrasFor = null;
    $('brand-detail').hidden = true;
    markSelected('#brands .brand-card', 'brand', null);
    syncHash();
  }
  $('brand-close').addEventListener('click', closeBrand);

  async function refreshBrandDetail() {
    const id = state.brand;
    if (!id) return;
    let d;
    try { d = await api('/api/brands/' + enc(id) + '?days=90'); } catch (e) {
      if (!(e instanceof AuthError) && id === state.brand) closeBrand();
      throw e;
    }
    if (id !== state.brand) return;
    const sum = d.summary || {};
    $('brand-detail').hidden = false;
    $('brand-detail').dataset.brand = id;
    if (!changed('brand-detail', d)) return;
    $('brand-title').replaceChildren(h('span', {}, sum.name || id, sum.competitor ? h('span', { class: 'badge competitor-badge' }, '⚑ competitor') : null),
      h('span', { class: 'muted small' }, ` · last ${d.series.length} days · fusion `,
        h('b', { class: tone(sum.fusion) }, num(sum.fusion)), ' · experience ', h('b', { class: tone(sum.experience) }, num(sum.experience))));
    lineChart($('brand-chart'), d.series || []);
    barStrip($('brand-bars'), d.series || []);
    brandText(sum.name || id, d.series || []);
    // the brand's actions and their impact: once per selection (and on demand), not on every poll
    if (state.brandExtrasFor !== id) {
      state.brandExtrasFor = id;
      views.forEach((v) => v.brand && guard(v.brand(id)));
    }
  }

  const CH = { W: 900, L: 48, R: 16 };
  const xAt = (i, n) => CH.L + (i + 0.5) * (CH.W - CH.L - CH.R) / Math.max(1, n);
  function dateTicks(series, y) {
    const n = series.length, every = Math.max(1, Math.ceil(n / 8));
    const shown = (i) => i === n - 1 || (i % every === 0 && n - 1 - i >= every / 2);
    return series.map((p, i) => (shown(i) ? s('text', { x: xAt(i, n), y, class: 'axis-label', 'text-anchor': 'middle' }, dayLabel(p.day)) : null));
  }

  function lineChart(root, series) {
    const H = 250, T = 34, B = 26, n = series.length, { W, L, R } = CH;
    const vals = series.flatMap((p) => [p.fusion, p.experience]).filter(finite);
    const lo = Math.max(0, Math.floor(Math.min(45, ...vals) / 10) * 10);
    const hi = Math.min(100, Math.ceil(Math.max(55, ...vals) / 10) * 10);
    const y = (v) => T + (hi - v) * (H - T - B) / Math.max(1, hi - lo);
    const step = hi - lo > 50 ? 20 : 10;
    const kids = [s('text', { x: 8, y: 14, class: 'axis-title' }, 'score (0–100, 50 = neutral)')];
    for (let v = lo; v <= hi; v += step) {
      kids.push(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
        s('text', { x: L - 8, y: y(v) + 4, class: 'axis-label', 'text-anchor': 'end' }, String(v)));
    }
    if (lo < 50 && hi > 50) kids.push(s('line', { x1: L, x2: W - R, y1: y(50), y2: y(50), class: 'neutral-line' }));
    kids.push(s('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }), ...dateTicks(series, H - 8));
    for (const key of ['experience', 'fusion']) {
      let d = '', pen = 'M';
      series.forEach((p, i) => {
        if (!finite(p[key])) { pen = 'M'; return; }
        d += `${pen}${xAt(i, n).toFixed(1)},${y(p[key]).toFixed(1)} `;
        pen = 'L';
      });
      kids.push(s('path', { d: d.trim() || 'M0,0', class: 'line line-' + key }));
      const last = [...series].reverse().find((p) => finite(p[key]));
      if (last) kids.push(s('circle', { cx: xAt(series.lastIndexOf(last), n), cy: y(last[key]), r: 3.5, class: 'dot-' + key }));
    }
    [['fusion', 'Fusion Score'], ['experience', 'Experience']].forEach(([key, label], i) => {
      const lx = W - R - 250 + i * 130;
      kids.push(s('g', { class: 'legend' }, s('line', { x1: lx, x2: lx + 22, y1: 12, y2: 12, class: 'line line-' + key }),
        s('text', { x: lx + 28, y: 16, class: 'legend-label' }, label)));
    });
    series.forEach((p, i) => {
      const w = (W - L - R) / Math.max(1, n);
      kids.push(s('rect', { x: L + i * w, y: T, width: w, height: H - T - B, class: 'hover' },
        s('title', {}, `${p.day}\nfusion ${num(p.fusion)} · experience ${num(p.experience)}\n${int(p.consumers)} consumers · ${int(p.events)} events · ${money(p.money)} money`)));
    });
    root.replaceChildren(...kids);
  }

  function brandText(name, series) {
    const last = [...series].reverse().find((p) => finite(p.fusion));
    const total = (k) => series.reduce((t, p) => t + (finite(p[k]) ? p[k] : 0), 0);
    const headline = !series.length ? `${name}: no days yet`
      : `${name} over the last ${series.length} days (${series[0].day} to ${series[series.length - 1].day}): fusion `
        + (last ? `${num(last.fusion)} and experience ${num(last.experience)} on ${last.day}` : 'not yet scored')
        + ` · ${int(total('events'))} events · ${money(total('money'))} money`;
    describe('brand-chart-caption', 'brand-data', headline, ['day (UTC)', 'fusion', 'experience', 'consumers', 'events', 'money'],
      series.map((p) => [p.day, num(p.fusion), num(p.experience), int(p.consumers), int(p.events), money(p.money)]));
  }

  function barStrip(root, series) {
    const n = series.length, { W, L, R } = CH, bw = (W - L - R) / Math.max(1, n), hgt = 36;
    const kids = [];
    for (const [key, label, fmt, top] of [['events', 'events per day', int, 14], ['money', 'money per day', money, 70]]) {
      const max = Math.max(0, ...series.map((p) => (finite(p[key]) ? p[key] : 0)));
      kids.push(s('text', { x: L, y: top - 3, class: 'axis-title' }, `${label} (max ${fmt(max)})`),
        s('line', { x1: L, x2: W - R, y1: top + hgt, y2: top + hgt, class: 'axis' }));
      series.forEach((p, i) => {
        const v = finite(p[key]) ? p[key] : 0, bh = max > 0 ? (v / max) * hgt : 0;
        kids.push(s('rect', { x: L + i * bw + 0.5, y: top + hgt - bh, width: Math.max(1, bw - 1), height: bh, class: 'bar bar-' + key },
          s('title', {}, `${p.day}: ${int(p.events)} events · ${money(p.money)} money`)));
      });
    }
    kids.push(...dateTicks(series, 122));
    root.replaceChildren(...kids);
  }

  // ---- customer 360: search
  let searchTimer = null, searchSeq = 0;
  $('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => guard(search()), 250); });
  $('search').addEventListener('keydown', (e) => { if (e.key === 'Enter') { clearTimeout(searchTimer); guard(search()); } });

  async function search() {
    const q = $('search').value.trim();
    const seq = ++searchSeq;
    const hits = await api('/api/profiles?limit=20&q=' + enc(q));
    if (seq !== searchSeq) return;
    $('results-note').textContent = q ? `${hits.length} ${hits.length === 1 ? 'match' : 'matches'} for “${q}”` : 'most active customers';
    $('results').replaceChildren(...(hits.length ? hits.map(resultItem) : [h('li', { class: 'empty muted' }, 'no profile matches')]));
    markResults();
  }

  function resultItem(p) {
    return h('li', {}, h('button', { type: 'button', class: 'result', 'data-profile': p.id, onclick: () => selectProfile(p.id, true) },
      h('span', { class: 'result-name' }, p.name || p.id),
      h('span', { class: 'result-meta' }, p.name ? p.id + ' · ' : '', `${int(p.events)} events · ${when(p.lastSeen)}`)));
  }

  function markResults() {
    for (const b of document.querySelectorAll('#results .result')) {
      const on = [state.profile, state.canonical].includes(b.dataset.profile);
      b.classList.toggle('selected', on);
      b.setAttribute('aria-pressed', String(on));
    }
  }

  // ---- customer 360: profile
  /** Opens a customer; chosen from the list, the keyboard moves on to the profile's heading. */
  function selectProfile(id, moveFocus) {
    state.profile = id;
    state.canonical = null;
    state.extrasFor = null;
    forget();
    markResults();
    syncHash();
    guard(loadProfile().then(() => {
      if (moveFocus && state.profile === id && !$('profile-body').hidden) {
        $('profile-title').focus({ preventScroll: true });
        $('profile-title').scrollIntoView({ block: 'start', behavior: motion() });
      }
    }));
  }

  const forget = () => ['profile', 'rels', 'timeline'].forEach((k) => delete state.rendered[k]);
  const showProfile = (ok) => { $('profile-empty').hidden = ok; $('profile-body').hidden = !ok; };
  let profileSeq = 0;
  async function loadProfile() {
    const id = state.profile;
    if (!id) return;
    const seq = ++profileSeq, base = '/api/profiles/' + enc(id);
    try {
      const [p, rels, tl] = await Promise.all([api(base), api(base + '/relationships'), api(base + '/timeline?limit=50')]);
      if (seq !== profileSeq || id !== state.profile) return;
      state.canonical = p.id;
      state.relationships = rels;
      markResults();
      showProfile(true);
      $('profile').dataset.profile = p.id;
      if (changed('profile', p)) keepScroll(() => renderFacts(p));
      if (changed('rels', [rels, state.brandNames])) keepScroll(() => renderRelationships(rels));
      if (changed('timeline', tl)) keepScroll(() => renderTimeline(tl));
      // consent, audit and next step are personal reads that are themselves audited: once per
      // selection (and on demand), not on every poll
      if (state.extrasFor !== p.id) {
        state.extrasFor = p.id;
        views.forEach((v) => v.profile && guard(v.profile(p.id)));
      }
    } catch (e) {
      if (e instanceof AuthError || e.offline || seq !== profileSeq) return; // keep showing the last state
      forget();
      showProfile(false);
      $('profile-empty').textContent = e.message;
    }
  }

  function renderFacts(p) {
    const traits = p.traits || {};
    // a person is named by their user id; the first anonymous id that keys the profile is one of its identities
    $('profile-id').textContent = p.userId || p.id;
    $('profile-name').textContent = typeof traits.name === 'string' ? traits.name : '';
    $('profile-seen').textContent = `${int(p.events)} events · first seen ${when(p.firstSeen)} · last seen ${when(p.lastSeen)}`;
    $('identities').replaceChildren(...(p.identities || []).map((ident) => {
      const at = String(ident).indexOf(':');
      return h('span', { class: 'chip identity' }, at > 0 ? h('span', { class: 'chip-kind' }, ident.slice(0, at)) : null, at > 0 ? ident.slice(at + 1) : ident);
    }));
    const entries = Object.entries(traits);
    $('traits').replaceChildren(...(entries.length ? entries.flatMap(([k, v]) => [h('dt', {}, k),
      h('dd', {}, v !== null && typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? v.toLocaleString('en-US') : String(v))])
      : [h('dd', { class: 'muted' }, 'none')]));
    const merges = p.merges || [];
    $('merges').replaceChildren(...(merges.length ? merges.map((m) => h('li', { class: 'merge ' + (m.merged ? 'merged' : 'not-merged') },
      h('span', { class: 'badge ' + (m.merged ? 'ok-badge' : 'warn-badge') }, m.merged ? 'merged' : 'not merged'),
      h('b', {}, m.absorbed || '–'), h('span', { class: 'merge-reason' }, m.reason || ''),
      h('span', { class: 'muted small' }, when(m.at) + (finite(m.eventSeq) ? ' · event #' + m.eventSeq : ''))))
      : [h('li', { class: 'muted' }, 'none')]));
  }

  function renderRelationships(rels) {
    const order = (a, b) => (a.competitor - b.competitor) || (b.events - a.events) || String(a.brand).localeCompare(String(b.brand));
    const direct = rels.filter((r) => !r.associationOnly).sort(order);
    const assoc = rels.filter((r) => r.associationOnly).sort(order);
    $('relationships').replaceChildren(...(direct.length ? direct.map(relationshipRow) : [h('p', { class: 'muted', role: 'listitem' }, 'no direct relationships yet')]));
    $('associations-block').hidden = assoc.length === 0;
    $('associations').replaceChildren(...assoc.map(relationshipRow));
  }

  // each cell says what it is: a label a screen reader reads and a narrow screen shows
  const cellLabel = (text) => h('span', { class: 'cell-label' }, text + ' ');

  function sideBar(v, label, short) {
    const pct = finite(v) ? Math.max(0, Math.min(100, v * 100)) : 0;
    return h('span', { class: 'side', title: `${label}: ${num(pct, 0)}/100` }, cellLabel(short),
      h('span', { class: 'track', 'aria-hidden': 'true' }, h('span', { class: 'fill ' + tone(pct), style: { width: pct.toFixed(1) + '%' } })),
      h('span', { class: 'side-value' }, num(pct, 0)));
  }

  function relationshipRow(r) {
    const ledger = r.ledger || [];
    const name = brandName(r.brand);
    return h('div', { class: 'relationship' + (r.associationOnly ? ' association-only' : '') + (r.competitor ? ' competitor' : ''),
      'data-brand': r.brand, role: 'listitem' },
      h('div', { class: 'rel-main' },
        h('span', { class: 'rel-brand' }, h('span', { class: 'brand-name', title: r.brand }, name),
          r.competitor ? h('span', { class: 'badge competitor-badge' }, '⚑ competitor') : null,
          r.associationOnly ? h('span', { class: 'badge' }, 'association only') : null),
        h('span', { class: 'experience score ' + tone(r.experience), title: 'experience' }, cellLabel('experience'), num(r.experience)),
        h('span', { class: 'fusion score ' + tone(r.fusion), title: 'fusion' }, cellLabel('fusion'), num(r.fusion)),
        sideBar(r.brandSide, 'what the brand gives', 'brand gives'), sideBar(r.consumerSide, 'what the customer gives', 'customer gives'),
        h('span', { class: 'association', title: 'association' }, cellLabel('association'), num(r.association, 2)),
        h('span', { class: 'events' }, cellLabel('events'), int(r.events)),
        h('span', { class: 'money' }, cellLabel('money'), money(r.money))),
      h('div', { class: 'rel-sub muted small' }, `first seen ${when(r.firstSeen)} · last event ${when(r.lastEvent)}`
        + (ledger.length ? '' : ' · no ledger entries')),
      // the ledger behind a disclosure, open: one Tab stop per relationship that also scrolls it into view
      ledger.length ? h('details', { class: 'ledger-toggle', open: true },
        h('summary', { 'data-brand': r.brand }, `${name}: latest ${ledger.length} ledger ${ledger.length === 1 ? 'entry' : 'entries'}`),
        h('ul', { class: 'ledger', 'aria-label': 'ledger with ' + name }, ledger.map(ledgerEntry))) : null);
  }

  function ledgerEntry(l) {
    const d = l.fusionAfter - l.fusionBefore, de = l.experienceAfter - l.experienceBefore;
    const dir = (x) => (x > 0.05 ? 'up' : x < -0.05 ? 'down' : 'flat');
    const kind = String(l.kind || '').replace(/[^a-z]/gi, '');
    return h('li', { class: 'ledger-entry kind-' + kind, 'data-seq': l.seq },
      h('span', { class: 'time', title: l.time || '' }, when(l.time)),
      h('span', { class: 'kind badge kind-badge-' + kind }, l.kind || ''),
      h('span', { class: 'change' }, h('span', { class: 'sr-only' }, 'fusion '), h('span', { class: 'before' }, num(l.fusionBefore)), ' → ', h('span', { class: 'after' }, num(l.fusionAfter)),
        ' ', h('span', { class: 'delta ' + dir(d) }, signed(d)),
        h('span', { class: 'exp-delta ' + dir(de), title: `experience ${num(l.experienceBefore)} → ${num(l.experienceAfter)}` }, 'exp ' + signed(de))),
      h('span', { class: 'cause' }, l.cause || ''));
  }

  function renderTimeline(items) {
    const cell = (v, cls) => h('td', { class: cls }, v === null || v === undefined || v === '' ? '–' : String(v));
    $('timeline').tBodies[0].replaceChildren(...(items.length ? items.map((t) => h('tr', { class: t.scored ? 'scored' : 'kept', 'data-seq': t.seq },
      h('td', { class: 'time', title: t.time || '' }, when(t.time)), cell(t.type, 'type'), cell(t.name, 'name'),
      cell(t.brand ? brandName(t.brand) : null, 'brand'), cell(t.channel, 'channel'), cell(t.purpose, 'purpose'),
      h('td', { class: 'status-cell' }, h('span', { class: 'pill ' + (t.scored ? 'pill-scored' : 'pill-kept'),
        title: t.scored ? 'scored into the relationship' : 'kept and counted, not scored' }, t.scored ? 'scored' : 'kept'))))
      : [h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'no calls yet'))]));
  }

  /**
   * A table wider (or taller) than its box scrolls, and what scrolls must be reachable with the
   * keyboard: such a box becomes a named, focusable region, and stops being one when it fits.
   */
  function scrollableRegions() {
    let pending = false;
    const mark = () => {
      pending = false;
      for (const w of document.querySelectorAll('.table-wrap')) {
        const scrolls = w.scrollWidth > w.clientWidth + 1 || w.scrollHeight > w.clientHeight + 1;
        if (scrolls && !w.hasAttribute('tabindex')) {
          const t = w.querySelector('table'), title = t && (t.getAttribute('aria-label') || (t.caption && t.caption.textContent)
            || (t.getAttribute('aria-labelledby') && $(t.getAttribute('aria-labelledby').split(' ')[0])?.textContent) || t.id);
          w.setAttribute('tabindex', '0');
          w.setAttribute('role', 'region');
          w.setAttribute('aria-label', 'scrollable table: ' + String(title || '').trim());
          w.dataset.scrollable = 'auto';
        } else if (!scrolls && w.dataset.scrollable === 'auto' && w !== document.activeElement) {
          ['tabindex', 'role', 'aria-label', 'data-scrollable'].forEach((a) => w.removeAttribute(a));
        }
      }
    };
    const later = () => { if (!pending) { pending = true; requestAnimationFrame(mark); } };
    new MutationObserver(later).observe($('main'), { childList: true, subtree: true, attributes: true, attributeFilter: ['hidden', 'open'] });
    window.addEventListener('resize', later);
    later();
  }

  // ---- loops
  const guard = (promise) => Promise.resolve(promise).catch((e) => { if (!(e instanceof AuthError)) showError(e.message); });

  async function tick() {
    if (!state.token || state.ticking) return;
    state.ticking = true;
    const results = await Promise.allSettled([refreshBrands(), refreshStats(), loadProfile(),
      ...views.map((v) => v.tick && v.tick())]);
    state.ticking = false;
    const failed = results.find((r) => r.status === 'rejected' && !(r.reason instanceof AuthError));
    showError(failed ? failed.reason.message : null);
  }

  async function start() {
    if (!state.token) { askForToken(null); return; }
    $('token-form').hidden = true;
    state.rendered = {};
    state.extrasFor = state.brandExtrasFor = null;
    await guard(loadDisplay());
    await guard(refreshBrands());
    if (!state.token) return;
    $('app').hidden = $('stats').hidden = false;
    await Promise.all([guard(search()), guard(refreshStats()), state.profile ? guard(loadProfile()) : null,
      ...views.map((v) => v.start && guard(v.start()))]);
  }

  // the section's heading takes the focus, so the next Tab continues from there
  for (const b of document.querySelectorAll('.nav-link')) {
    b.addEventListener('click', () => {
      const heading = $(b.dataset.target).querySelector('h2');
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
      $(b.dataset.target).scrollIntoView({ behavior: motion(), block: 'start' });
    });
  }
  // the skip link moves the focus without touching the fragment, which holds the dashboard's state
  document.querySelector('.skip-link').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
  scrollableRegions();
  window.addEventListener('hashchange', () => {
    const before = { token: state.token, profile: state.profile, brand: state.brand };
    readFragment();
    if (state.token !== before.token) start();
    else if (state.profile !== before.profile) selectProfile(state.profile);
    else if (state.brand && state.brand !== before.brand) selectBrand(state.brand);
  });

  // the other views (customer.js, journeys.js) registered factories before this file ran
  const views = (window.FusionViews || []).map((make) => make({
    $, h, s, api, AuthError, enc, finite, num, int, money, when, brandName, changed, keepScroll, guard, state,
    motion, setText, describe,
  }));

  localStorage.removeItem(TOKEN_KEY); // where earlier versions kept it, for every tab and after the browser closed
  state.token = sessionStorage.getItem(TOKEN_KEY);
  readFragment();
  pollHealth();
  start();
  setInterval(pollHealth, 2000);
  setInterval(tick, 5000);
})();
