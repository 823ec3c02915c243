// The ideas stream (docs/IDEAS.md, seed 004): the brand's ideas from its customers' commentary,
// grouped when they say the same thing (Lucene), with votes and a status an operator sets. Adopting
// or shipping credits the contributors in the ledger, and the decision catalogue tells them
// (idea-credit, consent-bound); the answer says who was credited and what each was told.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, when, guard }) => {
  const STATUSES = ['new', 'under_review', 'adopted', 'shipped', 'declined'];
  let brand = null;

  async function load(id) {
    brand = id;
    let list;
    try { list = await api('/api/brands/' + enc(id) + '/ideas?limit=50'); } catch (e) {
      if (e instanceof AuthError || id !== brand) return;
      $('ideas-status').textContent = 'No ideas: ' + (e.reason || e.message);
      return;
    }
    if (id !== brand) return;
    $('ideas-empty').hidden = list.length > 0;
    $('ideas-table').tBodies[0].replaceChildren(...list.map(row));
  }

  const row = (i) => h('tr', { class: 'idea', 'data-idea': i.id, 'data-status': i.status },
    h('td', {}, h('b', {}, i.title),
      i.submissions.length > 1 ? h('ul', { class: 'evidence' }, ...i.submissions.slice(1).map((s) =>
        h('li', {}, `“${s.text}”`, h('span', { class: 'muted small' },
          ` · ${s.profile} · ${s.event} · similarity ${s.similarity == null ? '–' : s.similarity.toFixed(2)}`)))) : null),
    h('td', { class: 'num' }, String(i.contributors.length)),
    h('td', { class: 'num idea-votes' }, String(i.votes)),
    h('td', {}, when(i.first)),
    h('td', {}, statusControl(i)));

  function statusControl(i) {
    const select = h('select', { 'aria-label': 'status of ' + i.title, class: 'idea-status' },
      ...STATUSES.map((s) => h('option', { value: s, selected: s === i.status }, s.replace('_', ' '))));
    select.addEventListener('change', () => guard(change(i, select.value)));
    return select;
  }

  async function change(i, to) {
    $('ideas-status').textContent = 'saving…';
    let r;
    try {
      r = await api('/api/ideas/' + enc(i.id) + '/status', { method: 'POST', body: { status: to } });
    } catch (e) {
      if (e instanceof AuthError) return;
      $('ideas-status').textContent = 'Not changed: ' + (e.reason || e.message);
      await load(brand);
      return;
    }
    const told = (r.told || []).map((t) => `${t.profile}: ${t.outcome === 'act' ? t.action + ' on ' + t.channel : 'not told (' + t.reason + ')'}`);
    $('ideas-status').textContent = `“${i.title}” is ${to.replace('_', ' ')}`
      + (r.credited.length ? `; credited ${r.credited.join(', ')}` : '; no new credit')
      + (told.length ? `; ${told.join('; ')}` : '');
    await load(brand);
  }

  return { brand: load };
});
