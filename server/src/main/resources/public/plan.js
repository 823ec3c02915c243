// The tracking plan's violations (docs/SEGMENT.md): per source and event, the counts by kind
// (unknown event, missing property, mistyped property), how many calls were refused, the mode the
// source is in (allow, flag, block), and per field its newest samples (messageId, time, problem).
// Kept in the store, so they survive a restart; polled with the rest of the dashboard.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, int, when, changed, keepScroll, setText }) => {
  const KINDS = ['unknown event', 'missing property', 'mistyped property'];

  async function refresh() {
    const [plan, v] = await Promise.all([api('/api/tracking-plan'), api('/api/tracking-plan/violations')]);
    if (!changed('plan-violations', [plan.defaultMode, plan.sources, v])) return;
    const modeOf = (source) => plan.sources[source] || plan.defaultMode;
    setText($('plan-modes'), `Mode: ${plan.defaultMode} by default`
      + Object.entries(plan.sources).map(([src, m]) => `; ${src}: ${m}`).join('')
      + ' (allow: nothing checked; flag: counted and accepted; block: refused with 400 naming the property)');
    setText($('plan-summary'), `${int(v.total)} violations since ${when(v.since)} UTC, ${int(plan.events.length)} events in the plan`);
    // one row per source and event; its counters (one per kind and field) inside
    const rows = new Map();
    for (const c of v.violations) {
      const key = c.source + '\u0000' + c.event;
      if (!rows.has(key)) rows.set(key, { source: c.source, event: c.event, kinds: {}, blocked: 0, total: 0, counters: [] });
      const r = rows.get(key);
      r.kinds[c.kind] = (r.kinds[c.kind] || 0) + c.count;
      r.blocked += c.blocked;
      r.total += c.count;
      r.counters.push(c);
    }
    const sorted = [...rows.values()].sort((a, b) => b.total - a.total || a.source.localeCompare(b.source) || a.event.localeCompare(b.event));
    $('plan-empty').hidden = sorted.length > 0;
    // a samples list left open stays open when new violations redraw the table
    const open = new Set([...document.querySelectorAll('#plan-violations details[open]')].map((d) => d.dataset.source + '\u0000' + d.dataset.event));
    keepScroll(() => $('plan-violations').tBodies[0].replaceChildren(...sorted.map((r) => h('tr', { class: 'plan-row', 'data-source': r.source, 'data-event': r.event },
      h('td', {}, r.source),
      h('td', { class: 'plan-mode' }, modeOf(r.source)),
      h('td', { class: 'name' }, r.event),
      KINDS.map((k) => h('td', { class: 'num', 'data-kind': k }, int(r.kinds[k] || 0))),
      h('td', { class: 'num plan-blocked' }, int(r.blocked)),
      h('td', { class: 'name' }, h('details', { class: 'plan-samples', 'data-source': r.source, 'data-event': r.event, open: open.has(r.source + '\u0000' + r.event) },
        h('summary', {}, r.counters.map((c) => `${c.field || c.kind} ×${int(c.count)}`).join(', ')),
        h('ul', { class: 'evidence' }, r.counters.flatMap((c) => c.samples.slice().reverse().map((sm) =>
          h('li', { class: 'plan-sample', 'data-message': sm.messageId },
            h('code', {}, sm.messageId), ` ${when(sm.at)} UTC · ${c.field ? c.field + ': ' : ''}${sm.problem}${sm.blocked ? ' · refused' : ''}`))))))))));
  }

  return { start: refresh, tick: refresh };
});
