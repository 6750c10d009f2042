// fiche.js: the fiche of one établissement (EG): address, contacts, each
// unit with its activités, actes, équipements, modes, patientèle, horaires
// and capacitaire, and the "Signaler une anomalie" form.

import { h, fill, formatDate, telLink, statutBadge } from './dom.js';
import { getJSON, postJSON, ApiError } from './api.js';

// renderFiche loads and shows the fiche of finess in section; back is the
// URL of the results it was opened from, matched the ids of the units that
// matched that search: they come first, marked.
export async function renderFiche(section, finess, back, signal, matched = []) {
  const f = await getJSON(`/api/v1/eg/${encodeURIComponent(finess)}`, signal);
  const hits = new Set(matched);
  const units = [...(f.uo || [])];
  units.sort((a, b) => Number(hits.has(b.id)) - Number(hits.has(a.id))); // stable: the fiche's order otherwise
  const addr = [f.adresse, [f.code_postal, f.commune?.nom].filter(Boolean).join(' ')].filter(Boolean);
  fill(section,
    h('div', { class: 'fiche-links' },
      h('a', { class: 'fr-link fr-icon-arrow-left-line fr-link--icon-left', href: back, 'data-nav': '', id: 'retour' }, 'Retour aux résultats'),
      h('a', { class: 'fr-link fr-icon-alert-line fr-link--icon-left', href: '#anomalie', id: 'lien-anomalie' }, 'Signaler une anomalie')),
    h('div', { class: 'fiche-head' },
      h('h2', { class: 'fr-h3 fr-mb-1v', id: 'fiche-titre', tabindex: '-1' }, f.nom),
      f.nom_long && f.nom_long !== f.nom ? h('p', { class: 'fr-text--sm fr-mb-1v' }, f.nom_long) : null,
      h('p', { class: 'fr-mb-1v' }, h('span', { class: 'fr-badge fr-badge--sm fr-badge--blue-cumulus fr-mr-1v' }, f.categorie?.label || f.categorie?.code || 'Établissement'),
        h('span', { class: 'fr-text--sm' }, ` FINESS ${f.finess}`, f.finess_ej ? ` · EJ ${f.finess_ej}` : ''))),
    h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-mb-2v' },
      h('div', { class: 'fr-col-12 fr-col-md-6' },
        h('h3', { class: 'fr-h6 fr-mb-1v' }, 'Adresse'),
        h('address', { class: 'fr-text--sm fiche-address' }, addr.map((l, i) => [i ? h('br') : null, l]),
          f.departement?.nom ? [h('br'), `${f.departement.nom} (${f.departement.code})`] : null)),
      h('div', { class: 'fr-col-12 fr-col-md-6' },
        h('h3', { class: 'fr-h6 fr-mb-1v' }, 'Contact'),
        h('p', { class: 'fr-text--sm fr-mb-1v' }, 'Téléphone : ', telLink(f.telephone)),
        f.email ? h('p', { class: 'fr-text--sm fr-mb-1v' }, 'Courriel : ', h('a', { href: `mailto:${f.email}` }, f.email)) : null,
        f.horaires ? h('p', { class: 'fr-text--sm fr-mb-1v', id: 'fiche-horaires' }, 'Horaires : ', f.horaires) : null,
        h('p', { class: 'fr-text--xs fr-text-mention--grey' }, `Source : ${f.source || 'ROR'}`,
          formatDate(f.maj) ? ` · mise à jour le ${formatDate(f.maj)}` : ''))),
    h('h3', { class: 'fr-h5' }, `Unités opérationnelles (${units.length})`),
    hits.size ? h('p', { class: 'fr-text--sm' }, `Les unités qui correspondent à votre recherche viennent en premier, marquées « Correspond à la recherche ».`) : null,
    units.map(u => uoCard(u, hits.has(u.id))),
    anomalyForm(f));
  // The link at the top takes the keyboard to the form, not only the view.
  section.querySelector('#lien-anomalie').addEventListener('click', e => {
    e.preventDefault();
    const form = section.querySelector('#anomalie');
    form.scrollIntoView({ block: 'start' });
    form.querySelector('select, textarea, input')?.focus({ preventScroll: true });
  });
  section.querySelector('#fiche-titre').focus();
  return f;
}

function codes(title, list) {
  if (!list || !list.length) return null;
  return h('div', { class: 'fr-mb-1v' },
    h('p', { class: 'fr-text--sm fr-text--bold fr-mb-0' }, title),
    h('ul', { class: 'fr-tags-group' }, list.map(c => h('li', {}, h('p', { class: 'fr-tag fr-tag--sm' }, c.label || c.code)))));
}

