// pros.js: the liberal professionals of a search (« Professionnels », or
// part of « Tout le ROR »): places of practice nearest first, km · min,
// « Se déplace à domicile » when a home visit reaches the commune, the
// professionals there with their spécificités, the source of the list as
// the service states it, and their own Excel export.

import { h, formatKm, formatDuration, callButton } from './dom.js';

export function renderPros(pa, params) {
  if (!pa) return null;
  const q = new URLSearchParams();
  // The export holds what the list shows: the same words, radius, map
  // view and refine panel.
  for (const k of ['ou', 'q', 'rayon', 'bbox']) if (params.get(k)) q.set(k, params.get(k));
  if (params.get('dans') === 'professionnels') for (const k of ['profession', 'mode', 'specificite']) for (const v of params.getAll(k)) q.append(k, v);
  const list = pa.resultats || [];
  return h('section', { class: 'pros fr-mt-4w', id: 'professionnels', 'aria-labelledby': 'pros-titre' },
    h('h2', { class: 'fr-h5', id: 'pros-titre' }, `Professionnels de santé libéraux : ${pa.lieux} lieu(x) d'exercice, ${pa.professionnels} professionnel(s)`),
    h('p', { class: 'fr-text--sm fr-text-mention--grey', id: 'pros-source' }, pa.source),
    list.length ? h('a', { class: 'fr-btn fr-btn--secondary fr-btn--sm fr-icon-download-line fr-btn--icon-left fr-mb-2v', href: `/api/v1/professionnels.xlsx?${q}`, download: '' }, 'Export Excel des professionnels') : null,
    list.length
      ? h('ol', { class: 'eg-cards fr-raw-list pros-list', 'aria-label': 'Lieux d\'exercice, du plus proche au plus lointain' },
        list.map(l => h('li', { class: 'eg-card pro-card', dataset: { cle: l.cle } },
          h('h3', { class: 'eg-card__title' }, l.nom || 'Cabinet'),
          h('p', { class: 'eg-card__where' }, [l.adresse, l.commune?.libelle || l.commune?.nom].filter(Boolean).join(', '),
            l.placement === 'commune' ? h('span', { class: 'fr-text-mention--grey' }, ' (position : centre de la commune, estimation)') : null),
          l.distance_km != null ? h('p', { class: 'eg-card__distance' }, formatKm(l.distance_km), ' · ', formatDuration(l)) : null,
          l.se_deplace_a_domicile ? h('p', {}, h('span', { class: 'fr-badge fr-badge--sm fr-badge--success pro-domicile' }, 'Se déplace à domicile')) : null,
          h('ul', { class: 'eg-card__units' }, (l.professionnels || []).map(p => h('li', { dataset: { rpps: p.rpps } },
            h('span', { class: 'eg-card__unit' }, p.nom), ` — ${p.profession?.label || ''}`,
            p.savoir_faire ? ` (${p.savoir_faire.label})` : null,
            (p.specificites || []).length ? h('span', { class: 'eg-card__type' }, ` : ${p.specificites.map(s => s.label).join(', ')}`) : null,
            !(p.specificites || []).length && !(p.modes || []).length ? h('span', { class: 'fr-text-mention--grey' }, ' : offre non décrite par le professionnel') : null))),
          l.telephone ? h('div', { class: 'eg-card__actions' }, callButton(l.telephone)) : null)))
      : h('p', {}, 'Aucun professionnel ne correspond à ces critères.'));
}
