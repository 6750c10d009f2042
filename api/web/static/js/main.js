// main.js: the page's controller. The URL is the state: its query string
// holds the API's search parameters (ou, dans, code, q, tri, page, facets,
// bbox) plus three page-only ones (vue, libelle, eg), so a search or a fiche
// can be bookmarked and shared, and Back/Forward replay it (popstate).

import { h, fill } from './dom.js';
import { getJSON, apiParams, Latest, ApiError } from './api.js';
import { Combobox } from './combobox.js';
import { ResultsView } from './results.js';
import { completeParams } from './facets.js';
import { MapView } from './map.js';
import { renderFiche } from './fiche.js';
import { SamuView } from './samu.js';

const $ = id => document.getElementById(id);
const form = $('recherche');
const ouInput = $('ou');
const dansSelect = $('dans');
const critereInput = $('critere');
const tags = $('criteres-choisis');
const errorBox = $('erreur');
const sections = { accueil: $('accueil'), resultats: $('resultats'), fiche: $('fiche'), proximite: $('proximite') };
const searchToggle = $('modifier-recherche');
const fields = $('recherche-champs');
const phone = window.matchMedia('(max-width: 47.99em)');

// The chosen commune and criterion, as the form shows them.
const state = {
  ou: '', // INSEE code of the picked commune, or the raw text typed
  ouLabel: '', // what the input shows for it
  code: '', // code of the picked suggestion
  codeDans: '',
  codeLabel: '',
};
const communes = new Map(); // INSEE → {libelle, centre}, for labels and the map's origin

const search = new Latest();
const ficheReq = new Latest();
let shownKey = null; // API parameters of the results on screen
let shownURL = ''; // the page URL of those results, to go back to when a refinement fails
let lastShown = ''; // the section shown last, to place the focus when coming back

const results = new ResultsView(sections.resultats, {
  nav: params => navigate(params),
  onView: view => navigate(withParam(currentParams(), 'vue', view === 'carte' ? 'carte' : null)),
});
const map = new MapView($('pane-carte'), { view: results, onError: showError });
const samu = new SamuView(sections.proximite, { nav: params => navigate(params), onError: showError, communes });

function currentParams() {
  return new URLSearchParams(location.search);
}

function withParam(params, k, v) {
  const p = new URLSearchParams(params);
  if (v === null) p.delete(k);
  else p.set(k, v);
  return p;
}

// navigate pushes a new URL (params or a "/?…" href) and shows it.
function navigate(target, { replace = false } = {}) {
  const url = typeof target === 'string' ? target : `/?${target}`;
  history[replace ? 'replaceState' : 'pushState'](null, '', url === '/?' ? '/' : url);
  route();
}

function showError(err) {
  if (err && err.name === 'AbortError') return;
  const msg = err instanceof ApiError ? err.message : 'Une erreur inattendue est survenue : recharger la page.';
  fill(errorBox, h('div', { class: 'fr-alert fr-alert--error fr-alert--sm' }, h('p', {}, msg)));
  if (!(err instanceof ApiError)) console.error(err);
}

function clearError() {
  errorBox.replaceChildren();
}