function patientele(p) {
  if (!p) return '—';
  const who = [p.enfant ? 'Enfant' : null, p.adulte ? 'Adulte' : null].filter(Boolean).join(' et ') || 'Non renseignée';
  const ages = p.age_min || p.age_max ? ` (${p.age_min ? `dès ${p.age_min} ans` : ''}${p.age_min && p.age_max ? ', ' : ''}${p.age_max ? `jusqu'à ${p.age_max} ans` : ''})` : '';
  return who + ages;
}

// installed says what is known of a unit's size without a bed manager's
// figure: « 102 lits installés (SAE 2020) ».
function installed(c) {
  const parts = [];
  if (c.lits_installes) parts.push(`${c.lits_installes} lit${c.lits_installes > 1 ? 's' : ''} installé${c.lits_installes > 1 ? 's' : ''}`);
  if (c.places) parts.push(`${c.places} place${c.places > 1 ? 's' : ''}`);
  if (!parts.length) return '';
  return ` · ${parts.join(', ')}${c.source ? ` (${c.source})` : ''}`;
}

function capacite(c, dispo) {
  if (!c || !c.renseigne) return h('p', { class: 'fr-text--sm fr-mb-1v' }, 'Capacitaire : saisie non activée', c ? installed(c) : '');
  const at = formatDate(c.maj);
  return h('p', { class: 'fr-text--sm fr-mb-1v capacite' }, 'Capacitaire : ',
    h('strong', {}, dispo || `${c.lits_disponibles} lits disponibles`),
    ` sur ${c.lits_installes} lit${c.lits_installes > 1 ? 's' : ''} installé${c.lits_installes > 1 ? 's' : ''}`,
    c.places ? `, ${c.places} places` : '',
    c.source ? ` (${c.source})` : '',
    at ? h('span', { class: 'fr-text-mention--grey' }, ` — chiffre du ${at}`) : h('span', { class: 'fr-text-mention--grey' }, ' — date du chiffre inconnue'));
}

function uoCard(u, hit) {
  return h('section', { class: `uo-card fr-mb-2v${hit ? ' uo-card--hit' : ''}`, 'aria-labelledby': `uo-${u.id}`, dataset: { uo: u.id, hit: hit ? '1' : '' } },
    h('h4', { class: 'fr-h6 fr-mb-1v', id: `uo-${u.id}` }, u.nom || u.type_uo?.label, ' ', statutBadge(u.statut),
      hit ? [' ', h('span', { class: 'fr-badge fr-badge--sm fr-badge--new fr-badge--no-icon' }, 'Correspond à la recherche')] : null),
    h('p', { class: 'fr-text--sm fr-mb-1v' }, h('strong', {}, 'Type d\'UO : '), u.type_uo?.label || u.type_uo?.code || '—',
      u.champ_activite?.label ? [' · ', h('strong', {}, 'Champ : '), u.champ_activite.label] : null),
    h('p', { class: 'fr-text--sm fr-mb-1v' }, h('strong', {}, 'Patientèle : '), patientele(u.patientele),
      u.telephone ? [' · ', h('strong', {}, 'Téléphone : '), telLink(u.telephone)] : null),
    u.horaires ? h('p', { class: 'fr-text--sm fr-mb-1v' }, h('strong', {}, 'Horaires : '), u.horaires) : null,
    capacite(u.capacite, u.disponibilite),
    codes('Activités opérationnelles', u.activites),
    codes('Modes de prise en charge', u.modes),
    codes('Actes spécifiques', u.actes),
    codes('Équipements spécifiques', u.equipements),
    codes('Expertises', u.expertises),
    codes('Publics', u.publics),
    u.zone_intervention?.length ? h('p', { class: 'fr-text--xs fr-mb-0' }, h('strong', {}, 'Zone d\'intervention : '),
      u.zone_intervention.map(z => z.libelle || z.nom).join(', ')) : null,
    u.lieux?.length ? h('div', { class: 'fr-text--xs fr-mb-0 lieux' }, h('strong', {}, u.lieux.length > 1 ? 'Lieux de réalisation : ' : 'Lieu de réalisation : '),
      h('ul', { class: 'fr-mb-0' }, u.lieux.map(l => h('li', { dataset: { lieu: l.id } },
        `${l.nom} — ${[l.adresse, l.commune && (l.commune.libelle || l.commune.nom)].filter(Boolean).join(', ')}`,
        l.horaires ? ` — ${l.horaires}` : '', l.lits ? ' — lits de l\'unité' : '',
        h('span', { class: 'fr-text-mention--grey' }, ` (${l.derive ? 'adresse de l\'établissement, lieu par défaut dérivé de FINESS' : 'lieu déclaré par l\'établissement'})`))))) : null,
    u.provenance_libelle ? h('p', { class: 'fr-text--xs fr-text-mention--grey fr-mb-0 provenance' }, u.provenance_libelle) : null);
}

