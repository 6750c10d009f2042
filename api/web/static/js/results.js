// results.js: the results area — summary line, Liste | Carte switch, sort,
// Excel export, the table of établissements that unfold to their UOs, the
// DSFR pagination, the notice of the 200 cap and the non-geolocated list.
// The skeleton is built once so that the map survives new searches.

import { h, fill, formatKm, formatDuration, telLink, callButton, statutBadge, patienteleAbbr } from './dom.js';
import { apiParams } from './api.js';
import { renderFacets } from './facets.js';
import { renderPros } from './pros.js';

// ResultsView owns the #resultats section. nav(params) navigates to a new
// page URL; handlers: onView(view).
export class ResultsView {
  constructor(section, { nav, onView }) {
    this.section = section;
    this.nav = nav;
    this.onView = onView;
    this.expandedFacets = new Set();
    this.build();
  }

  build() {
    // The summary takes the focus after « Retour aux résultats »; the live
    // region says the count of each new answer to screen readers.
    this.summary = h('p', { id: 'resume', class: 'fr-text--lead fr-text--md fr-mb-1v', tabindex: '-1' });
    this.live = h('p', { id: 'resultats-annonce', class: 'fr-sr-only', role: 'status', 'aria-live': 'polite' });
    this.hint = h('p', { class: 'fr-text--sm fr-mb-2v fr-text-mention--grey results-hint' }, 'Vous pouvez affiner votre recherche en sélectionnant des critères complémentaires.');
    this.tri = h('select', { class: 'fr-select', id: 'tri', name: 'tri' },
      h('option', { value: 'distance' }, 'Distance'),
      h('option', { value: 'pertinence' }, 'Pertinence'));
    this.tri.addEventListener('change', () => this.go({ tri: this.tri.value, page: null }));
    this.exportLink = h('a', { id: 'export-xlsx', class: 'fr-btn fr-btn--secondary fr-btn--sm fr-icon-download-line fr-btn--icon-left', download: '' }, 'Export Excel');
    this.viewList = h('input', { type: 'radio', name: 'vue', id: 'vue-liste', value: 'liste' });
    this.viewMap = h('input', { type: 'radio', name: 'vue', id: 'vue-carte', value: 'carte' });
    for (const r of [this.viewList, this.viewMap]) r.addEventListener('change', () => r.checked && this.onView(r.value));
    const segmented = h('fieldset', { class: 'fr-segmented fr-segmented--sm fr-segmented--no-legend' },
      h('legend', { class: 'fr-segmented__legend' }, 'Affichage des résultats'),
      h('div', { class: 'fr-segmented__elements' },
        h('div', { class: 'fr-segmented__element' }, this.viewList, h('label', { class: 'fr-label fr-icon-list-unordered', for: 'vue-liste' }, 'Liste')),
        h('div', { class: 'fr-segmented__element' }, this.viewMap, h('label', { class: 'fr-label fr-icon-map-pin-2-line', for: 'vue-carte' }, 'Carte'))));
    const toolbar = h('div', { class: 'results-toolbar' },
      segmented,
      h('div', { class: 'fr-select-group tri-group' }, h('label', { class: 'fr-label', for: 'tri' }, 'Trier par'), this.tri),
      this.exportLink);
    this.notice = h('div', { class: 'fr-notice fr-notice--info fr-mb-2v', id: 'tronque', hidden: true },
      h('div', { class: 'fr-container' }, h('div', { class: 'fr-notice__body' },
        h('p', { class: 'fr-notice__title' }, 'La liste s\'arrête aux 200 établissements les plus proches. Préciser le critère ou affiner pour voir les autres.'))));
    this.facets = h('form', { id: 'facettes', class: 'facets', 'aria-label': 'Affiner la recherche' });
    this.facetsToggle = h('button', { type: 'button', class: 'fr-btn fr-btn--tertiary fr-btn--sm fr-icon-filter-line fr-btn--icon-left facets-toggle', 'aria-expanded': 'false', 'aria-controls': 'affiner-panel' }, 'Affiner la recherche');
    this.facetsToggle.addEventListener('click', () => {
      const open = this.facetsToggle.getAttribute('aria-expanded') !== 'true';
      this.facetsToggle.setAttribute('aria-expanded', String(open));
      this.facetsPanel.classList.toggle('is-open', open);
    });
    this.facetsPanel = h('div', { id: 'affiner-panel', class: 'facets-panel' }, this.facets);
    this.listPane = h('div', { id: 'pane-liste' });
    this.mapPane = h('div', { id: 'pane-carte', hidden: true });
    fill(this.section,
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
        h('aside', { class: 'fr-col-12 fr-col-md-4 fr-col-lg-3', id: 'affiner', 'aria-label': 'Affiner la recherche' }, this.facetsToggle, this.facetsPanel),
        h('div', { class: 'fr-col-12 fr-col-md-8 fr-col-lg-9' },
          this.summary, this.live, this.hint, toolbar, this.notice, this.listPane, this.mapPane)));
  }

  // go navigates to the current URL with some parameters changed (null
  // deletes; arrays set a repeated parameter).
  go(changes) {
    const p = new URLSearchParams(this.params);
    for (const [k, v] of Object.entries(changes)) {
      p.delete(k);
      if (Array.isArray(v)) v.forEach(x => p.append(k, x));
      else if (v !== null && v !== undefined) p.set(k, v);
    }
    this.nav(p);
  }

  href(changes) {
    const p = new URLSearchParams(this.params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) p.delete(k);
      else p.set(k, v);
    }
    return `/?${p}`;
  }

  setView(view) {
    const map = view === 'carte';
    this.viewList.checked = !map;
    this.viewMap.checked = map;
    this.listPane.hidden = map;
    this.mapPane.hidden = !map;
  }

  // busy marks the area as loading, for screen readers and the cursor.
  busy(on) {
    this.section.setAttribute('aria-busy', String(on));
    this.section.classList.toggle('is-busy', on);
  }

  render(res, params) {
    this.params = params;
    const s = res.resume;
    this.summary.textContent = s.texte;
    this.summary.dataset.etablissements = s.etablissements;
    this.summary.dataset.uo = s.uo;
    this.tri.value = res.tri || 'pertinence';
    this.tri.querySelector('[value=distance]').disabled = !params.get('ou');
    const none = s.etablissements === 0 && !(res.non_geolocalisees || []).length;
    // An export of nothing is no export: the link is disabled, not hidden.
    if (none) {
      this.exportLink.removeAttribute('href');
      this.exportLink.setAttribute('aria-disabled', 'true');
    } else {
      this.exportLink.href = `/api/v1/search.xlsx?${apiParams(params)}`;
      this.exportLink.removeAttribute('aria-disabled');
    }
    this.notice.hidden = !s.tronque;
    this.last = res;
    // Re-rendering the panel replaces its checkboxes: the one the user just
    // ticked gets the focus back, so the keyboard stays where it was.
    const focused = document.activeElement && this.facets.contains(document.activeElement) ? document.activeElement.id : '';
    renderFacets(this.facets, res.facettes || [], this);
    if (focused) document.getElementById(focused)?.focus();
    this.live.textContent = s.texte;
    const prosOnly = params.get('dans') === 'professionnels';
    fill(this.listPane,
      prosOnly ? null : (res.etablissements.length ? [this.table(res), this.cards(res)] : h('p', { class: 'fr-mt-2v' }, 'Aucun établissement ne correspond à ces critères.')),
      renderPros(res.professionnels, params),
      this.pagination(res.page, res.pages),
      nonGeolocated(res.non_geolocalisees, this));
  }

  // matchedUnits gives the ids of the units of finess that matched the
  // search on screen, so that the fiche can show them first.
  matchedUnits(finess) {
    const eg = this.last?.etablissements?.find(e => e.finess === finess);
    return eg ? (eg.uo || []).map(u => u.id) : [];
  }

  // cards are the phone's list (below 768 px, where the table would scroll
  // sideways): name, commune, km · min, the phone as a tap target, the
  // matching units and « Ouvrir la fiche ».
  cards(res) {
    const first = (res.page - 1) * (res.par_page || 15);
    return h('ol', { class: 'eg-cards fr-raw-list', id: 'cartes-etablissements', 'aria-label': 'Établissements trouvés, du plus proche au plus lointain' },
      res.etablissements.map((eg, i) => {
        const titleId = `carte-eg-${eg.finess}`;
        return h('li', { class: 'eg-card', dataset: { finess: eg.finess, distance: eg.distance_km ?? '' }, 'aria-labelledby': titleId },
          h('h3', { class: 'eg-card__title', id: titleId },
            h('span', { class: 'eg-rank', 'aria-hidden': 'true' }, first + i + 1), ' ', eg.nom),
          h('p', { class: 'eg-card__where' }, [eg.commune?.nom, eg.departement?.code ? `(${eg.departement.code})` : null].filter(Boolean).join(' ')),
          eg.distance_km != null ? h('p', { class: 'eg-card__distance' }, formatKm(eg.distance_km), ' · ', formatDuration(eg), lieuNote(eg)) : null,
          h('ul', { class: 'eg-card__units', 'aria-label': `Unités correspondantes (${eg.nb_uo})` },
            (eg.uo || []).map(u => h('li', {},
              h('span', { class: 'eg-card__unit' }, u.nom || u.type_uo?.label || ''),
              u.type_uo?.label && u.nom && u.nom !== u.type_uo.label ? h('span', { class: 'eg-card__type' }, ` — ${u.type_uo.label}`) : null,
              intervient(u),
              u.disponibilite ? h('span', { class: 'eg-card__dispo' }, u.disponibilite) : null,
              provenance(u)))),
          h('div', { class: 'eg-card__actions' },
            eg.telephone ? callButton(eg.telephone) : null,
            h('a', { class: 'fr-btn fr-btn--secondary fr-btn--sm', href: this.href({ eg: eg.finess }), 'data-nav': '' }, 'Ouvrir la fiche',
              h('span', { class: 'fr-sr-only' }, ` de ${eg.nom}`))));
      }));
  }

  table(res) {
    const first = (res.page - 1) * (res.par_page || 15);
    const rows = [];
    res.etablissements.forEach((eg, i) => {
      const id = `uo-${eg.finess}`;
      const toggle = h('button', { type: 'button', class: 'eg-toggle', 'aria-expanded': 'false', 'aria-controls': id },
        h('span', { class: 'eg-rank', 'aria-hidden': 'true' }, first + i + 1), h('span', { class: 'eg-name' }, eg.nom));
      const detail = h('tr', { class: 'uo-row', id, hidden: true }, h('td', { colspan: 7 }, uoTable(eg, this)));
      toggle.addEventListener('click', () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        detail.hidden = !open;
      });
      rows.push(h('tr', { class: 'eg-row', dataset: { finess: eg.finess, distance: eg.distance_km ?? '', nbUo: eg.nb_uo } },
        h('th', { scope: 'row' }, toggle),
        h('td', {}, eg.departement?.nom || eg.departement?.code || ''),
        h('td', {}, eg.commune?.nom || ''),
        h('td', { class: 'nowrap' }, telLink(eg.telephone)),
        h('td', { class: 'num' }, formatKm(eg.distance_km), lieuNote(eg)),
        h('td', { class: 'num', title: eg.duree_estimee ? `durée estimée (${eg.duree_methode === 'osrm' ? 'calculateur d\'itinéraire' : 'modèle'})` : null }, formatDuration(eg)),
        h('td', { class: 'num' }, eg.nb_uo)), detail);
    });
    return h('div', { class: 'fr-table fr-table--sm fr-mb-2v results-table' },
      h('div', { class: 'fr-table__wrapper' }, h('div', { class: 'fr-table__container' }, h('div', { class: 'fr-table__content' },
        h('table', { id: 'table-etablissements' },
          h('caption', { class: 'fr-sr-only' }, 'Établissements trouvés, du plus proche au plus lointain ; chaque nom déplie ses unités'),
          h('thead', {}, h('tr', {}, ['Établissement', 'Département', 'Commune', 'Téléphone', 'Distance', 'Durée', 'UO']
            .map((t, i) => h('th', { scope: 'col', class: i >= 4 ? 'num' : null }, t)))),
          h('tbody', {}, rows))))));
  }

  pagination(page, pages) {
    if (!pages || pages <= 1) return null;
    const link = (n, label, cls, opts = {}) => {
      if (n < 1 || n > pages || n === page && !opts.current) {
        return h('li', {}, h('a', { class: `fr-pagination__link ${cls}`, 'aria-disabled': 'true', role: 'link' }, label));
      }
      return h('li', {}, h('a', {
        class: `fr-pagination__link ${cls}`, href: this.href({ page: n === 1 ? null : n }), 'data-nav': '',
        'aria-current': opts.current ? 'page' : null, title: opts.title || `Page ${n}`,
      }, label));
    };
    const items = [
      link(1, 'Première page', 'fr-pagination__link--first'),
      link(page - 1, 'Page précédente', 'fr-pagination__link--prev fr-pagination__link--lg-label'),
    ];
    let last = 0;
    for (let n = 1; n <= pages; n++) {
      if (n !== 1 && n !== pages && Math.abs(n - page) > 2) continue;
      if (n - last > 1) items.push(h('li', {}, h('span', { class: 'fr-pagination__link fr-displayed-lg' }, '…')));
      items.push(link(n, String(n), n === page ? '' : Math.abs(n - page) > 1 ? 'fr-displayed-lg' : '', { current: n === page }));
      last = n;
    }
    items.push(link(page + 1, 'Page suivante', 'fr-pagination__link--next fr-pagination__link--lg-label'));
    items.push(link(pages, 'Dernière page', 'fr-pagination__link--last'));
    return h('nav', { role: 'navigation', class: 'fr-pagination fr-mt-2v', 'aria-label': 'Pagination des résultats' },
      h('ul', { class: 'fr-pagination__list' }, items));
  }
}

