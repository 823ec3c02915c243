// Asking customers (docs/MODELS-CAUSAL.md, "Surveys and drivers in live use"): under a brand's
// chart, its survey answers per contact point and week (NPS, CSAT, CES) and the drivers of the NPS
// answer with their bootstrap intervals, or the one sentence saying why there are none.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, finite, num }) => {
  let current = null;
  const pct = (x) => (finite(x) ? Math.round(100 * x) + '%' : '–');
  const score = (x) => (finite(x) ? (x > 0 ? '+' : '') + Math.round(x) : '–');

  async function brand(id) {
    current = id;
    let report, drivers;
    try {
      [report, drivers] = await Promise.all([
        api('/api/brands/' + enc(id) + '/surveys'), api('/api/brands/' + enc(id) + '/drivers?outcome=nps')]);
    } catch (e) {
      if (e instanceof AuthError || id !== current) return;
      $('brand-surveys-body').replaceChildren(h('p', { class: 'note refused' }, 'No survey report: ', e.reason || e.message));
      return;
    }
    if (id !== current) return;
    const a = drivers.analysis;
    $('brand-surveys-body').dataset.status = drivers.status;
    $('brand-surveys-body').replaceChildren(...[
      h('p', { class: 'muted small survey-message' }, report.message),
      report.periods.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'timeline', id: 'survey-table' },
        h('thead', {}, h('tr', {}, ['contact point', 'week', 'answers', 'NPS', 'CSAT (1–5)', 'CES (1–7)'].map((t) => h('th', {}, t)))),
        h('tbody', {}, report.periods.slice(-12).map((p) => h('tr', { 'data-contact-point': p.contactPoint, 'data-week': p.week },
          h('td', {}, p.contactPoint), h('td', {}, p.week), h('td', {}, String(p.answers)),
          h('td', { 'data-value': p.nps }, score(p.nps)), h('td', {}, num(p.csat, 2)), h('td', {}, num(p.ces, 2))))))) : null,
      h('p', { class: 'muted small drivers-message' }, drivers.message),
      a ? h('ul', { class: 'drivers small', id: 'drivers-list' }, a.drivers.map((d) => h('li', { 'data-driver': d.name, 'data-lmg': d.lmg },
        h('b', {}, d.name), ` · ${pct(d.lmg)} of the variance (95% interval ${pct(d.lmgLower)} to ${pct(d.lmgUpper)}) · rank ${d.rank}, `
        + `kept in ${pct(d.rankAgreement)} of resamples`))) : null,
    ].filter((x) => x)); // replaceChildren would write a null as the text "null"
  }

  return { brand };
});
