// Journeys: per brand, a Sankey of the top paths, the channel-to-channel heat map, stalls, step
// times, delight and failed needs per contact point; across brands, share of orbit and
// research-here-buy-there leakage; and attribution of conversions (first, last, linear, Markov).
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, s, api, enc, finite, num, int, money, brandName, changed, keepScroll, state,
  describe }) => {
  const PALETTE = ['#3a5bd9', '#e08b17', '#17884a', '#c53a2f', '#5b3fd1', '#1f9bb5', '#b8509b', '#7a8a1f', '#8a5a2b',
    '#4f6d8f', '#d1663f', '#2e8f7a', '#9a6bd1', '#6b7a8f'];
  const pct = (x, d = 0) => (finite(x) ? (x * 100).toFixed(d) + '%' : '–');
  const key = (b) => b.segment + '|' + b.brand;
  const label = (b) => brandName(b.brand) + (b.segment && b.segment !== 'all' ? ' · ' + b.segment : '');
  let report = null;

  function duration(sec) {
    if (!finite(sec)) return '–';
    if (sec < 90) return Math.round(sec) + ' s';
    if (sec < 5400) return Math.round(sec / 60) + ' min';
    if (sec < 172800) return num(sec / 3600, 1) + ' h';
    return num(sec / 86400, 1) + ' days';
  }

  // ---- loading
  async function refreshJourneys() {
    const r = await api('/api/journeys');
    report = r;
    const { asOf, ...content } = r;
    $('journey-asof').textContent = 'as of ' + String(asOf || '').replace('T', ' ').slice(0, 19) + ' UTC'
      + (r.lateEvents ? ' · ' + int(r.lateEvents) + ' late events' : '');
    if (!changed('journeys', [content, state.journeyBrand, state.brandNames])) return;
    keepScroll(renderJourneys);
  }

  function renderJourneys() {
    const brands = report.brands || [];
    const empty = brands.length === 0;
    $('journeys-empty').hidden = !empty;
    $('journey-body').hidden = empty;
    $('journey-brand').disabled = empty;
    brandOptions(brands);
    const b = brands.find((x) => key(x) === state.journeyBrand);
    if (b) renderBrand(b);
    renderOrbit(report.orbit || []);
    renderLeakage(b ? b.brand : null);
  }

  function brandOptions(brands) {
    const own = (b) => !(report.orbit || []).some((o) => o.brand === b.brand && o.competitor);
    if (!brands.some((b) => key(b) === state.journeyBrand)) {
      const best = [...brands].sort((a, b) => (own(b) - own(a)) || (b.journeys - a.journeys))[0];
      state.journeyBrand = best ? key(best) : null;
    }
    const select = $('journey-brand');
    select.replaceChildren(...brands.map((b) => h('option', { value: key(b), selected: key(b) === state.journeyBrand },
      label(b) + ' (' + int(b.journeys) + ' journeys)')));
  }
  $('journey-brand').addEventListener('change', (e) => {
    state.journeyBrand = e.target.value;
    if (report) keepScroll(renderJourneys);
  });

  function renderBrand(b) {
    $('journey-body').dataset.brand = b.brand;
    const st = b.stepTimes || {};
    const fact = (value, text, title) => h('span', { class: 'fact', title: title || text }, h('b', {}, value), ' ' + text);
    $('journey-summary').replaceChildren(
      fact(int(b.interactions), 'interactions'), fact(int(b.journeys), 'journeys'),
      fact(int(b.endedJourneys), 'ended', 'journeys that ended in a conversion or a goodbye'),
      fact(int(b.stalledJourneys), 'stalled', 'journeys that went quiet before an outcome'),
      fact(int(b.customerStartedJourneys), 'started by the customer', 'journeys whose first step the customer chose: '
        + int(b.customerStartedInteractions) + ' of ' + int(b.interactions) + ' interactions were started by the customer'),
      fact(int(b.brandStartedJourneys), 'started by the brand', 'journeys opened by the brand (an email, a delivery, a call back): '
        + int(b.brandStartedInteractions) + ' of ' + int(b.interactions) + ' interactions were started by the brand'),
      fact(duration(st.medianSeconds), 'median step', int(st.steps) + ' steps timed'),
      fact(duration(st.p90Seconds), 'p90 step', '9 in 10 steps come within this time'));
    sankey($('sankey'), b.topPaths || [], b.journeys);
    heatmap($('heatmap'), b.channelTransitions || []);
    table($('stalls'), ['contact point', 'purpose', 'journeys'], (b.stalls || []).slice().sort((x, y) => y.journeys - x.journeys)
      .map((x) => [x.contactPoint, x.purpose, int(x.journeys)]), 'no stalled journeys');
    const cps = (report.contactPoints || []).filter((c) => c.brand === b.brand && c.segment === b.segment)
      .sort((x, y) => y.interactions - x.interactions).slice(0, 12);
    table($('contact-points'), ['contact point', 'channel', 'interactions', 'delight', 'failed needs'], cps.map((c) => [
      c.contactPoint, c.channel, int(c.interactions),
      rateBar(c.delightRate, 'good', int(c.delights) + ' delights in ' + int(c.interactions) + ' interactions'),
      rateBar(c.failedNeedRate, 'bad', int(c.needsFailed) + ' failed of ' + int(c.needsKnown) + ' needs with a known outcome')]),
    'no contact points yet');
  }

  const rateBar = (rate, cls, title) => rate === null || rate === undefined
    ? h('span', { class: 'side rate muted small', 'data-rate': 'none', title: 'no rate: ' + title }, 'no known needs')
    : h('span', { class: 'side rate', title: pct(rate, 1) + ': ' + title },
    h('span', { class: 'track' }, h('span', { class: 'fill ' + cls, style: { width: Math.min(100, (rate || 0) * 100).toFixed(1) + '%' } })),
    h('span', { class: 'side-value wide' }, pct(rate, 1)));

  function table(node, heads, rows, emptyText) {
    node.replaceChildren(h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c === null || c === undefined ? '–' : c))))
        : h('tr', {}, h('td', { colspan: heads.length, class: 'muted' }, emptyText))));
  }

  // ---- Sankey of the top paths: steps are columns, channels are nodes, each band a flow of journeys
  const colours = {};
  const colour = (c) => colours[c] || (colours[c] = PALETTE[Object.keys(colours).length % PALETTE.length]);

  function sankey(svg, paths, journeys) {
    const MAX_STEPS = 6, W = 900, H = 320, TOP = 22, BOTTOM = 8, L = 8, R = 130, NODE = 14, GAP = 10;
    paths = paths.filter((p) => (p.channels || []).length && p.journeys > 0);
    if (!paths.length) {
      $('sankey-note').textContent = '';
      describe('sankey-caption', 'sankey-data', 'no journeys yet', ['path', 'journeys'], []);
      svg.replaceChildren(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no journeys yet'));
      return;
    }
    const steps = Math.min(MAX_STEPS, Math.max(...paths.map((p) => p.channels.length)));
    const nodes = new Map(), links = new Map(), total = {};
    const node = (i, c) => nodes.get(i + '|' + c) || nodes.set(i + '|' + c, { i, c, value: 0, ins: [], outs: [] }).get(i + '|' + c);
    for (const p of paths) {
      const chs = p.channels.slice(0, steps);
      chs.forEach((c, i) => {
        node(i, c).value += p.journeys;
        total[c] = (total[c] || 0) + p.journeys;
        if (i === 0) return;
        const k = i - 1 + '|' + chs[i - 1] + '|' + c;
        if (!links.has(k)) {
          const l = { source: node(i - 1, chs[i - 1]), target: node(i, c), value: 0 };
          links.set(k, l);
          l.source.outs.push(l);
          l.target.ins.push(l);
        }
        links.get(k).value += p.journeys;
      });
    }
    const rank = Object.keys(total).sort((a, b) => total[b] - total[a]);
    const columns = [...Array(steps)].map((_, i) => [...nodes.values()].filter((n) => n.i === i)
      .sort((a, b) => rank.indexOf(a.c) - rank.indexOf(b.c)));
    const k = Math.min(...columns.map((col) => (H - TOP - BOTTOM - GAP * (col.length - 1)) / col.reduce((t, n) => t + n.value, 0)));
    const dx = steps > 1 ? (W - L - R - NODE) / (steps - 1) : 0;
    columns.forEach((col, i) => {
      let y = TOP;
      for (const n of col) { n.x = L + i * dx; n.y = y; n.h = Math.max(1, n.value * k); y += n.h + GAP; }
    });
    for (const n of nodes.values()) {
      let y = n.y;
      for (const l of n.outs.sort((a, b) => a.target.y - b.target.y)) { l.sy = y; y += l.value * k; }
      y = n.y;
      for (const l of n.ins.sort((a, b) => a.source.y - b.source.y)) { l.ty = y; y += l.value * k; }
    }
    const band = (l) => {
      const x0 = l.source.x + NODE, x1 = l.target.x, xm = (x0 + x1) / 2, w = Math.max(1, l.value * k);
      return `M${x0},${l.sy}C${xm},${l.sy} ${xm},${l.ty} ${x1},${l.ty}L${x1},${l.ty + w}C${xm},${l.ty + w} ${xm},${l.sy + w} ${x0},${l.sy + w}Z`;
    };
    const covered = paths.reduce((t, p) => t + p.journeys, 0);
    const note = `the top ${paths.length} paths hold ${int(covered)} of ${int(journeys)} journeys`
      + (steps < Math.max(...paths.map((p) => p.channels.length)) ? `; steps after the ${steps}th are left out` : '');
    $('sankey-note').textContent = note;
    svg.setAttribute('aria-label', note);
    const topPath = paths.slice().sort((a, b) => b.journeys - a.journeys)[0];
    describe('sankey-caption', 'sankey-data', `The most common path, ${topPath.channels.join(' → ')}, holds ${int(topPath.journeys)} `
      + `of ${int(journeys)} journeys (${pct(topPath.journeys / Math.max(1, journeys), 1)}); ${note}.`,
    ['path (channels in order)', 'steps', 'journeys', 'share of all journeys'],
    paths.slice().sort((a, b) => b.journeys - a.journeys).map((p) => [p.channels.join(' → '), int(p.channels.length), int(p.journeys),
      pct(p.journeys / Math.max(1, journeys), 1)]));
    const lastLabel = {};
    svg.replaceChildren(
      ...[...Array(steps)].map((_, i) => s('text', { x: L + i * dx + (i === steps - 1 && steps > 1 ? NODE : 0), y: 12, class: 'axis-label',
        'text-anchor': i === 0 ? 'start' : i === steps - 1 && steps > 1 ? 'end' : 'middle' }, 'step ' + (i + 1))),
      ...[...links.values()].map((l) => s('path', { d: band(l), class: 'sankey-link', fill: colour(l.source.c), 'data-from': l.source.c,
        'data-to': l.target.c, 'data-step': l.source.i + 1, 'data-journeys': l.value },
      s('title', {}, `step ${l.source.i + 1} → ${l.source.i + 2}: ${l.source.c} → ${l.target.c}, ${int(l.value)} journeys`))),
      ...[...nodes.values()].sort((a, b) => a.i - b.i || a.y - b.y).map((n) => {
        const ended = n.value - n.outs.reduce((t, l) => t + l.value, 0);
        const tip = `step ${n.i + 1}: ${n.c}, ${int(n.value)} journeys` + (n.i < steps - 1 && ended ? `, ${int(ended)} end here` : '');
        return s('g', { class: 'sankey-node', 'data-channel': n.c, 'data-step': n.i + 1, 'aria-label': tip },
          s('rect', { x: n.x, y: n.y, width: NODE, height: n.h, fill: colour(n.c), rx: 2 }, s('title', {}, tip)),
          s('text', { x: n.x + NODE + 4, y: labelY(n), class: 'node-label' }, `${n.c} ${int(n.value)}`));
      }));
    // every node is labelled, a thin one too: a label sits by its node's middle, pushed down below
    // the label above it in the same column when they would overlap
    function labelY(n) {
      const y = Math.min(H - 2, Math.max(n.y + n.h / 2 + 4, (lastLabel[n.i] ?? -Infinity) + 12));
      lastLabel[n.i] = y;
      return y;
    }
  }

  // ---- channel -> channel heat map, cells shaded by P(next = column | now = row)
  function heatmap(node, transitions) {
    if (!transitions.length) { node.replaceChildren(h('tbody', {}, h('tr', {}, h('td', { class: 'muted' }, 'no transitions yet')))); return; }
    const out = {};
    for (const t of transitions) { out[t.from] = (out[t.from] || 0) + t.count; out[t.to] = out[t.to] || 0; }
    const chans = Object.keys(out).sort((a, b) => out[b] - out[a] || a.localeCompare(b));
    const cell = {};
    for (const t of transitions) cell[t.from + '→' + t.to] = t;
    node.replaceChildren(
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'corner' }, 'from ↓ to →'),
        chans.map((c) => h('th', { scope: 'col', class: 'to' }, h('span', {}, c))))),
      h('tbody', {}, chans.map((f) => h('tr', {}, h('th', { scope: 'row' }, f), chans.map((t) => {
        const x = cell[f + '→' + t];
        if (!x) return h('td', { class: 'heat none', title: `${f} → ${t}: never` });
        const p = x.probability;
        // the shade is the cell's background; its figure sits on a white chip, readable on any shade
        return h('td', { class: 'heat', 'data-from': f, 'data-to': t, 'data-probability': p, tabindex: 0,
          title: `${f} → ${t}: ${pct(p, 1)} (${int(x.count)} of ${int(out[f])} steps from ${f})`,
          style: { background: `rgba(58, 91, 217, ${(0.08 + 0.92 * p).toFixed(3)})` } },
        h('span', { class: 'heat-value' }, p < 0.005 ? '<1%' : pct(p)));
      })))));
  }

  // ---- share of orbit: each brand's share of interactions and of money
  function renderOrbit(orbit) {
    const svg = $('orbit'), W = 440, L = 110, R = 46, ROW = 34, TOP = 6;
    const rows = orbit.slice().sort((a, b) => b.interactionShare - a.interactionShare);
    const H = Math.max(60, TOP + rows.length * ROW + 4);
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    if (!rows.length) {
      describe('orbit-caption', 'orbit-data', 'no interactions yet', ['brand', 'share of interactions', 'share of money'], []);
      svg.replaceChildren(s('text', { x: W / 2, y: 30, 'text-anchor': 'middle' }, 'no interactions yet'));
      return;
    }
    const richest = rows.slice().sort((a, b) => b.moneyShare - a.moneyShare)[0];
    describe('orbit-caption', 'orbit-data', `${brandName(rows[0].brand)} has the largest share of interactions, `
      + `${pct(rows[0].interactionShare, 1)}; ${brandName(richest.brand)} the largest share of money, ${pct(richest.moneyShare, 1)}.`,
    ['brand', 'competitor', 'share of interactions', 'interactions', 'share of money', 'money'],
    rows.map((o) => [brandName(o.brand), o.competitor ? 'competitor' : 'own brand', pct(o.interactionShare, 1), int(o.interactions),
      pct(o.moneyShare, 1), money(o.money)]));
    const bar = (y, share, cls, what, o) => [
      s('rect', { x: L, y, width: Math.max(1, share * (W - L - R)), height: 11, class: 'bar ' + cls },
        s('title', {}, `${brandName(o.brand)}: ${pct(share, 1)} of ${what}` + (what === 'money' ? ` (${money(o.money)})` : ` (${int(o.interactions)})`))),
      s('text', { x: L + Math.max(1, share * (W - L - R)) + 4, y: y + 10 }, pct(share, 1))];
    svg.replaceChildren(...rows.map((o, i) => {
      const y = TOP + i * ROW;
      return s('g', { class: 'orbit-row', 'data-brand': o.brand },
        s('text', { x: L - 8, y: y + 16, 'text-anchor': 'end', class: 'legend-label' + (o.competitor ? ' competitor' : '') },
          brandName(o.brand) + (o.competitor ? ' ⚑' : '')),
        bar(y, o.interactionShare, 'bar-events', 'interactions', o), bar(y + 13, o.moneyShare, 'bar-money', 'money', o));
    }));
  }

  // ---- research here, buy there
  function renderLeakage(brand) {
    const rows = (report.leakage || []).filter((l) => l.researchBrand === brand).sort((a, b) => b.purchases - a.purchases).slice(0, 10);
    table($('leakage'), ['researched at', 'bought from', 'purchases'],
      rows.map((l) => [l.researchContactPoint, brandName(l.purchaseBrand), int(l.purchases)]),
      brand ? 'no research at ' + brandName(brand) + ' led to a purchase elsewhere' : 'no journeys yet');
    table($('research-kept'), ['researched at', 'bought here', 'bought elsewhere', 'leakage'],
      (report.researchKept || []).map((r) => [brandName(r.brand), int(r.purchasedHere), int(r.purchasedElsewhere),
        h('span', { class: r.brand === brand ? 'current' : '' }, pct(r.leakageRate, 1))]), 'no research yet');
  }

  // ---- attribution: grouped horizontal bars of conversions credited to each channel
  const SERIES = [['first', 'first touch', '#8aa4c4'], ['last', 'last touch', '#e08b17'], ['linear', 'linear', '#7cc0a4'],
    ['markov1', 'Markov order 1', '#5b3fd1'], ['markov2', 'Markov order 2', '#b48be8']];

  async function refreshAttribution() {
    const by = $('attribution-by').value;
    const a = await api('/api/journeys/attribution?by=' + enc(by) + '&order=1,2');
    if (by !== $('attribution-by').value) return;
    if (!changed('attribution', [by, a])) return;
    keepScroll(() => renderAttribution(a, by));
  }
  $('attribution-by').addEventListener('change', () => { delete state.rendered.attribution; refreshAttribution().catch((e) => {
    $('attribution-summary').textContent = e.message;
  }); });

  function renderAttribution(a, by) {
    const svg = $('attribution-chart'), heur = a.heuristics || [];
    const empty = !a.journeys || !heur.length;
    $('attribution-empty').hidden = !empty;
    svg.toggleAttribute('hidden', empty); // an SVG element has no hidden property
    $('attribution-legend').hidden = empty;
    $('attribution-figure').hidden = empty;
    const markov = {};
    for (const m of a.markov || []) for (const c of m.channels || []) markov[m.order + '|' + c.channel] = c;
    $('attribution-summary').textContent = empty ? '' : `${int(a.journeys)} journeys · ${int(a.conversions)} conversions worth `
      + `${money(a.conversionValue)} · ${int(a.nulls)} without · ` + (a.markov || []).map((m) =>
      `order ${m.order}: P(conversion) ${pct(m.conversionProbability, 1)} over ${int(m.states)} states`).join(' · ');
    if (empty) { svg.replaceChildren(); return; }
    const orders = (a.markov || []).map((m) => m.order);
    const series = SERIES.filter(([k]) => !k.startsWith('markov') || orders.includes(Number(k.slice(6))));
    const value = (row, k) => {
      if (k === 'first') return row.firstTouchConversions;
      if (k === 'last') return row.lastTouchConversions;
      if (k === 'linear') return row.linearConversions;
      const m = markov[k.slice(6) + '|' + row.channel];
      return m ? m.conversions : 0;
    };
    const LIMIT = 15;
    const rows = heur.slice().sort((x, y) => y.linearConversions - x.linearConversions).slice(0, LIMIT);
    const W = 900, L = 170, R = 60, BAR = 11, GROUP = series.length * BAR + 14, TOP = 4;
    const H = TOP + rows.length * GROUP + (heur.length > LIMIT ? 18 : 0);
    const max = Math.max(1e-9, ...rows.flatMap((r) => series.map(([k]) => value(r, k))));
    const x = (v) => Math.max(0, v) / max * (W - L - R);
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    svg.setAttribute('aria-label', `conversions credited per ${by.replace('_', ' ')}: ` + series.map((x) => x[1]).join(', '));
    const lead = rows[0];
    describe('attribution-caption', 'attribution-data', `${lead.channel} earns the most credit, ${num(lead.linearConversions, 1)} of `
      + `${int(a.conversions)} conversions by linear credit (first touch ${num(lead.firstTouchConversions, 1)}, last touch `
      + `${num(lead.lastTouchConversions, 1)}).` + (heur.length > LIMIT ? ` The chart shows the top ${LIMIT} of ${heur.length}; the table all.` : ''),
    [by.replace('_', ' '), ...series.map((x) => x[1])],
    heur.slice().sort((x, y) => y.linearConversions - x.linearConversions).map((r) => [r.channel, ...series.map(([k]) => num(value(r, k), 1))]));
    $('attribution-legend').replaceChildren(h('span', {}, 'bars, top to bottom:'), ...series.map(([, name, c]) => h('span', { class: 'legend-item' },
      h('span', { class: 'swatch', style: { background: c } }), name)));
    svg.replaceChildren(...rows.map((r, i) => {
      const y0 = TOP + i * GROUP;
      return s('g', { class: 'attribution-row', 'data-channel': r.channel },
        s('text', { x: L - 8, y: y0 + GROUP / 2, 'text-anchor': 'end', class: 'legend-label' },
          String(r.channel).length > 26 ? String(r.channel).slice(0, 25) + '…' : r.channel, s('title', {}, r.channel)),
        series.map(([k, name, c], j) => {
          const v = value(r, k), m = k.startsWith('markov') ? markov[k.slice(6) + '|' + r.channel] : null;
          const tip = `${r.channel} · ${name}: ${num(v, 1)} conversions` + (m ? ` (removal effect ${pct(m.removalEffect, 1)})` : '');
          return s('g', { class: 'attribution-bar', 'data-series': k, 'data-value': v },
            s('rect', { x: L, y: y0 + j * BAR, width: Math.max(v > 0 ? 1 : 0, x(v)), height: BAR - 1, fill: c, class: 'bar' }, s('title', {}, tip)),
            s('text', { x: L + x(v) + 4, y: y0 + j * BAR + BAR - 2, class: 'bar-value' }, num(v, 1)));
        }));
    }), heur.length > LIMIT ? s('text', { x: L, y: H - 4, class: 'axis-title' }, `top ${LIMIT} of ${heur.length} by linear credit`) : null);
  }

  const both = () => Promise.all([refreshJourneys(), refreshAttribution()]);
  return { start: both, tick: both };
});
