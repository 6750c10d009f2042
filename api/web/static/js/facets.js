// facets.js: the refine panel. Each facet is a group of checkboxes with the
// number of matching UOs; checking one re-runs the search with the facet's
// parameter (repeatable: OR within a facet, AND across facets).

import { h, fill } from './dom.js';
import { apiParams, getJSON } from './api.js';

const shown = 6; // values per facet before "Afficher plus"

// The API answers with the most frequent values of each facet and their
// number (nb_valeurs); "Afficher plus" asks for the others
// (facette_complete), and the next searches keep asking while it is open.
export function completeParams(view) {
  return [...view.expandedFacets].map(f => `&facette_complete=${encodeURIComponent(f)}`).join('');
}

// renderFacets fills form with the facets of a result. view gives the
// current params, go(changes) and the set of facets the user expanded.
export function renderFacets(form, facettes, view) {
  const params = view.params;
  const active = facettes.some(f => params.getAll(f.facette).length > 0);
  const reset = h('button', { type: 'button', class: 'fr-btn fr-btn--tertiary-no-outline fr-btn--sm fr-icon-refresh-line fr-btn--icon-left', id: 'reinitialiser', disabled: !active },
    'Réinitialiser');
  reset.addEventListener('click', () => {
    const changes = { page: null };
    for (const f of facettes) changes[f.facette] = null;
    view.go(changes);
  });
  const groups = facettes.filter(f => f.valeurs && f.valeurs.length).map(f => facetGroup(f, params, view));
  fill(form,
    h('div', { class: 'facets-head' }, h('h2', { class: 'fr-h6 fr-mb-0' }, 'Affiner'), reset),
    groups.length ? groups : h('p', { class: 'fr-text--sm' }, 'Aucun critère complémentaire pour ces résultats.'));
}

function facetGroup(f, params, view) {
  const selected = new Set(params.getAll(f.facette));
  const expanded = view.expandedFacets.has(f.facette);
  const values = f.valeurs;
  const legendId = `facette-${f.facette}`;
  const items = values.map((v, i) => {
    const on = v.selectionne || selected.has(v.code);
    const hide = !expanded && i >= shown && !on;
    const id = `f-${f.facette}-${v.code}`.replace(/[^\w-]/g, '_');
    const box = h('input', { type: 'checkbox', id, name: f.facette, value: v.code, checked: on, dataset: { count: v.nombre } });
    box.addEventListener('change', () => {
      const now = new Set(params.getAll(f.facette));
      if (box.checked) now.add(v.code);
      else now.delete(v.code);
      view.go({ [f.facette]: [...now], page: null });
    });
    return h('div', { class: 'fr-fieldset__element', hidden: hide },
      h('div', { class: 'fr-checkbox-group fr-checkbox-group--sm' }, box,
        h('label', { class: 'fr-label', for: id }, v.label || v.code, ' ',
          h('span', { class: 'facet-count', 'aria-label': `${v.nombre} ${params.get('dans') === 'professionnels' ? 'professionnel(s)' : 'UO'}` }, `(${v.nombre})`))));
  });
  let more = null;
  const hidden = Math.max(f.nb_valeurs || 0, values.length) - shown;
  if (hidden > 0) {
    more = h('button', { type: 'button', class: 'fr-btn fr-btn--tertiary-no-outline fr-btn--sm facet-more', 'aria-expanded': String(expanded) },
      expanded ? 'Afficher moins' : `Afficher ${hidden} de plus`);
    more.addEventListener('click', async () => {
      let full = f;
      if (view.expandedFacets.has(f.facette)) view.expandedFacets.delete(f.facette);
      else {
        view.expandedFacets.add(f.facette);
        if ((f.nb_valeurs || 0) > values.length) {
          more.disabled = true;
          try {
            const res = await getJSON(`/api/v1/search?${apiParams(params)}&facette_complete=${encodeURIComponent(f.facette)}`);
            full = (res.facettes || []).find(x => x.facette === f.facette) || f;
          } catch {
            view.expandedFacets.delete(f.facette); // the values shown stay; the button can be tried again
            more.disabled = false;
            return;
          }
        }
      }
      const grp = facetGroup(full, params, view);
      fieldset.replaceWith(grp);
      grp.querySelector('.facet-more')?.focus();
    });
  }
  const count = selected.size ? ` (${selected.size})` : '';
  const fieldset = h('fieldset', { class: 'fr-fieldset facet', id: legendId, 'aria-labelledby': `${legendId}-legend`, dataset: { facette: f.facette, nbValeurs: Math.max(f.nb_valeurs || 0, values.length) } },
    h('legend', { class: 'fr-fieldset__legend fr-text--sm fr-mb-0', id: `${legendId}-legend` }, f.titre + count),
    items, more && h('div', { class: 'fr-fieldset__element' }, more));
  return fieldset;
}
