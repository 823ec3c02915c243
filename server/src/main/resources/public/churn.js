// Churn risk (docs/MODELS-CAUSAL.md, "Churn risk in live use"): per brand, a logistic regression
// learnt from the store's own lapses. On the customer 360, the person's risk at each brand with its
// main reasons and the model's held-out AUC, or the brand model's one sentence when it gives none;
// under a brand's chart, its active customers most at risk.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, finite, num, brandName }) => {
  let currentProfile = null, currentBrand = null;
  const pct = (x) => (finite(x) ? (x * 100).toFixed(0) + '%' : '–');

  function riskBlock(r) {
    const scored = r.status === 'scored' && finite(r.risk);
    return h('div', { class: 'value-brand churn-brand', 'data-brand': r.brand, 'data-status': r.status },
      h('h5', {}, brandName(r.brand), ' ', h('span', { class: 'muted small' }, r.status)),
      scored ? h('div', { class: 'figures' },
        h('div', { class: 'figure', 'data-figure': 'risk', 'data-value': r.risk },
          h('b', { class: 'figure-value' }, pct(r.risk)), h('span', { class: 'figure-label' }, 'lapses in 30 days')),
        h('div', { class: 'figure', 'data-figure': 'heldOutAuc', 'data-value': r.heldOutAuc },
          h('b', { class: 'figure-value' }, num(r.heldOutAuc, 2)), h('span', { class: 'figure-label' }, 'held-out AUC')))
        : h('p', { class: 'note brand-message' }, r.message || r.status),
      scored && r.reasons.length ? h('ul', { class: 'churn-reasons small' }, r.reasons.map((x) => h('li', { 'data-feature': x.feature }, x.text))) : null);
  }

  async function profile(id) {
    currentProfile = id;
    let v;
    try { v = await api('/api/profiles/' + enc(id) + '/churn'); } catch (e) {
      if (e instanceof AuthError || id !== currentProfile) return;
      $('churn').replaceChildren(h('p', { class: 'note refused' }, 'No churn risk: ', e.reason || e.message));
      return;
    }
    if (id !== currentProfile) return;
    $('churn').replaceChildren(...(v.brands.length ? v.brands.map(riskBlock)
      : [h('p', { class: 'note' }, 'No interaction started with our brands: nothing to predict.')]));
  }

  async function brand(id) {
    currentBrand = id;
    let v;
    try { v = await api('/api/brands/' + enc(id) + '/churn?limit=10'); } catch (e) {
      if (e instanceof AuthError || id !== currentBrand) return;
      $('brand-churn-list').replaceChildren(h('p', { class: 'note refused' }, 'No churn risks: ', e.reason || e.message));
      return;
    }
    if (id !== currentBrand) return;
    const fit = v.fit;
    $('brand-churn-list').dataset.status = fit.status;
    $('brand-churn-list').replaceChildren(...[
      h('p', { class: 'muted small fit-note' }, fit.message),
      fit.status === 'fitted' ? h('div', { class: 'table-wrap' }, h('table', { class: 'timeline', id: 'brand-churn-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'customer'), h('th', {}, 'risk'), h('th', {}, 'main reasons'))),
        h('tbody', {}, v.customers.map((r) => h('tr', { 'data-profile': r.profile },
          h('td', {}, r.profile), h('td', { 'data-value': r.risk }, pct(r.risk)),
          h('td', { class: 'small' }, (r.reasons || []).map((x) => x.text).join('; ') || '–')))))) : null,
    ].filter((x) => x)); // replaceChildren would write a null as the text "null"
  }

  return { profile, brand };
});
