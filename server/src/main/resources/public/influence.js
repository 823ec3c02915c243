// Influencers (docs/MODELS-CAUSAL.md, "Influencers live"): per brand, each party's active influence
// (their pushes: posts, shares, wearing it before followers) and passive influence (being seen with
// the brand), each with the lift in everyone else's purchases of the brand the week after, and the
// evidence; on the customer 360, the person's own influence on each brand.
'use strict';
(window.FusionViews = window.FusionViews || []).push(({ $, h, api, AuthError, enc, finite, when }) => {
  let brand = null, person = null;
  const times = (x) => (finite(x) ? x.toFixed(2) + '×' : '–');
  const reach = (n) => (n >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : n >= 1e3 ? Math.round(n / 1e3) + 'k' : String(n));

  /** "1.41× [1.07, 1.85] p 0.007 · 119/237 in, 202/567 out" or why there is nothing to compare. */
  function lift(l, kind) {
    if (!l || !l.exposures) {
      const left = l && l.leftOut ? ` (${l.leftOut} left out: another notable ${kind} of the brand the same week)` : '';
      return h('span', { class: 'muted' }, 'no clean ' + kind + left);
    }
    return h('span', { class: l.significant ? 'good' : '' },
      h('b', {}, times(l.ratio)), ` [${times(l.lower)}, ${times(l.upper)}]`,
      h('span', { class: 'muted small' }, ` p ${finite(l.p) ? l.p.toPrecision(2) : '–'} · ${l.exposures} exp. · brand ${l.inside} of ${l.inside + l.insideOther} purchases after, ${l.outside} of ${l.outside + l.outsideOther} otherwise`));
  }

  const evidence = (list) => h('ul', { class: 'evidence' }, ...list.slice(0, 5).map((e) =>
    h('li', {}, h('span', { class: 'badge' }, e.kind), ' ', when(e.time), ' · ', e.description,
      e.reach ? h('span', { class: 'muted' }, ' · reach ' + reach(e.reach)) : null)),
    list.length > 5 ? h('li', { class: 'muted' }, `and ${list.length - 5} more`) : null);

  const roleBadge = (r) => h('span', { class: 'badge role role-' + r.replace(/ /g, '-') }, r);

  async function loadBrand(id) {
    brand = id;
    let a;
    try { a = await api('/api/influencers?brand=' + enc(id) + '&limit=20'); } catch (e) {
      if (e instanceof AuthError || id !== brand) return;
      $('influencers-note').textContent = 'No influencers: ' + (e.reason || e.message);
      return;
    }
    if (id !== brand) return;
    const rows = a.influencers.filter((r) => r.role !== 'no detectable effect' || r.pushes + r.sightings > 0);
    $('influencers-note').textContent = a.total
      ? `${a.total} parties linked to the brand in public; lift = the brand's share of everyone else's purchases in the ${a.windowDays} days after, against otherwise; significant at a ${Math.round(a.falseDiscoveryRate * 100)}% false discovery rate over all of them.`
      : 'nobody has pushed or been seen with this brand in public yet';
    $('influencers-table').tBodies[0].replaceChildren(...rows.map((r) =>
      h('tr', { class: 'influencer', 'data-party': r.party, 'data-role': r.role },
        h('td', {}, h('a', { href: '#' + new URLSearchParams({ profile: r.party, brand: id }) }, r.party)),
        h('td', {}, roleBadge(r.role)),
        h('td', {}, `${r.pushes} (reach ${reach(r.reach)})`),
        h('td', {}, lift(r.afterPushes, 'push')),
        h('td', {}, String(r.sightings)),
        h('td', {}, lift(r.afterSightings, 'sighting')),
        h('td', {}, evidence(r.evidence)))));
  }

  async function loadProfile(id) {
    person = id;
    let a;
    try { a = await api('/api/profiles/' + enc(id) + '/influence'); } catch (e) {
      if (e instanceof AuthError || id !== person) return;
      $('influence').replaceChildren(h('p', { class: 'note refused' }, 'No influence: ', e.reason || e.message));
      return;
    }
    if (id !== person) return;
    $('influence').replaceChildren(a.influencers.length
      ? h('ul', { class: 'influence-list' }, ...a.influencers.map((r) =>
        h('li', { class: 'influence', 'data-brand': r.brand, 'data-role': r.role },
          h('b', {}, r.brand), ' ', roleBadge(r.role), ' · after pushes ', lift(r.afterPushes, 'push'),
          ' · after sightings ', lift(r.afterSightings, 'sighting'), evidence(r.evidence))))
      : h('p', { class: 'muted' }, 'never pushed nor was seen with a brand in public'));
  }

  return { brand: loadBrand, profile: loadProfile };
});
