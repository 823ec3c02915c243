// Customer 360, value: what the customer-value model (BG/NBD and gamma-gamma, docs/MODELS.md "Live
// use") says of this person. When the model could not be fitted, or the person never bought, the
// panel shows the model's own sentence instead of figures: a zero would read as a prediction.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, finite, num, money, when }) => {
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

  function render(v) {
    const fit = v.fit || {}, hist = v.history, valued = finite(v.probabilityAlive);
    const settings = fit.valuation || {};
    $('value').dataset.status = v.status || '';
    $('value').replaceChildren(
      valued ? h('div', { class: 'figures' },
        figure('probabilityAlive', v.probabilityAlive, pct(v.probabilityAlive),
          'probability alive: P(still a customer at the end of ' + (fit.calibrationEnd || 'calibration') + ')'),
        figure('expectedPurchases', v.expectedPurchases, num(v.expectedPurchases, 2),
          `expected purchases: purchase days expected over the next ${settings.purchaseHorizonWeeks || 52} weeks`),
        figure('expectedAverageValue', v.expectedAverageValue, money(v.expectedAverageValue),
          'expected average value: per purchase day (gamma-gamma)'),
        figure('discountedValue52Weeks', v.discountedValue52Weeks, money(v.discountedValue52Weeks),
          `value, 52 weeks: discounted at ${num(100 * (settings.annualDiscountRate || 0.15), 0)}% a year`),
        figure('lifetimeValue', v.lifetimeValue, money(v.lifetimeValue),
          `lifetime value: discounted residual value over ${settings.lifetimeHorizonWeeks || 156} weeks`))
        : h('p', { class: 'note value-message' }, h('b', {}, v.status || 'no value'), ': ', v.message || ''),
      hist ? h('p', { class: 'value-history small' }, h('span', { title: 'purchase days (x + 1) and repeat purchase days (x)' },
        `${hist.transactions} purchase ${hist.transactions === 1 ? 'day' : 'days'} (x = ${hist.frequency})`),
      ` · last repeat at t_x = ${num(hist.recencyWeeks, 1)} weeks · customer for T = ${num(hist.ageWeeks, 1)} weeks`,
      finite(hist.averageRepeatValue) ? ' · mean repeat value ' + money(hist.averageRepeatValue) : '') : null,
      h('p', { class: 'muted small fit-note' }, fit.message || '', fit.fittedAt ? ' Fitted ' + when(fit.fittedAt) + ' UTC.' : ''));
  }

  return { profile: load };
});