function show(name) {
  for (const [k, el] of Object.entries(sections)) el.hidden = k !== name;
  // The SAMU view has its own form; the mode links say which one is on.
  const samuOn = name === 'proximite';
  form.hidden = samuOn;
  tags.hidden = samuOn;
  for (const [id, on] of [['mode-recherche', !samuOn], ['mode-proximite', samuOn]]) {
    const a = $(id);
    a.classList.toggle('fr-btn--secondary', !on);
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  collapseForm(name === 'resultats' && phone.matches);
  document.body.classList.toggle('has-results', name === 'resultats');
  lastShown = name;
}

// On a phone the form folds once a search ran, so the first result is on
// the first screen; « Modifier la recherche » unfolds it.
function collapseForm(on) {
  fields.classList.toggle('is-collapsed', on);
  form.classList.toggle('is-folded', on);
  searchToggle.setAttribute('aria-expanded', String(!on));
  searchToggle.hidden = !on;
}
searchToggle.addEventListener('click', () => {
  const open = fields.classList.contains('is-collapsed');
  fields.classList.toggle('is-collapsed', !open);
  form.classList.toggle('is-folded', !open);
  searchToggle.setAttribute('aria-expanded', String(open));
  if (open) ouInput.focus();
});
phone.addEventListener('change', () => collapseForm(phone.matches && lastShown === 'resultats'));

// --- the form -------------------------------------------------------------

const ouCombo = new Combobox({
  input: ouInput,
  listbox: $('ou-list'),
  status: $('combo-status'),
  minChars: 2,
  fetch: async (text, signal) => {
    const r = await getJSON(`/api/v1/communes?q=${encodeURIComponent(text)}`, signal);
    for (const c of r.communes) communes.set(c.insee, c);
    return [{ title: 'Communes', items: r.communes.map(c => ({ label: c.libelle, detail: c.departement ? `Dép. ${c.departement}` : '', value: c })) }];
  },
  onPick: item => {
    state.ou = item.value.insee;
    state.ouLabel = item.value.libelle;
    ouInput.value = item.value.libelle;
    // With a criterion already there, the new place re-runs the search.
    if (state.code || critereInput.value.trim()) submit();
    else critereInput.focus();
  },
  onError: showError,
});
ouInput.addEventListener('input', () => {
  if (ouInput.value.trim() !== state.ouLabel) state.ou = '';
});

const critere = new Combobox({
  input: critereInput,
  listbox: $('critere-list'),
  status: $('combo-status'),
  minChars: 2,
  fetch: async (text, signal) => {
    const r = await getJSON(`/api/v1/suggestions?q=${encodeURIComponent(text)}&dans=${encodeURIComponent(dansSelect.value)}`, signal);
    const groups = [];
    // The typos come last (orthographe_approchee): one found in a category
    // already listed joins its group, after the words as typed.
    for (const s of r.suggestions) {
      let g = groups.find(x => x.title === s.categorie);
      if (!g) groups.push(g = { title: s.categorie, items: [] });
      g.items.push({ label: s.label, detail: s.detail, value: s });
    }
    return groups;
  },
  onPick: item => {
    const s = item.value;
    // A profession or spécificité of the professionals is their refine
    // panel's filter ("specificite:J17:419"): ticked there, removable there.
    if (s.dans === 'professionnels') {
      const i = s.code.indexOf(':');
      const p = new URLSearchParams();
      const typed = ouInput.value.trim();
      const ou = state.ou && typed === state.ouLabel ? state.ou : typed;
      if (ou) p.set('ou', ou);
      p.set('dans', 'professionnels');
      p.append(s.code.slice(0, i), s.code.slice(i + 1));
      p.set('libelle', s.label);
      const vue = currentParams().get('vue');
      if (vue) p.set('vue', vue);
      critereInput.value = '';
      ouCombo.dismiss();
      critere.dismiss();
      navigate(p);
      return;
    }
    // From « Tout le ROR » the pick stays there (code "types-uo:20"), so the
    // next word typed is still looked up everywhere; from a category, in it.
    const all = dansSelect.value === 'tout';
    Object.assign(state, { code: all ? `${s.dans}:${s.code}` : s.code, codeDans: all ? 'tout' : s.dans, codeLabel: s.label });
    critereInput.value = '';
    renderTags(currentParams());
    submit();
  },
  onError: showError,
});
// criterionHint says how the criterion is given in the category chosen.
const critereHint = critereInput.labels[0].querySelector('.fr-hint-text');
const defaultHint = critereHint.textContent;
function criterionHint() {
  critereHint.textContent = dansSelect.value === 'professionnels' ? 'Profession, spécificité ou nom : une suggestion, ou les mots puis Entrée' : defaultHint;
}
dansSelect.addEventListener('change', () => { criterionHint(); critere.refresh(); });

form.addEventListener('submit', e => {
  e.preventDefault();
  if (ouCombo.justPicked() || critere.justPicked()) return;
  submit();
});

// submit starts a new search from the form: page 1, no facet, no zone.
function submit() {
  ouCombo.dismiss();
  critere.dismiss();
  const p = new URLSearchParams();
  const typed = ouInput.value.trim();
  const ou = state.ou && typed === state.ouLabel ? state.ou : typed;
  if (ou) p.set('ou', ou);
  const text = critereInput.value.trim();
  if (text) {
    p.set('dans', dansSelect.value);
    p.set('q', text);
  } else if (state.code) {
    p.set('dans', state.codeDans);
    p.set('code', state.code);
    p.set('libelle', state.codeLabel);
  } else {
    showError(new ApiError('Saisir un critère de recherche, puis choisir une des suggestions.'));
    critereInput.focus();
    return;
  }
  const vue = currentParams().get('vue');
  if (vue) p.set('vue', vue);
  navigate(p);
}

// renderTags shows the chosen criterion and the map zone as removable tags.
function renderTags(params) {
  const items = [];
  if (state.code) {
    const cat = state.codeDans === 'tout' && state.code.includes(':') ? state.code.split(':')[0] : state.codeDans;
    const dans = dansSelect.querySelector(`option[value="${CSS.escape(cat)}"]`)?.textContent || '';
    items.push(tag(`${dans ? dans + ' : ' : ''}${state.codeLabel || state.code}`, 'Retirer le critère', () => {
      Object.assign(state, { code: '', codeDans: '', codeLabel: '' });
      const p = currentParams();
      ['code', 'libelle', 'page', 'bbox'].forEach(k => p.delete(k));
      if (!p.get('q')) { navigate(p.get('vue') ? withParam(new URLSearchParams(), 'vue', p.get('vue')) : new URLSearchParams()); critereInput.focus(); return; }
      navigate(p);
    }));
  }
  if (params.get('bbox')) {
    items.push(tag('Zone de la carte', 'Retirer la zone', () => navigate(withParam(withParam(currentParams(), 'bbox', null), 'page', null))));
  }
  fill(tags, items);
}

function tag(label, action, onRemove) {
  const b = h('button', { type: 'button', class: 'fr-tag fr-tag--dismiss', 'aria-label': `${action} ${label}` }, label);
  b.addEventListener('click', onRemove);
  return h('li', {}, b);
}

// syncForm makes the form show what the URL says.
function syncForm(params) {
  const ou = params.get('ou') || '';
  if (ou !== state.ou) {
    state.ou = ou;
    const known = communes.get(ou);
    state.ouLabel = known ? known.libelle : ou;
    ouInput.value = state.ouLabel;
    if (ou && !known && /^\d[\dAB]\d{3}$/.test(ou)) labelCommune(ou);
  }
  dansSelect.value = params.get('dans') || 'tout';
  if (dansSelect.selectedIndex < 0) dansSelect.value = 'tout';
  criterionHint();
  const code = params.get('code') || '';
  Object.assign(state, { code, codeDans: code ? dansSelect.value : '', codeLabel: code ? params.get('libelle') || code : '' });
  critereInput.value = params.get('q') || '';
  renderTags(params);
}

// labelCommune replaces an INSEE code from a shared URL by its label.
async function labelCommune(insee) {
  try {
    const r = await getJSON(`/api/v1/communes?q=${encodeURIComponent(insee)}`);
    const c = r.communes.find(x => x.insee === insee);
    if (!c) return;
    communes.set(insee, c);
    if (state.ou === insee && ouInput.value === insee) {
      state.ouLabel = c.libelle;
      ouInput.value = c.libelle;
    }
  } catch {
    // the code stays in the input: still a valid "Où ?".
  }
}

// --- routing -------------------------------------------------------------------

async function route() {
  const params = currentParams();
  clearError();
  syncForm(params);
  const eg = params.get('eg');
  if (eg) {
    search.cancel();
    show('fiche');
    const back = withParam(params, 'eg', null);
    try {
      fill(sections.fiche, h('p', { role: 'status' }, 'Chargement de la fiche…'));
      const f = await ficheReq.run(signal => renderFiche(sections.fiche, eg, `/?${back}`, signal, results.matchedUnits(eg)));
      if (f) document.title = `${f.nom} — ROR Recherche`;
    } catch (err) {
      fill(sections.fiche, h('a', { class: 'fr-link fr-icon-arrow-left-line fr-link--icon-left', href: `/?${back}`, 'data-nav': '' }, 'Retour aux résultats'));
      showError(err);
    }
    return;
  }
  ficheReq.cancel();
  if (params.get('vue') === 'proximite') {
    search.cancel();
    show('proximite');
    document.title = 'Proximité (SAMU) — ROR Recherche';
    await samu.show(params);
    return;
  }
  // A profession or spécificité picked among the professionals is a
  // search of its own (their refine panel's filter, no words).
  const prosFilter = params.get('dans') === 'professionnels' && ['profession', 'mode', 'specificite'].some(k => params.get(k));
  if (!params.get('q') && !params.get('code') && !prosFilter) {
    search.cancel();
    shownKey = null;
    show('accueil');
    document.title = 'ROR Recherche — offre de santé et médico-sociale';
    return;
  }
  const view = params.get('vue') === 'carte' ? 'carte' : 'liste';
  const key = String(apiParams(params));
  const from = lastShown;
  show('resultats');
  results.setView(view);
  if (key !== shownKey) {
    results.busy(true);
    if (shownKey === null) fill(results.summary, 'Recherche en cours…');
    try {
      const res = await search.run(signal => getJSON(`/api/v1/search?${key}${completeParams(results)}`, signal));
      if (!res) return; // a newer search replaced this one
      shownKey = key;
      shownURL = location.search;
      results.render(res, params);
      const what = params.get('libelle') || params.get('q') || params.get('code');
      document.title = params.get('dans') === 'professionnels'
        ? `${what || 'Professionnels'} — ${res.professionnels?.lieux ?? 0} lieu(x) d'exercice — ROR Recherche`
        : `${what} — ${res.resume.etablissements} établissement(s) — ROR Recherche`;
    } catch (err) {
      showError(err);
      if (shownKey === null) show('accueil');
      else {
        // The results on screen are those of the last URL that worked: the
        // address bar goes back to it rather than claim a refinement.
        history.replaceState(null, '', shownURL || '/');
        syncForm(currentParams());
        results.params = currentParams();
      }
      return;
    } finally {
      results.busy(false);
    }
  } else {
    results.params = params;
  }
  if (from === 'fiche') results.summary.focus();
  if (view === 'carte') map.show(params, communes.get(params.get('ou'))?.centre);
}

// Links marked data-nav stay in the page (pagination, fiches, back).
// Capture phase: Leaflet popups stop some events from bubbling.
document.addEventListener('click', e => {
  const a = e.target.closest('a[data-nav]');
  if (!a || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.getAttribute('href'));
  const target = a.closest('.fr-pagination') ? $('contenu') : null;
  if (target) {
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'start' });
  } else {
    window.scrollTo(0, 0);
  }
}, true);

window.addEventListener('popstate', route);
// #/eg/<finess> links from elsewhere become the ?eg= route.
const hash = location.hash.match(/^#\/eg\/([\w]{9})$/);
if (hash) navigate(withParam(currentParams(), 'eg', hash[1]), { replace: true });
else route();
