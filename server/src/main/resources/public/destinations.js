// Destinations of audiences (docs/AUDIENCES.md, destinations): per destination its kind, audience,
// consent purpose and channel, whether it is failing, the outbox (pending, delivered, withheld by
// reason, dead letters), its last export report (sent, left out by reason) and, for an operator,
// "export now" and "re-send dead letters". Polled with the rest of the dashboard.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, int, when, changed, keepScroll, guard, setText }) => {
  const OUTBOX = [['pending', 'pending'], ['delivered', 'delivered (last 7 days)'], ['withheld', 'withheld (no grant)'], ['dead', 'dead letters']];

  async function refresh() {
    const list = await api('/api/audiences/destinations');
    const states = await Promise.all(list.map((d) => api('/api/audiences/destinations/' + enc(d.id))));
    if (!changed('destinations', states)) return;
    $('destinations-empty').hidden = states.length > 0;
    keepScroll(() => $('destinations').replaceChildren(...states.map(block)));
  }

  function block(st) {
    const d = st.destination, counts = st.counts || {}, health = st.health || {};
    const where = d.url || (d.topic ? d.topic + ' @ ' + d.bootstrap : d.directory) || '';
    const exp = (st.exports || [])[0];
    return h('article', { class: 'destination', 'data-destination': d.id },
      h('h4', {}, d.id, h('span', { class: 'muted small' }, ` · ${d.kind} · audience ${d.audience}`)),
      h('dl', { class: 'traits destination-facts' },
        h('dt', {}, 'sends to'), h('dd', {}, where),
        h('dt', {}, 'consent asked'), h('dd', { class: 'destination-purpose' }, d.purpose + (d.channel ? ' by ' + d.channel : ' (any channel)')),
        h('dt', {}, 'how'), h('dd', {}, (d.stream === false ? 'full exports only' : 'entered/left as they happen')
          + (d.schedule ? `; a full export every ${d.schedule}` : '')),
        h('dt', {}, 'state'), h('dd', { class: 'destination-health', 'data-failing': String(!!health.failing) },
          health.failing ? `failing: ${health.failures} failures in a row, next try ${when(health.nextTry)} UTC; last error: ${health.lastError}`
            : 'delivering')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'timeline destination-outbox' },
        h('caption', { class: 'sr-only' }, 'outbox of ' + d.id),
        h('thead', {}, h('tr', {}, OUTBOX.map(([, label]) => h('th', { scope: 'col' }, label)))),
        h('tbody', {}, h('tr', {}, OUTBOX.map(([k]) => h('td', { class: 'num', 'data-count': k }, int(counts[k] || 0))))))),
      Object.keys(st.withheld || {}).length ? h('p', { class: 'small destination-withheld' }, 'withheld by reason: ',
        Object.entries(st.withheld).map(([why, n]) => h('span', { class: 'chip', 'data-reason': why }, `${why} ×${int(n)}`))) : null,
      h('p', { class: 'small destination-export' }, exp
        ? [`last export ${when(exp.at)} UTC: `, h('b', { 'data-export': 'sent' }, int(exp.sent)), ` of ${int(exp.members)} members sent`,
          Object.keys(exp.excluded || {}).length ? ['; left out: ', Object.entries(exp.excluded).map(([why, n], i) =>
            h('span', { 'data-excluded': why }, (i ? ', ' : '') + `${why} ×${int(n)}`))] : '; nobody left out',
          exp.file ? `; file ${exp.file}` : '']
        : 'no export yet'),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'link-button destination-export-now', 'data-destination': d.id,
          onclick: () => guard(act(d.id, 'export', `Exporting ${d.id}…`)) }, 'Export now'),
        (counts.dead || 0) > 0 ? h('button', { type: 'button', class: 'primary destination-retry', 'data-destination': d.id,
          onclick: () => guard(act(d.id, 'dead-letters/retry', `Re-sending ${d.id}'s dead letters…`)) },
        `Re-send ${int(counts.dead)} dead letter${counts.dead === 1 ? '' : 's'}`) : null),
      (st.deadLetters || []).length ? h('div', { class: 'table-wrap' }, h('table', { class: 'timeline destination-dead' },
        h('caption', { class: 'sr-only' }, 'dead letters of ' + d.id + ', up to 100'),
        h('thead', {}, h('tr', {}, ['person', 'event', 'attempts', 'last status', 'last error', 'gave up (UTC)'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, st.deadLetters.map((l) => h('tr', { class: 'dead-letter', 'data-key': l.key },
          h('td', {}, l.profile), h('td', {}, l.event), h('td', { class: 'num' }, String(l.attempts)),
          h('td', { class: 'num' }, l.lastStatus ? String(l.lastStatus) : '–'), h('td', { class: 'name' }, l.lastError || ''),
          h('td', {}, when(l.gaveUpAt))))))) : null);
  }

  async function act(id, what, doing) {
    const status = $('destinations-status');
    status.className = 'form-status';
    setText(status, doing);
    let r;
    try {
      r = await api('/api/audiences/destinations/' + enc(id) + '/' + what, { method: 'POST' });
    } catch (e) {
      if (e instanceof AuthError) return;
      status.className = 'form-status bad';
      setText(status, `Not done: ${e.reason || e.message}` + (e.status === 403 ? ' (this needs an operator or admin token)' : ''));
      return;
    }
    status.className = 'form-status ok';
    setText(status, what === 'export'
      ? `Exported ${r.audience} to ${id}: ${int(r.sent)} of ${int(r.members)} sent`
        + (Object.keys(r.excluded).length ? ', left out ' + Object.entries(r.excluded).map(([k, n]) => `${k} ×${n}`).join(', ') : '')
      : `${int(r.requeued)} dead letter${r.requeued === 1 ? '' : 's'} of ${id} queued again`);
    await refresh();
  }

  return { start: refresh, tick: refresh };
});
