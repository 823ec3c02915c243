// Customer 360, value: what the customer-value model (BG/NBD and gamma-gamma, fitted per brand;
// docs/MODELS.md "Live use") says of this person. The totals come first when every brand they
// bought at is valued; then each brand with its figures, or, when that brand's fit gives none (too
// few repeat buyers, not identified by the data), the fit's one sentence saying why: a zero or a
// made-up figure would read as a prediction.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, finite, num, money, when, brandName }) => {
  let current = null;
  const pct = (x) => (finite(x) ? (x * 100).toFixed(1) + '%' : '–');

  async function load(id) {
    current = id;
    let v;
    try { v = await api('/api/profiles/' + enc(id) + '/value'); } catch (e) {
      if (e instanceof AuthError || id !== current) return;
      $('value').replaceChildren(h('p', { class: 'note refused' }, 'No value: ', e.reason || e.message));
      return;
    }
    if (id !== current) return;
    render(v);
  }

  const figure = (key, value, text, title) => h('div', { class: 'figure', 'data-figure': key, 'data-value': value, title },
    h('b', { class: 'figure-value' }, text), h('span', { class: 'figure-label' }, title.split(':')[0]));

  function brand(b) {
    const fit = b.fit || {}, hist = b.history, settings = fit.valuation || {};
    const valued = b.status === 'valued' && finite(b.probabilityAlive);
    return h('div', { class: 'value-brand', 'data-brand': b.brand, 'data-status': b.status },
      h('h5', {}, brandName(b.brand), ' ', h('span', { class: 'muted small' }, b.status)),
      valued ? h('div', { class: 'figures' },
        figure('probabilityAlive', b.probabilityAlive, pct(b.probabilityAlive),
          'probability alive: P(still a customer of this brand at the end of ' + (fit.calibrationEnd || 'calibration') + ')'),
        figure('expectedPurchases', b.expectedPurchases, num(b.expectedPurchases, 2),
          `expected purchases: purchase days expected over the next ${settings.purchaseHorizonWeeks || 52} weeks`),
        figure('expectedAverageValue', b.expectedAverageValue, money(b.expectedAverageValue),
          'expected average value: per purchase day (gamma-gamma)'),
        figure('lifetimeValue', b.lifetimeValue, money(b.lifetimeValue),
          `lifetime value: discounted residual value over ${settings.lifetimeHorizonWeeks || 156} weeks`))
        : h('p', { class: 'note brand-message' }, b.message || b.status),
      hist ? h('p', { class: 'value-history small' }, h('span', { title: 'purchase days (x + 1) and repeat purchase days (x)' },
        `${hist.transactions} purchase ${hist.transactions === 1 ? 'day' : 'days'} (x = ${hist.frequency})`),
      ` · last repeat at t_x = ${num(hist.recencyWeeks, 1)} weeks · customer for T = ${num(hist.ageWeeks, 1)} weeks`,
      finite(hist.averageRepeatValue) ? ' · mean repeat value ' + money(hist.averageRepeatValue) : '') : null);
  }

  function render(v) {
    const brands = v.brands || [], valued = v.status === 'valued' && finite(v.probabilityAlive);
    $('value').dataset.status = v.status || '';
    $('value').replaceChildren(...[
      valued ? h('div', { class: 'figures value-total' },
        figure('probabilityAlive', v.probabilityAlive, pct(v.probabilityAlive),
          'probability alive: the highest P(alive) over the brands bought at'),
        figure('expectedPurchases', v.expectedPurchases, num(v.expectedPurchases, 2),
          'expected purchases: purchase days expected over the next 52 weeks, all brands'),
        figure('discountedValue52Weeks', v.discountedValue52Weeks, money(v.discountedValue52Weeks),
          'value, 52 weeks: discounted, all brands'),
        figure('lifetimeValue', v.lifetimeValue, money(v.lifetimeValue),
          'lifetime value: discounted residual value, all brands'))
        : h('p', { class: 'note value-message' }, h('b', {}, v.status || 'no value'), ': ', v.message || ''),
      ...brands.map(brand),
      v.fittedAt ? h('p', { class: 'muted small fit-note' }, 'Fitted per brand ' + when(v.fittedAt) + ' UTC.') : null,
    ].filter((x) => x)); // replaceChildren would write a null as the text "null"
  }

  return { profile: load };
});
