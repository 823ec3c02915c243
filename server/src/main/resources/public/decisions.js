// Decisions (docs/DECISIONS.md): in the customer 360, the person's decisions with their reasons and
// a button to decide now; in the brand section, the dead letters with a button to re-send. Reading
// decisions and listing dead letters are audited, so both load on selection and on demand, never
// on the poll.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, when, brandName, guard, state, motion }) => {
  let current = null;

  const refusal = (e) => (e.status === 403 && e.code === 'role' ? 'your token cannot do this (' + (e.reason || 'role') + ')'
    : e.reason || e.message);
  const STATUS_PILL = { delivered: 'pill-scored', withheld: 'pill-denied', dead: 'pill-denied', none: 'pill-kept' };
  const statusPill = (st) => h('span', { class: 'pill ' + (STATUS_PILL[st] || 'pill-pending'), title: 'status: ' + st }, st || '–');

  function setStatus(node, message, kind) {
    node.textContent = message || '';
    node.className = 'form-status' + (kind ? ' ' + kind : '');
  }

  // ---- the person's decisions
  async function load(id) {
    current = id;
    $('decide-answer').hidden = true;
    setStatus($('decide-status'), '');
    brandOptions();
    await loadDecisions(id);
  }

  /** Own brands the person deals with directly, most events first: the first is their main brand. */
  function brandOptions() {
    const rels = (state.relationships || []).filter((r) => !r.associationOnly);
    const own = rels.filter((r) => !r.competitor);
    const shown = (own.length ? own : rels).slice().sort((a, b) => b.events - a.events);
    $('decide-brand').replaceChildren(...(shown.length ? shown.map((r, i) => h('option', { value: r.brand, selected: i === 0 },
      brandName(r.brand) + (r.competitor ? ' (competitor)' : '')))
      : [h('option', { value: '' }, 'the default brand')]));
  }

  async function loadDecisions(id) {
    let d;
    try { d = await api('/api/profiles/' + enc(id) + '/decisions'); } catch (e) {
      if (e instanceof AuthError || id !== current) return;
      $('decisions-table').tBodies[0].replaceChildren(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No decisions: ' + refusal(e))));
      return;
    }
    if (id !== current) return;
    const rows = (d.decisions || []).slice().reverse();
    $('decisions-table').tBodies[0].replaceChildren(...(rows.length ? rows.map(decisionRow)
      : [h('tr', { class: 'empty' }, h('td', { colspan: 8, class: 'muted' }, 'no decisions yet'))]));
  }

  const dash = (x) => (x === null || x === undefined || x === '' ? '–' : String(x));

  function reasonsList(reasons, open) {
    return h('details', { class: 'reasons', open },
      h('summary', {}, 'all ' + reasons.length + ' reasons'),
      h('ol', { class: 'reason-list' }, reasons.map((r) => h('li', { 'data-code': r.code },
        h('code', { class: 'code' }, r.code), ' ', r.sentence))));
  }

  const primaryReason = (p) => (p ? h('span', { class: 'primary-reason', 'data-code': p.code },
    h('code', { class: 'code' }, p.code), ' ', p.sentence) : '–');

  const decisionRow = (d) => h('tr', { class: 'decision outcome-' + d.outcome, 'data-id': d.id, 'data-outcome': d.outcome,
    'data-status': d.status, 'data-primary': d.primary ? d.primary.code : '' },
  h('td', { class: 'time', title: d.decidedAt || '' }, when(d.decidedAt)),
  h('td', {}, brandName(d.brand)),
  h('td', {}, h('span', { class: 'badge outcome-badge ' + (d.outcome === 'act' ? 'ok-badge' : '') }, d.outcome === 'act' ? 'act' : 'nothing')),
  h('td', { class: 'action' }, dash(d.action)),
  h('td', {}, dash(d.channel)),
  h('td', { class: 'time', title: d.sendAt || '' }, d.sendAt ? when(d.sendAt) : '–'),
  h('td', { class: 'status-cell' }, statusPill(d.status)),
  h('td', { class: 'name why' }, primaryReason(d.primary), reasonsList(d.reasons || [], false)));

  // ---- decide now
  $('decide-now').addEventListener('click', async () => {
    const id = current;
    if (!id) return;
    const body = { profile: id };
    if ($('decide-brand').value) body.brand = $('decide-brand').value;
    $('decide-now').disabled = true;
    setStatus($('decide-status'), 'deciding…');
    try {
      const d = await api('/api/decisions', { method: 'POST', body });
      if (id !== current) return;
      setStatus($('decide-status'), d.delivery || '', 'ok');
      showAnswer(d);
      await loadDecisions(id);
    } catch (e) {
      if (e instanceof AuthError) return;
      setStatus($('decide-status'), refusal(e), 'bad');
    } finally {
      $('decide-now').disabled = false;
    }
  });

  function showAnswer(d) {
    const act = d.outcome === 'act';
    $('decide-answer').hidden = false;
    $('decide-answer').dataset.id = d.id;
    $('decide-answer').dataset.primary = d.primary ? d.primary.code : '';
    $('decide-answer').replaceChildren(
      h('div', { class: 'answer-head' }, h('b', {}, act ? 'Act: ' + d.action : 'Nothing to do'), ' for ', brandName(d.brand),
        act ? ` · ${d.channel} · ${d.purpose} · send ${when(d.sendAt)} UTC · ` : ' · ', statusPill(d.status)),
      h('p', { class: 'small' }, primaryReason(d.primary)),
      reasonsList(d.reasons || [], true));
  }

  // ---- dead letters (operator)
  async function loadDead() {
    let r;
    try { r = await api('/api/deliveries?status=dead'); } catch (e) {
      if (e instanceof AuthError) return;
      $('dead-note').hidden = false;
      $('dead-note').textContent = e.status === 403 ? 'Only an operator or admin token can list dead letters; this one cannot.'
        : refusal(e);
      $('dead-letters').hidden = true;
      return;
    }
    $('dead-note').hidden = true;
    $('dead-letters').hidden = false;
    const rows = r.deliveries || [];
    $('dead-letters').tBodies[0].replaceChildren(...(rows.length ? rows.map(deadRow)
      : [h('tr', { class: 'empty' }, h('td', { colspan: 8, class: 'muted' }, 'no dead letters'))]));
  }

  const deadRow = (d) => h('tr', { class: 'dead-letter', 'data-key': d.key },
    h('td', { class: 'time', title: d.updated || '' }, when(d.updated)),
    h('td', {}, d.profile ? h('a', { href: '#profile=' + enc(d.profile), title: 'open ' + d.profile + ' in the customer 360',
      onclick: () => $('customer-section').scrollIntoView({ behavior: motion(), block: 'start' }) }, d.profile) : '–'),
    h('td', {}, dash(d.channel)), h('td', {}, dash(d.attempts)), h('td', {}, dash(d.lastStatus)),
    h('td', { class: 'name', title: (d.attemptLog || []).map((a) => `#${a.attempt} ${when(a.at)}: ${a.status} ${a.error || ''}`).join('\n') },
      dash(d.lastError), lastAttemptError(d)),
    h('td', { title: d.key }, h('code', { class: 'code' }, String(d.key).slice(0, 12) + (String(d.key).length > 12 ? '…' : ''))),
    h('td', {}, h('button', { type: 'button', class: 'link-button resend', 'aria-label': 'Resend ' + d.key,
      onclick: (e) => resend(d.key, e.currentTarget) }, 'Resend')));

  const lastAttemptError = (d) => {
    const last = (d.attemptLog || []).slice(-1)[0];
    return last && last.error ? h('span', { class: 'muted small' }, ' · ' + last.error) : null;
  };

  async function resend(key, button) {
    button.disabled = true;
    setStatus($('dead-status'), 're-sending ' + key + '…');
    try {
      const r = await api('/api/deliveries/' + enc(key) + '/resend', { method: 'POST' });
      setStatus($('dead-status'), 're-sending ' + key + ' (' + r.consent + ')', 'ok');
      await loadDead();
    } catch (e) {
      if (e instanceof AuthError) return;
      setStatus($('dead-status'), refusal(e), 'bad');
      button.disabled = false;
    }
  }
  $('dead-refresh').addEventListener('click', () => guard(loadDead()));

  // ---- does an action work? (uplift against the holdout; reading it is audited: on demand only)
  async function loadActions() {
    let r;
    try { r = await api('/api/actions'); } catch (e) {
      if (e instanceof AuthError) return;
      setStatus($('uplift-status'), refusal(e), 'bad');
      return;
    }
    const actions = (r.actions || []).slice().sort((a, b) => (b.holdout.share > 0) - (a.holdout.share > 0));
    $('uplift-action').replaceChildren(...actions.map((a) => h('option', { value: a.id },
      a.id + (a.holdout.share > 0 ? ' (' + Math.round(a.holdout.share * 100) + '% held out)' : ' (no holdout)'))));
    try {
      const audiences = await api('/api/audiences/rules');
      $('uplift-audience').replaceChildren(h('option', { value: '' }, 'everyone'),
        ...(audiences || []).map((a) => h('option', { value: a.id }, a.name || a.id)));
    } catch (e) {
      if (e instanceof AuthError) return; // without audiences, everyone is still measured
    }
  }

  const figure = (outcome, x) => (x === null || x === undefined ? '–'
    : outcome === 'purchase' || outcome === 'lapse' ? (100 * x).toFixed(1) + '%' : (x >= 0 ? '+' : '') + x.toFixed(3));

  $('uplift-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const action = $('uplift-action').value;
    if (!action) return;
    const q = new URLSearchParams({ outcome: $('uplift-outcome').value, days: $('uplift-days').value });
    if ($('uplift-audience').value) q.set('audience', $('uplift-audience').value);
    $('uplift-measure').disabled = true;
    setStatus($('uplift-status'), 'measuring…');
    try {
      const u = await api('/api/actions/' + enc(action) + '/uplift?' + q);
      setStatus($('uplift-status'), u.note || '', u.note ? 'bad' : 'ok');
      $('uplift-result').hidden = false;
      $('uplift-result').dataset.tooFew = String(u.tooFew);
      $('uplift-sentence').textContent = u.sentence;
      $('uplift-sentence').className = u.tooFew ? 'muted' : (u.uplift && (u.uplift.low > 0 || u.uplift.high < 0) ? 'ok' : '');
      $('uplift-table').tBodies[0].replaceChildren(
        h('tr', { class: 'arm-treated' }, h('td', {}, 'decided for'), h('td', {}, String(u.treated.people)),
          h('td', {}, figure(u.outcome, u.treated.figure))),
        h('tr', { class: 'arm-held-out' }, h('td', {}, 'held out'), h('td', {}, String(u.heldOut.people)),
          h('td', {}, figure(u.outcome, u.heldOut.figure))));
      $('uplift-window').textContent = u.meaning + '. Counted: ' + u.window.counted
        + (u.window.from ? ' (decisions ' + when(u.window.from) + ' to ' + when(u.window.to) + ' UTC)' : '')
        + '. Not counted yet: ' + u.pending + (u.audience ? '; outside the audience: ' + u.notInAudience : '') + '.';
    } catch (e) {
      if (e instanceof AuthError) return;
      setStatus($('uplift-status'), refusal(e), 'bad');
    } finally {
      $('uplift-measure').disabled = false;
    }
  });

  return { profile: load, start: () => Promise.all([loadDead(), loadActions()]) };
});