const champs = [
  ['coordonnees', 'Adresse ou coordonnées'],
  ['telephone', 'Téléphone'],
  ['capacitaire', 'Capacitaire (lits)'],
  ['activites', 'Activités, actes ou équipements'],
  ['patientele', 'Patientèle'],
  ['horaires', 'Horaires'],
  ['statut', 'Statut (ouvert, fermé)'],
  ['autre', 'Autre'],
];

// anomalyForm lets a coordinator report wrong data about this EG.
function anomalyForm(f) {
  const result = h('div', { id: 'anomalie-resultat', role: 'status', 'aria-live': 'polite' });
  const form = h('form', { id: 'anomalie', class: 'anomaly fr-mt-4v', novalidate: true },
    h('fieldset', { class: 'fr-fieldset' },
      h('legend', { class: 'fr-fieldset__legend' }, h('h3', { class: 'fr-h5 fr-mb-0' }, 'Signaler une anomalie'),
        h('span', { class: 'fr-hint-text' }, 'Une information de cette fiche est fausse ou périmée : le signalement part aux gestionnaires du ROR.')),
      field('anomalie-uo', 'Unité concernée (facultatif)',
        h('select', { class: 'fr-select', id: 'anomalie-uo', name: 'uo' }, h('option', { value: '' }, 'L\'établissement'),
          (f.uo || []).map(u => h('option', { value: u.id }, u.nom || u.type_uo?.label)))),
      field('anomalie-champ', 'Information concernée',
        h('select', { class: 'fr-select', id: 'anomalie-champ', name: 'champ', required: true },
          champs.map(([v, l]) => h('option', { value: v }, l)))),
      field('anomalie-description', 'Description', h('textarea', { class: 'fr-input', id: 'anomalie-description', name: 'description', rows: 4, required: true, maxlength: 2000 })),
      field('anomalie-email', 'Votre adresse électronique (facultatif, pour une réponse)', h('input', { class: 'fr-input', id: 'anomalie-email', name: 'email', type: 'email', autocomplete: 'email' })),
      h('div', { class: 'fr-fieldset__element' }, h('button', { class: 'fr-btn', type: 'submit' }, 'Envoyer le signalement'))),
    result);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (!data.description.trim()) {
      showAlert(result, 'error', 'Décrire l\'anomalie avant d\'envoyer.');
      form.querySelector('#anomalie-description').focus();
      return;
    }
    const body = { finess: f.finess, champ: data.champ, description: data.description.trim() };
    if (data.uo) body.uo = data.uo;
    if (data.email.trim()) body.email = data.email.trim();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const out = await postJSON('/api/v1/anomalies', body);
      showAlert(result, 'success', out.message || 'Signalement enregistré.', out.id ? `Référence ${out.id}` : '');
      form.querySelector('#anomalie-description').value = '';
      focusAlert(result);
    } catch (err) {
      showAlert(result, 'error', err instanceof ApiError ? err.message : 'Le signalement n\'a pas pu être envoyé.');
      focusAlert(result);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function field(id, label, control) {
  return h('div', { class: 'fr-fieldset__element' },
    h('div', { class: control.tagName === 'SELECT' ? 'fr-select-group' : 'fr-input-group' }, h('label', { class: 'fr-label', for: id }, label), control));
}

// focusAlert moves the focus to the answer of the form (the button it
// came from was disabled while sending, so the focus would fall to <body>).
function focusAlert(el) {
  const alert = el.querySelector('.fr-alert');
  if (!alert) return;
  alert.setAttribute('tabindex', '-1');
  alert.focus();
}

// showAlert writes a DSFR alert into el (success or error).
export function showAlert(el, kind, title, text) {
  fill(el, h('div', { class: `fr-alert fr-alert--${kind} fr-alert--sm fr-mt-2v` },
    h('p', {}, title), text ? h('p', { class: 'fr-text--xs' }, text) : null));
}
