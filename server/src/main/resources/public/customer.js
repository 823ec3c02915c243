// Customer 360, the personal parts: consent (verdicts, ledger, a form to change it), the next step
// of each journey, and the audit of who touched this customer's data. Every one of these reads is
// itself audited, so they load once per selected customer and on demand, never on the poll.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, enc, finite, when, brandName, guard }) => {
  let current = null;
  const pct = (x) => (finite(x) ? (x * 100).toFixed(x > 0 && x < 0.01 ? 1 : 0) + '%' : '–');
  const seconds = (iso) => (iso ? String(iso).replace('T', ' ').slice(0, 19) : '–');
  const purposeLabel = (p) => String(p || '').toLowerCase();

  async function load(id) {
    current = id;
    // the audit comes last so that it lists the reads just made
    await Promise.allSettled([guard(loadNextStep(id)), guard(loadConsent(id))]);
    await guard(loadAudit(id));
  }

  // ---- consent
  async function loadConsent(id) {
    const c = await api('/api/profiles/' + enc(id) + '/consents');
    if (id !== current) return;
    const verdicts = c.verdicts || [], history = c.history || [];
    $('consent-verdicts').tBodies[0].replaceChildren(...verdicts.map(verdictRow));
    $('consent-history').replaceChildren(...(history.length ? history.map(historyItem)
      : [h('li', { class: 'muted empty' }, 'nothing recorded yet: the defaults above apply')]));
  }

  function lapse(v) {
    if (v.validUntil) return h('span', { title: v.validUntil }, when(v.validUntil));
    if (v.code === 'granted') return 'no expiry';
    return h('span', { class: 'muted' }, '–');
  }

  const verdictRow = (v) => h('tr', { class: 'verdict ' + (v.allowed ? 'allowed' : 'denied'), 'data-purpose': purposeLabel(v.purpose),
    'data-channel': v.channel || '', 'data-code': v.code },
  h('td', { class: 'purpose' }, purposeLabel(v.purpose)),
  h('td', { class: 'channel' }, v.channel || h('span', { class: 'muted' }, 'every channel')),
  h('td', {}, h('span', { class: 'pill ' + (v.allowed ? 'pill-scored' : 'pill-denied') }, v.allowed ? 'allowed' : 'denied')),
  h('td', {}, h('code', { class: 'code' }, v.code || '')),
  h('td', { class: 'name reason' }, v.reason || ''),
  h('td', { class: 'lapses' }, lapse(v)));

  const historyItem = (r) => h('li', { class: 'consent-record ' + (r.granted ? 'granted' : 'revoked'),
    'data-purpose': purposeLabel(r.purpose), 'data-channel': r.channel || '' },
  h('span', { class: 'time', title: r.at || '' }, when(r.at)),
  h('span', { class: 'badge ' + (r.granted ? 'ok-badge' : 'revoked-badge') }, r.granted ? 'granted' : 'revoked'),
  h('b', {}, purposeLabel(r.purpose)), h('span', {}, r.channel ? 'on ' + r.channel : 'on every channel'),
  h('span', { class: 'muted small' }, r.expires ? 'until ' + when(r.expires) : r.granted ? 'no expiry' : ''),
  h('span', { class: 'muted small source' }, r.source ? 'source: ' + r.source : ''));

  // ---- the consent form
  const form = $('consent-form');
  const fieldErrors = () => form.querySelectorAll('.field-error');
  const granted = () => form.elements.granted.value === 'true';
  function syncTtl() { $('consent-ttl').disabled = !granted(); }
  form.querySelectorAll('input[name=granted]').forEach((r) => r.addEventListener('change', syncTtl));

  function showFieldError(field, message) {
    const slot = form.querySelector('.field-error[data-field="' + CSS.escape(field || '') + '"]');
    if (!slot) return false;
    slot.textContent = message;
    const input = slot.closest('.field').querySelector('input, select');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    return true;
  }

  function formStatus(message, kind) {
    $('consent-form-status').textContent = message || '';
    $('consent-form-status').className = 'form-status' + (kind ? ' ' + kind : '');
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = current;
    if (!id) return;
    fieldErrors().forEach((n) => { n.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
    formStatus('recording…');
    const body = { purpose: form.elements.purpose.value, granted: granted(), source: 'dashboard' };
    const channel = $('consent-channel').value.trim();
    if (channel) body.channel = channel;
    const ttl = $('consent-ttl').value.trim();
    if (body.granted && ttl !== '') body.ttlDays = Number(ttl);
    $('consent-submit').disabled = true;
    try {
      const v = await api('/api/profiles/' + enc(id) + '/consents', { method: 'POST', body });
      formStatus('recorded: ' + (v.reason || v.code), 'ok');
      if (id === current) await Promise.all([guard(loadConsent(id)), guard(loadNextStep(id))]);
      if (id === current) await guard(loadAudit(id));
    } catch (err) {
      if (err.status === 403 && err.code === 'role') formStatus('your token cannot do this (' + (err.reason || 'role') + ')', 'bad');
      else if (err.status === 400 && showFieldError(err.field, err.reason || err.message)) formStatus('');
      else formStatus(err.message, 'bad');
    } finally {
      $('consent-submit').disabled = false;
    }
  });

  // ---- audit (admin only)
  async function loadAudit(id) {
    let rows;
    try { rows = await api('/api/audit?subject=' + enc(id) + '&limit=50'); } catch (e) {
      if (e.status !== 403 || id !== current) throw e;
      $('audit-note').hidden = false;
      $('audit-note').textContent = 'Only an admin token can read the audit log; this one cannot.';
      $('audit-table').hidden = true;
      return;
    }
    if (id !== current) return;
    $('audit-note').hidden = true;
    $('audit-table').hidden = false;
    $('audit-table').tBodies[0].replaceChildren(...(rows.length ? rows.map(auditRow)
      : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'nothing audited yet'))]));
  }

  const auditRow = (a) => h('tr', { class: 'audit-entry', 'data-id': a.id },
    h('td', { class: 'time', title: a.at || '' }, seconds(a.at)), h('td', { class: 'actor' }, a.actor || '–'),
    h('td', { class: 'role' }, a.role || '–'), h('td', { class: 'name action' }, a.action || '–'),
    h('td', { class: 'status-cell' }, h('span', { class: 'pill ' + (a.status >= 400 ? 'pill-denied' : 'pill-scored') }, String(a.status))));
  $('audit-refresh').addEventListener('click', () => { if (current) guard(loadAudit(current)); });

  // ---- next step
  async function loadNextStep(id) {
    let steps;
    try { steps = await api('/api/profiles/' + enc(id) + '/next-step'); } catch (e) {
      if (e.status !== 403 || id !== current) throw e;
      const optedOut = String(e.code || '').startsWith('consent.');
      $('next-step').replaceChildren(h('p', { class: 'note ' + (optedOut ? 'opted-out' : 'refused') },
        optedOut ? 'No prediction: this person opted out of analytics. ' : 'No prediction: ', e.reason || e.message));
      return;
    }
    if (id !== current) return;
    $('next-step').replaceChildren(...(steps.length ? steps.map(nextStepCard) : [h('p', { class: 'muted' }, 'no journeys yet')]));
  }

  function top(probabilities, n) {
    return Object.entries(probabilities || {}).filter(([, p]) => finite(p)).sort((a, b) => b[1] - a[1]).slice(0, n);
  }

  function outlook(kind, p) {
    if (!p) return h('div', { class: 'outlook' }, h('span', { class: 'muted' }, 'no ' + kind + ' model yet'));
    const rows = top(kind === 'purpose' ? p.nextPurpose : p.nextChannel, 3);
    return h('div', { class: 'outlook', 'data-kind': kind },
      h('div', { class: 'outlook-title' }, 'next ' + kind, h('span', { class: 'muted small', title: 'Markov order used for this journey' },
        ' · order ' + (finite(p.orderUsed) ? p.orderUsed : '–'))),
      rows.length ? h('ol', { class: 'next-list' }, rows.map(([name, prob]) => h('li', { 'data-name': name, title: name + ': ' + pct(prob) },
        h('span', { class: 'next-name' }, name),
        h('span', { class: 'track' }, h('span', { class: 'fill accent', style: { width: Math.max(1, prob * 100).toFixed(1) + '%' } })),
        h('span', { class: 'next-prob' }, pct(prob)))))
        : h('p', { class: 'muted small' }, 'no likely next ' + kind),
      h('p', { class: 'odds small', title: 'the next step is a further touch (listed above), a purchase or the end of the journey; the three add up to 100%' },
        'buys next ', h('b', {}, pct(p.conversion)), ' · leaves next ', h('b', {}, pct(p.dropOut)),
        ' · buys eventually ', h('b', {}, pct(p.eventualConversion))));
  }

  function nextStepCard(n) {
    const channels = n.journeyChannels || [], purposes = n.journeyPurposes || [], starters = n.journeyInitiators || [];
    const started = channels.length - starters.filter((s) => s === 'brand').length;
    const shown = 8, skip = Math.max(0, channels.length - shown);
    return h('div', { class: 'next-step-card', 'data-brand': n.brand },
      h('div', { class: 'next-head' }, h('b', {}, brandName(n.brand)),
        h('span', { class: 'muted small' }, ' · journey of ' + channels.length + (channels.length === 1 ? ' step' : ' steps')
          + (starters.length ? ` (${started} started by the customer, ${channels.length - started} by the brand)` : ''))),
      h('ol', { class: 'journey-steps', 'aria-label': 'current journey with ' + brandName(n.brand) },
        skip ? h('li', { class: 'muted small' }, '… ' + skip + ' earlier') : null,
        channels.slice(skip).map((c, i) => h('li', { class: 'step-chip' + (starters[skip + i] === 'brand' ? ' by-brand' : ''),
          'data-initiator': starters[skip + i] || '',
          title: c + (purposes[skip + i] ? ' · ' + purposes[skip + i] : '') + (starters[skip + i] ? ' · started by the ' + starters[skip + i] : '') },
          c, purposes[skip + i] ? h('span', { class: 'chip-kind' }, ' ' + purposes[skip + i]) : null,
          starters[skip + i] === 'brand' ? h('span', { class: 'chip-kind' }, ' · by brand') : null))),
      h('div', { class: 'outlooks' }, outlook('channel', n.prediction && n.prediction.channel),
        outlook('purpose', n.prediction && n.prediction.purpose)));
  }

  syncTtl();
  return { profile: load };
});
