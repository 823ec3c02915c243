// Audiences (docs/AUDIENCES.md): the defined audiences with their size, one opened (size over time,
// entered/left, members), and a builder whose size is previewed live as the rule is edited, through
// POST /api/audiences/preview, debounced. Refusals show the JSON path the API names, next to the rule
// and on the condition it points into.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, s, api, AuthError, enc, int, when, changed, keepScroll, guard, setText }) => {
  const PREVIEW_DELAY_MS = 350;
  const PAGE = 50;
  const CHART_POINTS = 500;
  const PURPOSES = ['', 'research', 'commentary', 'purchase', 'service', 'renewal', 'complaint', 'usage', 'advocacy'];
  const NUMERIC = ['gte', 'gt', 'lte', 'lt', 'eq', 'ne'];
  const FILTERS = ['purpose', 'brand', 'channel'];
  // the facts the structured editor offers, with their parameters and operators; the JSON box takes the rest
  const FACTS = {
    events: { label: 'events (count)', params: [...FILTERS, 'days'], ops: NUMERIC },
    lastEvent: { label: 'last event', params: FILTERS, ops: ['withinDays', 'exists'] },
    lastPurpose: { label: 'purpose of the last event', params: ['brand', 'channel'], ops: ['eq', 'ne', 'exists'] },
    trait: { label: 'trait', params: ['name'], ops: [...NUMERIC, 'exists'] },
    experience: { label: 'experience with a brand', params: ['brand'], ops: NUMERIC },
    fusion: { label: 'fusion with a brand', params: ['brand'], ops: NUMERIC },
    probabilityAlive: { label: 'probability alive', params: [], ops: NUMERIC },
    lifetimeValue: { label: 'lifetime value', params: [], ops: NUMERIC },
    consent: { label: 'consent allows', params: ['purpose', 'channel'], ops: [] },
    audience: { label: 'member of audience', params: [], ops: [] },
  };
  const OP_LABELS = { gte: 'at least', gt: 'more than', lte: 'at most', lt: 'less than', eq: 'equal to', ne: 'not equal to',
    withinDays: 'within days', exists: 'exists' };

  const ui = { rows: [], join: 'all', open: null, offset: 0, timer: null, asked: 0, editing: null };

  // ---- the rule from the structured conditions, and back

  function condition(row) {
    if (row.fact === 'audience') return { audience: row.value };
    const c = { fact: row.fact };
    for (const p of FACTS[row.fact].params) {
      const v = (row.params[p] || '').trim();
      if (v) c[p] = p === 'days' ? numberOr(v) : v;
    }
    if (row.op) c[row.op] = operand(row);
    return c;
  }
  const numberOr = (v) => (/^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
  function operand(row) {
    const v = String(row.value ?? '').trim();
    if (row.op === 'exists') return v !== 'false';
    if (NUMERIC.includes(row.op) && !['eq', 'ne'].includes(row.op)) return numberOr(v);
    if (row.op === 'withinDays') return numberOr(v);
    if (v === 'true' || v === 'false') return v === 'true';
    return numberOr(v);
  }
  const ruleOfRows = () => (ui.rows.length ? { [ui.join]: ui.rows.map(condition) } : null);

  /** Rows for a rule the structured editor can show (all/any of plain conditions, or one), else null. */
  function rowsOf(rule) {
    if (!rule || typeof rule !== 'object') return null;
    const join = rule.all ? 'all' : rule.any ? 'any' : null;
    const list = join ? rule[join] : [rule];
    if (!Array.isArray(list) || (join && Object.keys(rule).length !== 1)) return null;
    const rows = [];
    for (const c of list) {
      if (c && typeof c.audience === 'string' && Object.keys(c).length === 1) { rows.push({ fact: 'audience', params: {}, op: null, value: c.audience }); continue; }
      const spec = c && FACTS[c.fact];
      if (!spec || c.fact === 'audience') return null;
      const row = { fact: c.fact, params: {}, op: null, value: '' };
      for (const [k, v] of Object.entries(c)) {
        if (k === 'fact') continue;
        if (spec.params.includes(k) && (typeof v === 'string' || typeof v === 'number')) row.params[k] = String(v);
        else if (spec.ops.includes(k) && !row.op && (v === null || typeof v !== 'object')) { row.op = k; row.value = String(v); }
        else return null;
      }
      if (spec.ops.length && !row.op) return null;
      rows.push(row);
    }
    return { join: join || 'all', rows };
  }

  // ---- the structured editor

  function renderRows() {
    $('builder-conditions').replaceChildren(...ui.rows.map(rowEditor));
  }

  function rowEditor(row, i) {
    const n = i + 1, spec = FACTS[row.fact];
    const labelled = (text, control) => h('label', { class: 'field' }, h('span', { class: 'label' }, text), control);
    const fact = h('select', { class: 'cond-fact', 'data-row': i },
      ...Object.entries(FACTS).map(([k, f]) => h('option', { value: k, selected: k === row.fact }, f.label)));
    fact.addEventListener('change', () => {
      const f = FACTS[fact.value];
      ui.rows[i] = { fact: fact.value, params: {}, op: f.ops[0] || null, value: '' };
      renderRows();
      edited();
      $('builder-conditions').querySelector(`select.cond-fact[data-row="${i}"]`).focus();
    });
    const kids = [labelled('condition ' + n, fact)];
    for (const p of spec.params) {
      const input = p === 'purpose' && row.fact !== 'consent'
        ? h('select', { class: 'cond-param', 'data-row': i, 'data-param': p },
          ...PURPOSES.map((x) => h('option', { value: x, selected: (row.params[p] || '') === x }, x || 'any')))
        : h('input', { type: p === 'days' ? 'number' : 'text', class: 'cond-param', 'data-row': i, 'data-param': p,
          value: row.params[p] || '', autocomplete: 'off', spellcheck: 'false', min: p === 'days' ? 1 : null,
          placeholder: p === 'days' ? 'all time' : p === 'name' ? 'e.g. plan' : p === 'brand' && spec.params.length === 1 ? 'required' : 'any' });
      input.addEventListener(input.tagName === 'SELECT' ? 'change' : 'input', () => { row.params[p] = input.value; edited(); });
      kids.push(labelled(p === 'days' ? 'in the last days' : p, input));
    }
    if (spec.ops.length) {
      const op = h('select', { class: 'cond-op', 'data-row': i },
        ...spec.ops.map((o) => h('option', { value: o, selected: o === row.op }, OP_LABELS[o] || o)));
      op.addEventListener('change', () => { row.op = op.value; edited(); });
      kids.push(labelled('operator', op));
    }
    if (spec.ops.length || row.fact === 'audience') {
      const value = h('input', { type: 'text', class: 'cond-value', 'data-row': i, value: row.value ?? '', autocomplete: 'off',
        spellcheck: 'false', placeholder: row.fact === 'audience' ? 'audience id' : 'value' });
      value.addEventListener('input', () => { row.value = value.value; edited(); });
      kids.push(labelled(row.fact === 'audience' ? 'audience' : 'value', value));
    }
    const remove = h('button', { type: 'button', class: 'link-button cond-remove', 'data-row': i }, 'remove condition ' + n);
    remove.addEventListener('click', () => { ui.rows.splice(i, 1); renderRows(); edited(); $('builder-add').focus(); });
    kids.push(remove, h('span', { class: 'field-error cond-error', 'data-row': i, role: 'alert' }));
    return h('li', { class: 'condition toolbar', 'data-row': i }, kids);
  }

  /** A structured edit: the JSON box follows the conditions, and the size is asked again. */
  function edited() {
    const rule = ruleOfRows();
    $('builder-rule').value = rule ? JSON.stringify(rule, null, 2) : '';
    schedulePreview();
  }

  // ---- live size

  function schedulePreview() {
    clearTimeout(ui.timer);
    ui.timer = setTimeout(() => guard(preview()), PREVIEW_DELAY_MS);
  }

  function parsedRule() {
    const text = $('builder-rule').value.trim();
    if (!text) return { rule: null };
    try { return { rule: JSON.parse(text) }; } catch (e) { return { error: 'not JSON yet: ' + e.message }; }
  }

  async function preview() {
    const asked = ++ui.asked;
    const { rule, error } = parsedRule();
    if (error || !rule) {
      showRefusal(null, error || '');
      setText($('builder-size'), '–');
      setText($('builder-size-note'), error ? 'fix the JSON to see the size' : 'add a condition or write a rule');
      $('builder-size').dataset.size = '';
      return;
    }
    setText($('builder-size-note'), 'counting…');
    let p;
    try {
      p = await api('/api/audiences/preview', { method: 'POST', body: { rule } });
    } catch (e) {
      if (e instanceof AuthError || asked !== ui.asked) return;
      showRefusal(e.field, e.reason || e.message);
      setText($('builder-size'), '–');
      $('builder-size').dataset.size = '';
      setText($('builder-size-note'), 'the rule is refused');
      return;
    }
    if (asked !== ui.asked) return; // a later edit is on its way
    showRefusal(null, '');
    setText($('builder-size'), int(p.size));
    $('builder-size').dataset.size = String(p.size);
    setText($('builder-size-note'), `of ${int(p.people)} people`
      + (p.timeBased ? '; time-based: re-evaluated every 15 minutes too' : '')
      + (p.sample.length ? `; e.g. ${p.sample.slice(0, 5).join(', ')}` : ''));
  }

  /** The API's refusal beside the JSON box (its path first) and on the condition the path points into. */
  function showRefusal(path, message) {
    const box = $('builder-rule-error');
    const text = path && message.startsWith(path + ': ') ? message.slice(path.length + 2) : message;
    if (!message) box.replaceChildren();
    else box.replaceChildren(...(path ? [h('code', { id: 'builder-rule-path' }, path), ' '] : []), text);
    $('builder-rule').setAttribute('aria-invalid', message ? 'true' : 'false');
    const at = path && /^\$\.(all|any)\[(\d+)\]/.exec(path);
    for (const span of document.querySelectorAll('#builder-conditions .cond-error')) {
      const mine = at && at[1] === ui.join && Number(at[2]) === Number(span.dataset.row);
      setText(span, mine ? path + ': ' + text : '');
      span.closest('li').classList.toggle('invalid', !!mine);
    }
  }

  // ---- save, delete, start again

  $('builder-add').addEventListener('click', () => {
    ui.rows.push({ fact: 'events', params: {}, op: 'gte', value: '1' });
    renderRows();
    edited();
    $('builder-conditions').querySelector(`select.cond-fact[data-row="${ui.rows.length - 1}"]`).focus();
  });
  $('builder-join').addEventListener('change', () => { ui.join = $('builder-join').value; edited(); });
  $('builder-rule').addEventListener('input', () => {
    const parsed = parsedRule();
    const rows = parsed.rule ? rowsOf(parsed.rule) : null;
    if (rows) { ui.rows = rows.rows; ui.join = rows.join; $('builder-join').value = rows.join; renderRows(); }
    $('builder-conditions').closest('fieldset').disabled = !!parsed.rule && !rows;
    schedulePreview();
  });
  $('builder-new').addEventListener('click', () => fill(null));

  $('audience-builder').addEventListener('submit', (e) => {
    e.preventDefault();
    guard(save());
  });

  async function save() {
    const id = $('builder-id').value.trim();
    setText($('builder-id-error'), id ? '' : 'an id is needed to save');
    $('builder-id').setAttribute('aria-invalid', id ? 'false' : 'true');
    if (!id) { $('builder-id').focus(); return; }
    const { rule, error } = parsedRule();
    if (error || !rule) { showRefusal(null, error || 'a rule is needed to save'); $('builder-rule').focus(); return; }
    const status = $('builder-status');
    status.className = 'form-status';
    setText(status, 'saving…');
    let saved;
    try {
      saved = await api('/api/audiences/rules', { method: 'POST', body: { id, name: $('builder-name').value.trim() || null, rule } });
    } catch (err) {
      if (err instanceof AuthError) return;
      status.className = 'form-status bad';
      if (err.field === 'id') setText($('builder-id-error'), err.reason || err.message);
      else if (err.field && err.field.startsWith('$')) showRefusal(err.field, err.reason || err.message);
      setText(status, 'Not saved: ' + (err.reason || err.message) + (err.status === 403 ? ' (saving needs an operator or admin token)' : ''));
      return;
    }
    status.className = 'form-status ok';
    setText(status, `Saved “${saved.name || saved.id}”: ${int(saved.size)} people now.`);
    ui.editing = saved.id;
    $('builder-delete').hidden = false;
    await refreshList();
    await openAudience(saved.id, false);
  }

  $('builder-delete').addEventListener('click', () => guard(remove()));
  async function remove() {
    const id = ui.editing;
    if (!id || !window.confirm(`Delete the audience “${id}”? Its members, changes and size history go with it.`)) return;
    const status = $('builder-status');
    try {
      await api('/api/audiences/rules/' + enc(id), { method: 'DELETE' });
    } catch (err) {
      if (err instanceof AuthError) return;
      status.className = 'form-status bad';
      setText(status, 'Not deleted: ' + (err.reason || err.message));
      return;
    }
    status.className = 'form-status ok';
    setText(status, `Deleted “${id}”.`);
    if (ui.open === id) closeDetail();
    fill(null);
    await refreshList();
  }

  /** The builder set to a definition (null: a blank rule). */
  function fill(d) {
    ui.editing = d ? d.id : null;
    $('builder-id').value = d ? d.id : '';
    $('builder-name').value = d ? d.name || '' : '';
    $('builder-rule').value = d ? JSON.stringify(d.rule, null, 2) : '';
    const rows = d ? rowsOf(d.rule) : { join: 'all', rows: [] };
    ui.rows = rows ? rows.rows : [];
    ui.join = rows ? rows.join : 'all';
    $('builder-join').value = ui.join;
    $('builder-conditions').closest('fieldset').disabled = !!d && !rows;
    $('builder-delete').hidden = !d;
    setText($('builder-id-error'), '');
    renderRows();
    schedulePreview();
  }

  // ---- the list and one audience

  async function refreshList() {
    const list = await api('/api/audiences/rules');
    if (!changed('audience-list', list)) return;
    $('audience-list-empty').hidden = list.length > 0;
    keepScroll(() => $('audience-list').tBodies[0].replaceChildren(...list.map((a) => h('tr', { class: 'audience-row', 'data-audience': a.id },
      h('td', {}, h('button', { type: 'button', class: 'link-button audience-open', 'data-audience': a.id,
        onclick: () => guard(openAudience(a.id, true)) }, a.id)),
      h('td', {}, a.name || ''),
      h('td', { class: 'num audience-size' }, int(a.size)),
      h('td', {}, a.timeBased ? `yes (every ${Math.round(a.refreshEverySeconds / 60)} min)` : 'no'),
      h('td', {}, a.lastChange ? when(a.lastChange) : 'none yet'),
      h('td', {}, when(a.updatedAt))))));
  }

  function closeDetail() {
    ui.open = null;
    $('audience-detail').hidden = true;
  }

  async function openAudience(id, edit) {
    ui.open = id;
    ui.offset = 0;
    const d = await api('/api/audiences/rules/' + enc(id));
    if (ui.open !== id) return;
    if (edit) fill(d);
    $('audience-detail').hidden = false;
    setText($('audience-detail-title'), `${d.name || d.id} (${d.id})`);
    setText($('audience-detail-note'), `${int(d.size)} people now · ${d.timeBased ? 'time-based' : 'changes only with events'}`
      + (d.dependsOn.length ? ' · uses ' + d.dependsOn.join(', ') : ''));
    await Promise.all([refreshHistory(), loadMembers()]);
    if (edit) $('audience-detail-title').focus({ preventScroll: true });
  }

  async function refreshHistory() {
    const id = ui.open;
    if (!id) return;
    let hist;
    try { hist = await api('/api/audiences/rules/' + enc(id) + '/history?changes=50'); } catch (e) {
      if (e.status === 404 && ui.open === id) { closeDetail(); return; }
      throw e;
    }
    if (ui.open !== id || !changed('audience-history', hist)) return;
    drawSizes(hist);
    $('audience-changes').tBodies[0].replaceChildren(...(hist.changes.length ? hist.changes.map((c) =>
      h('tr', { class: 'audience-change', 'data-entered': String(c.entered) }, h('td', {}, when(c.at)), h('td', {}, c.profile),
        h('td', {}, c.entered ? '→ entered' : '← left'))) : [h('tr', {}, h('td', { colspan: 3, class: 'muted' }, 'no changes yet'))]));
  }

  function drawSizes(hist) {
    const points = hist.sizes.slice(-CHART_POINTS).map((p) => ({ t: Date.parse(p.at), n: p.size }));
    const now = Date.now();
    if (points.length) points.push({ t: Math.max(now, points[points.length - 1].t), n: hist.size });
    const svg = $('audience-sizes');
    const W = 600, H = 150, L = 44, R = 10, T = 10, B = 24;
    if (!points.length) {
      svg.replaceChildren(s('text', { x: L, y: H / 2 }, 'no size recorded yet'));
    } else {
      const t0 = points[0].t, t1 = Math.max(points[points.length - 1].t, t0 + 1);
      const top = Math.max(1, ...points.map((p) => p.n));
      const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
      const y = (n) => T + (1 - n / top) * (H - T - B);
      let d = `M${x(points[0].t).toFixed(1)},${y(points[0].n).toFixed(1)}`;
      for (let i = 1; i < points.length; i++) d += `H${x(points[i].t).toFixed(1)}V${y(points[i].n).toFixed(1)}`;
      svg.replaceChildren(
        s('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }),
        s('text', { x: L - 6, y: y(top) + 4, 'text-anchor': 'end' }, int(top)),
        s('text', { x: L - 6, y: H - B + 4, 'text-anchor': 'end' }, '0'),
        s('text', { x: L, y: H - 6 }, when(new Date(t0).toISOString())),
        s('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, when(new Date(t1).toISOString())),
        s('path', { class: 'line line-fusion audience-size-line', d }));
    }
    const first = hist.sizes[0];
    setText($('audience-sizes-caption'), first
      ? `${int(hist.size)} people now; ${int(first.size)} at ${when(first.at)} (UTC), ${hist.sizes.length} size changes recorded`
        + (hist.sizes.length > CHART_POINTS ? `, the newest ${CHART_POINTS} drawn` : '')
      : `${int(hist.size)} people now; no size recorded yet`);
    $('audience-sizes-data').replaceChildren(h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'time (UTC)'), h('th', { scope: 'col' }, 'size'))),
      h('tbody', {}, hist.sizes.slice(-CHART_POINTS).map((p) => h('tr', {}, h('th', { scope: 'row' }, when(p.at)), h('td', {}, int(p.size))))));
  }

  async function loadMembers() {
    const id = ui.open;
    let page;
    try {
      page = await api('/api/audiences/rules/' + enc(id) + '/members?offset=' + ui.offset + '&limit=' + PAGE);
    } catch (e) {
      if (e instanceof AuthError || ui.open !== id) return;
      setText($('audience-members-note'), e.status === 403 ? 'listing members needs an operator or admin token' : 'No members: ' + (e.reason || e.message));
      $('audience-members').replaceChildren();
      return;
    }
    if (ui.open !== id) return;
    const last = Math.min(page.size, page.offset + page.members.length);
    setText($('audience-members-note'), page.size ? `${int(page.offset + 1)}–${int(last)} of ${int(page.size)}` : 'nobody yet');
    $('audience-members').replaceChildren(...page.members.map((m) => h('li', { class: 'chip audience-member' }, m)));
    $('audience-members-prev').disabled = page.offset === 0;
    $('audience-members-next').disabled = last >= page.size;
  }
  $('audience-members-prev').addEventListener('click', () => { ui.offset = Math.max(0, ui.offset - PAGE); guard(loadMembers()); });
  $('audience-members-next').addEventListener('click', () => { ui.offset += PAGE; guard(loadMembers()); });

  return {
    start: async () => { fill(null); await refreshList(); },
    tick: async () => { await refreshList(); await refreshHistory(); },
  };
});