// provenance says, discreetly under a unit, where its description comes
// from (« description dérivée des données publiques — non validée par
// l'établissement »), as the fiche does.
function provenance(u) {
  return u.provenance_libelle ? h('span', { class: 'uo-provenance fr-text-mention--grey' }, u.provenance_libelle) : null;
}

// uoTable lists the matching units of one établissement.
// intervient is the badge of a mobile unit whose zone d'intervention holds
// the commune searched (its row's distance is its base's).
function intervient(u) {
  return u.intervient_a ? h('span', { class: 'fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1v' }, `intervient à ${u.intervient_a}`) : null;
}

function uoTable(eg, view) {
  return h('div', { class: 'uo-detail' },
    h('p', { class: 'fr-text--sm fr-mb-1v' },
      [eg.adresse, [eg.code_postal, eg.commune?.nom].filter(Boolean).join(' ')].filter(Boolean).join(', '), ' — ',
      h('a', { class: 'fr-link fr-link--sm fr-icon-arrow-right-line fr-link--icon-right', href: view.href({ eg: eg.finess }), 'data-nav': '' },
        'Ouvrir la fiche')),
    h('table', { class: 'uo-table' },
      h('caption', { class: 'fr-sr-only' }, `Unités de ${eg.nom}`),
      h('thead', {}, h('tr', {}, ['Type d\'UO', 'Nom de l\'UO', 'Statut', 'Disponibilité', 'Téléphone', 'Patientèle']
        .map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, (eg.uo || []).map(u => h('tr', {},
        h('td', {}, u.type_uo?.label || u.type_uo?.code || ''),
        h('td', {}, u.nom, intervient(u), provenance(u)),
        h('td', {}, statutBadge(u.statut)),
        h('td', {}, u.disponibilite || ''),
        h('td', { class: 'nowrap' }, telLink(u.telephone)),
        h('td', {}, patienteleAbbr(u.patientele)))))));
}

// nonGeolocated lists the établissements that match but have no position,
// so no distance: the ROR shows them apart ("EG non géolocalisées").
export function nonGeolocated(list, view) {
  if (!list || !list.length) return null;
  return h('section', { class: 'non-geo fr-mt-3v', 'aria-labelledby': 'non-geo-title' },
    h('h2', { class: 'fr-h6 fr-mb-1v', id: 'non-geo-title' }, `EG non géolocalisées (${list.length})`),
    h('ul', { class: 'fr-raw-list' }, list.map(eg => h('li', { class: 'fr-mb-1v', dataset: { nbUo: eg.nb_uo } },
      h('a', { class: 'fr-link fr-link--sm', href: view.href({ eg: eg.finess }), 'data-nav': '' }, eg.nom),
      h('span', { class: 'fr-text--xs fr-ml-1v' }, ` ${eg.commune?.nom || eg.commune || ''} · ${eg.nb_uo} UO`)))));
}

// lieuNote says from which lieu de réalisation the distance is measured,
// when it is not the établissement's own address.
function lieuNote(eg) {
  if (!eg.lieu) return null;
  return h('span', { class: 'fr-text--xs lieu-mesure', dataset: { lieu: eg.lieu.id } },
    ` · au lieu « ${eg.lieu.nom} »${eg.lieu.commune && eg.lieu.commune.nom ? ` (${eg.lieu.commune.nom})` : ''}`);
}
