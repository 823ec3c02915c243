// Brand actions and their impact (docs/MODELS.md, "Live use"): the actions a brand declared, a form
// to declare one, and for a chosen action and metric the observed series against its
// counterfactual (a regression on the other brands, CausalImpact-style, with its interval after the
// action; and the synthetic control when there is one), with the model's own verdict in words.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, s, api, AuthError, enc, finite, int, when, brandName, guard, describe }) => {
  let brand = null, actions = [], seq = 0;
  const day = (iso) => String(iso || '').slice(0, 10);
  /** A number with as many decimals as its size deserves, with a true minus sign. */
  const fmt = (x) => {
    if (!finite(x)) return '–';
    const a = Math.abs(x), d = a >= 1000 ? 0 : a >= 10 ? 1 : 2;
    return (x < 0 ? '−' : '') + a.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  };

  // ---- the brand's actions
  async function load(id) {
    brand = id;
    $('action-form-status').textContent = '';
    clearErrors();
    await loadActions(id, null);
  }

  async function loadActions(id, choose) {
    const list = await api('/api/brands/' + enc(id) + '/actions');
    if (id !== brand) return;
    actions = list.slice().sort((a, b) => String(b.starts).localeCompare(String(a.starts)) || b.id - a.id);
    $('actions-table').tBodies[0].replaceChildren(...(actions.length ? actions.map(actionRow)
      : [h('tr', { class: 'empty' }, h('td', { colspan: 7, class: 'muted' }, 'no actions declared yet'))]));
    const keep = choose !== null ? choose : Number($('impact-action').value);
    const chosen = actions.find((a) => a.id === keep) || actions[0];
    $('impact-action').replaceChildren(...actions.map((a) => h('option', { value: a.id, selected: a === chosen },
      `${a.name} (${a.kind}, ${day(a.starts)})`)));
    $('impact-action').disabled = !actions.length;
    $('impact-empty').hidden = actions.length > 0;
    if (!chosen) { $('impact').hidden = true; $('impact-range').textContent = ''; return; }
    await loadImpact();
  }

  const actionRow = (a) => h('tr', { class: 'brand-action', 'data-id': a.id },
    h('td', { class: 'name' }, a.name), h('td', {}, a.kind),
    h('td', { class: 'time', title: a.starts }, when(a.starts)), h('td', { class: 'time', title: a.ends || 'open-ended' }, a.ends ? when(a.ends) : '–'),
    h('td', {}, a.actor || '–'), h('td', { class: 'name' }, a.description || ''),
    h('td', {}, h('button', { type: 'button', class: 'link-button', 'aria-label': 'show the impact of ' + a.name,
      onclick: () => { $('impact-action').value = String(a.id); guard(loadImpact()); } }, 'impact')));

  $('impact-action').addEventListener('change', () => guard(loadImpact()));
  $('impact-metric').addEventListener('change', () => guard(loadImpact()));

  // ---- the impact of one action on one metric
  async function loadImpact() {
    const id = $('impact-action').value, metric = $('impact-metric').value, b = brand, mine = ++seq;
    if (!id || !b) return;
    $('impact-range').textContent = 'estimating…';
    let r;
    try { r = await api(`/api/brands/${enc(b)}/actions/${enc(id)}/impact?metric=${enc(metric)}`); } catch (e) {
      if (e instanceof AuthError || mine !== seq) return;
      $('impact').hidden = false;
      $('impact').dataset.action = id;
      $('impact-range').textContent = '';
      $('impact-chart').replaceChildren();
      $('impact-chart').toggleAttribute('hidden', true);
      $('impact-caption').textContent = '';
      $('impact-data').replaceChildren();
      $('impact-legend').hidden = true;
      $('impact-effect').replaceChildren();
      verdict('No estimate: ' + (e.reason || e.message), 'poor');
      return;
    }
    if (mine !== seq) return;
    $('impact').hidden = false;
    $('impact').dataset.action = id;
    $('impact').dataset.metric = r.metric;
    $('impact-range').textContent = `${int(r.preDays)} days before (from ${r.preFrom}), ${int(r.postDays)} after (to ${r.postTo}); `
      + `controls: ${(r.controls || []).map(brandName).join(', ') || 'none'}`;
    $('impact-chart').toggleAttribute('hidden', false);
    $('impact-legend').hidden = false;
    chart($('impact-chart'), r);
    impactText(r);
    effect(r);
    const reg = r.regression;
    verdict(r.message, !reg || !reg.fitAdequate ? 'poor' : reg.effectDetected ? 'detected' : 'none');
  }

  function impactText(r) {
    const reg = r.regression, avg = reg && reg.averageEffect;
    const headline = `${r.metric} per day at ${brandName(r.brand)}, ${r.preFrom} to ${r.postTo}; `
      + `${r.action ? r.action.name : 'the action'} starts on ${r.interventionDay}. `
      + (avg ? `Average effect ${fmt(avg.estimate)} a day (${Math.round(100 * reg.level)}% interval ${fmt(avg.lower)} to ${fmt(avg.upper)}).`
        : 'No regression estimate.');
    describe('impact-caption', 'impact-data', headline,
      ['day (UTC)', 'period', 'observed', 'counterfactual', 'interval low', 'interval high', 'synthetic control'],
      (r.series || []).map((p) => [p.day, p.post ? 'after' : 'before', fmt(p.observed), fmt(p.counterfactual),
        fmt(p.lower), fmt(p.upper), fmt(p.synthetic)]));
  }

  function verdict(message, kind) {
    $('impact-verdict').textContent = message || '';
    $('impact-verdict').className = 'note verdict-note ' + kind;
  }

  // the number that decided whether the regression may conclude, in words
  function fitReason(reg) {
    if (reg.preRSquared < 0.5) return `the other brands explain only ${Math.round(100 * reg.preRSquared)}% of the movement before (50% needed)`;
    if (Math.abs(reg.residualLag1) > 0.5) return `its misses before ran in streaks (correlation ${fmt(reg.residualLag1)}; at most 0.50)`;
    return `the other brands explain ${Math.round(100 * reg.preRSquared)}% of the movement before`;
  }

  function effect(r) {
    const reg = r.regression, sc = r.synthetic, did = r.differenceInDifferences;
    const level = reg ? Math.round(100 * reg.level) + '%' : '';
    const interval = (i) => `${level} interval [${fmt(i.lower)}, ${fmt(i.upper)}]`;
    const weights = sc ? Object.entries(sc.weights || {}).filter(([, w]) => w > 0.0005).sort((a, b) => b[1] - a[1]) : [];
    $('impact-effect').replaceChildren(
      reg ? h('div', { class: 'figures' },
        h('div', { class: 'figure', 'data-figure': 'averageEffect', 'data-value': reg.averageEffect.estimate,
          'data-lower': reg.averageEffect.lower, 'data-upper': reg.averageEffect.upper },
        h('b', { class: 'figure-value estimate' }, fmt(reg.averageEffect.estimate)),
        h('span', { class: 'figure-label' }, `average effect per day (${r.metric}) · ${interval(reg.averageEffect)}`)),
        h('div', { class: 'figure', 'data-figure': 'cumulativeEffect', 'data-value': reg.cumulativeEffect.estimate },
          h('b', { class: 'figure-value' }, fmt(reg.cumulativeEffect.estimate)),
          h('span', { class: 'figure-label' }, `cumulative effect · ${interval(reg.cumulativeEffect)}`)),
        h('div', { class: 'figure', 'data-figure': 'tailProbability', 'data-value': reg.tailProbability },
          h('b', { class: 'figure-value' }, finite(reg.tailProbability) ? reg.tailProbability.toFixed(3) : '–'),
          h('span', { class: 'figure-label' }, 'tail probability (of an effect this large by chance)')),
        h('div', { class: 'figure', 'data-figure': 'fit' },
          h('b', { class: 'figure-value ' + (reg.fitAdequate ? 'good' : 'bad') }, reg.fitAdequate ? 'good enough' : 'no verdict'),
          h('span', { class: 'figure-label' }, fitReason(reg))))
        : h('p', { class: 'muted small' }, 'no regression estimate'),
      did ? h('div', { class: 'figures did' },
        h('div', { class: 'figure', 'data-figure': 'didEffect', 'data-value': did.effect, 'data-lower': did.lower, 'data-upper': did.upper },
          h('b', { class: 'figure-value' }, fmt(did.effect)),
          h('span', { class: 'figure-label' }, `difference-in-differences per day · ${Math.round(100 * did.level)}% interval [${fmt(did.lower)}, ${fmt(did.upper)}] · p = ${finite(did.pValue) ? did.pValue.toPrecision(2) : '–'}`)))
        : null,
      sc ? h('div', { class: 'weights' }, h('span', { class: 'label' }, 'synthetic control weights: '),
        weights.length ? weights.map(([b, w]) => h('span', { class: 'chip weight', 'data-brand': b, 'data-weight': w,
          title: `${brandName(b)}: weight ${w.toFixed(3)}` }, brandName(b), h('b', {}, ' ' + Math.round(w * 100) + '%')))
          : h('span', { class: 'muted' }, 'none'),
        h('span', { class: 'muted small' }, ` · placebo p = ${finite(sc.pValue) ? sc.pValue.toFixed(2) : '–'}`)) : null);
  }

  // ---- the chart: observed, counterfactual with its band after the action, synthetic control
  function chart(svg, r) {
    const W = 900, H = 260, L = 60, R = 16, T = 26, B = 26, pts = r.series || [], n = pts.length;
    const vals = pts.flatMap((p) => [p.observed, p.counterfactual, p.lower, p.upper, p.synthetic]).filter(finite);
    // counts and money start at zero; experience is a 0-100 score that lives around 50
    let lo = r.metric === 'experience' ? Math.min(...vals) : Math.min(0, ...vals), hi = Math.max(lo + 1e-9, ...vals);
    const pad = (hi - lo) * 0.05;
    hi += pad;
    if (lo < 0 || r.metric === 'experience') lo -= pad;
    const x = (i) => L + (i + 0.5) * (W - L - R) / Math.max(1, n);
    const y = (v) => T + (hi - v) * (H - T - B) / Math.max(1e-9, hi - lo);
    const line = (key) => {
      let d = '', pen = 'M';
      pts.forEach((p, i) => {
        if (!finite(p[key])) { pen = 'M'; return; }
        d += `${pen}${x(i).toFixed(1)},${y(p[key]).toFixed(1)} `;
        pen = 'L';
      });
      return d.trim();
    };
    const kids = [s('text', { x: 8, y: 14, class: 'axis-title' }, `${r.metric} per day`)];
    const step = niceStep((hi - lo) / 5);
    for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
      kids.push(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
        s('text', { x: L - 8, y: y(v) + 4, class: 'axis-label', 'text-anchor': 'end' }, tick(v, step)));
    }
    kids.push(s('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, class: 'axis' }));
    const post = pts.map((p, i) => [p, i]).filter(([p]) => p.post && finite(p.lower) && finite(p.upper));
    if (post.length) {
      const up = post.map(([p, i]) => `${x(i).toFixed(1)},${y(p.upper).toFixed(1)}`);
      const down = post.slice().reverse().map(([p, i]) => `${x(i).toFixed(1)},${y(p.lower).toFixed(1)}`);
      kids.push(s('path', { d: 'M' + up.join(' L') + ' L' + down.join(' L') + ' Z', class: 'band' },
        s('title', {}, 'the counterfactual\'s ' + Math.round(100 * r.regression.level) + '% interval after the action')));
    }
    const synthetic = line('synthetic'), counterfactual = line('counterfactual');
    if (synthetic) kids.push(s('path', { d: synthetic, class: 'line line-synthetic', 'data-series': 'synthetic' }));
    if (counterfactual) kids.push(s('path', { d: counterfactual, class: 'line line-counterfactual', 'data-series': 'counterfactual' }));
    kids.push(s('path', { d: line('observed') || 'M0,0', class: 'line line-observed', 'data-series': 'observed' }));
    const t0 = pts.findIndex((p) => p.post);
    if (t0 >= 0) {
      const xi = x(t0) - (W - L - R) / Math.max(1, n) / 2;
      const late = xi > W / 2; // the label goes on the side with room
      kids.push(s('line', { x1: xi, x2: xi, y1: T - 6, y2: H - B, class: 'intervention' }),
        s('text', { x: xi + (late ? -4 : 4), y: T - 8, class: 'axis-label intervention-label', 'text-anchor': late ? 'end' : 'start' },
          `${r.action ? r.action.name : 'action'} starts · ${r.interventionDay}`));
    }
    const every = Math.max(1, Math.ceil(n / 8));
    pts.forEach((p, i) => {
      if (i === n - 1 || (i % every === 0 && n - 1 - i >= every / 2)) kids.push(s('text', { x: x(i), y: H - 8, class: 'axis-label', 'text-anchor': 'middle' }, p.day.slice(5)));
      const w = (W - L - R) / Math.max(1, n);
      kids.push(s('rect', { x: L + i * w, y: T, width: w, height: H - T - B, class: 'hover' },
        s('title', {}, `${p.day}${p.post ? ' (after)' : ''}\nobserved ${fmt(p.observed)} · counterfactual ${fmt(p.counterfactual)}`
          + (finite(p.lower) ? ` [${fmt(p.lower)}, ${fmt(p.upper)}]` : '') + (finite(p.synthetic) ? ` · synthetic ${fmt(p.synthetic)}` : ''))));
    });
    svg.setAttribute('aria-label', `${r.metric} per day at ${brandName(r.brand)}, observed against the counterfactual, `
      + `${r.preFrom} to ${r.postTo}; the action starts on ${r.interventionDay}`);
    svg.replaceChildren(...kids);
  }

  /** An axis label with the decimals its step needs. */
  const tick = (v, step) => {
    const d = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
    return (v < -step / 2 ? '−' : '') + Math.abs(v < step / 2 && v > -step / 2 ? 0 : v)
      .toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  };

  function niceStep(raw) {
    if (!(raw > 0)) return 1;
    const p = 10 ** Math.floor(Math.log10(raw)), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  // ---- the declaration form
  const form = $('action-form');
  const clearErrors = () => {
    form.querySelectorAll('.field-error').forEach((n) => { n.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
  };
  /** A bare day means its start, UTC; anything else goes as typed and the server says if it is wrong. */
  const instant = (raw) => (/^\d{4}-\d{2}-\d{2}$/.test(raw) ? raw + 'T00:00:00Z' : raw);

  function showFieldError(field, message) {
    const slot = form.querySelector('.field-error[data-field="' + CSS.escape(field || '') + '"]');
    if (!slot) return false;
    slot.textContent = message;
    const input = slot.closest('.field').querySelector('input, select');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    return true;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const b = brand;
    if (!b) return;
    clearErrors();
    const status = $('action-form-status');
    status.className = 'form-status';
    status.textContent = 'declaring…';
    const body = { name: $('action-name').value.trim(), kind: $('action-kind').value,
      starts: instant($('action-starts').value.trim()), description: $('action-description').value.trim() };
    const ends = $('action-ends').value.trim();
    if (ends) body.ends = instant(ends);
    $('action-submit').disabled = true;
    try {
      const a = await api('/api/brands/' + enc(b) + '/actions', { method: 'POST', body });
      status.textContent = `declared “${a.name}” (#${a.id})`;
      status.className = 'form-status ok';
      form.reset();
      if (b === brand) await loadActions(b, a.id);
    } catch (err) {
      if (err instanceof AuthError) return;
      status.className = 'form-status bad';
      if (err.status === 403 && err.code === 'role') status.textContent = 'your token cannot do this (' + (err.reason || 'role') + ')';
      else if (err.status === 400 && showFieldError(err.field, err.reason || err.message)) status.textContent = '';
      else status.textContent = err.message;
    } finally {
      $('action-submit').disabled = false;
    }
  });

  return { brand: load };
});
