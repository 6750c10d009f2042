// gestion-offre.js: « Mon offre » of a professional (account role
// professionnel, tied to one RPPS number), in the two steps of the ROR:
// (1/2) type of offer, orientations (activités opérationnelles),
// spécificités (actes spécifiques) and modes; (2/2) équipements, zone of
// home visits, contact and position. Every list is the national
// nomenclature's (GET /api/v1/nomenclature/…): nothing is typed freely but
// the contact. Submitting publishes at once (the professional is
// responsible for the data) and the service audits it.
import { h, fill } from './dom.js';
import { call, fieldOf } from './gestion-api.js';
import { alertBox, announce } from './gestion.js';

const modes = [['03', 'En présentiel (au cabinet)'], ['04', 'Téléconsultation'], ['05', 'Visite à domicile']];

async function concepts(champ) {
  const r = await call('GET', `/api/v1/nomenclature/${champ}`);
  return r.concepts || [];
}

// picker is a filtered multiple select over a nomenclature list.
function picker(id, label, list, chosen) {
  const sel = h('select', { class: 'fr-select', id, multiple: true, size: 8 },
    list.map(c => h('option', { value: c.code, selected: chosen.includes(c.code) }, `${c.label} (${c.code})`)));
  const filter = h('input', { class: 'fr-input fr-mb-1v', type: 'search', 'aria-label': `Filtrer : ${label}`, placeholder: 'Filtrer la liste' });
  filter.addEventListener('input', () => {
    const f = filter.value.toLowerCase();
    for (const o of sel.options) o.hidden = f !== '' && !o.textContent.toLowerCase().includes(f) && !o.selected;
  });
  return { el: h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: id }, label), filter, sel),
    values: () => [...sel.selectedOptions].map(o => o.value) };
}

function field(id, label, attrs, value) {
  const input = h('input', { class: 'fr-input', id, ...attrs, value: value ?? '' });
  return { el: h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: id }, label), input), input };
}

export async function monOffreView(root, acct) {
  let mine = null;
  try {
    mine = await call('GET', '/api/v1/mon-offre');
  } catch (err) {
    if (err.status !== 404) throw err;
  }
  const place = mine?.lieux?.[0] || {};
  const [types, activites, actes, equipements] = await Promise.all(['type_uo', 'activites', 'actes', 'equipements'].map(concepts));
  const cabinets = types.filter(c => c.label.startsWith('Cabinet de ville'));
  const msg = h('div', { id: 'offre-message' });
  const ident = mine ? null : {
    nom: field('offre-nom', "Nom d'exercice", { required: true }),
    prenom: field('offre-prenom', "Prénom d'exercice", {}),
    profession: h('select', { class: 'fr-select', id: 'offre-profession' },
      [['70', 'Masseur-Kinésithérapeute'], ['50', 'Sage-Femme'], ['10', 'Médecin']].map(([c, l]) => h('option', { value: c }, l))),
  };
  const typeSel = h('select', { class: 'fr-select', id: 'offre-type' }, cabinets.map(c => h('option', { value: c.code, selected: c.code === place.type_offre }, c.label)));
  const act = picker('offre-activites', 'Orientations d\'exercice (activités opérationnelles)', activites, place.activites || []);
  const spe = picker('offre-actes', 'Spécificités de pratique (actes spécifiques)', actes, place.actes || []);
  const modeBoxes = modes.map(([c, l]) => h('input', { type: 'checkbox', id: `offre-mode-${c}`, value: c, checked: (place.modes || []).includes(c) }));
  const eq = picker('offre-equipements', 'Équipements spécifiques', equipements, place.equipements || []);
  const zone = field('offre-zone', 'Zone d\'intervention à domicile (km autour du cabinet)', { type: 'number', min: 0, max: 100, step: 1 }, place.zone_km || '');
  const commune = field('offre-commune', 'Commune du cabinet (code INSEE)', { inputmode: 'numeric' }, place.commune || '');
  const tel = field('offre-telephone', 'Téléphone', { type: 'tel' }, place.telephone || '');
  const lat = field('offre-lat', 'Latitude (facultatif ; sinon le centre de la commune)', { inputmode: 'decimal' }, place.placement === 'declare' ? place.position?.lat : '');
  const lon = field('offre-lon', 'Longitude', { inputmode: 'decimal' }, place.placement === 'declare' ? place.position?.lon : '');
  const body = () => {
    const o = { lieu: place.id || '', type_offre: typeSel.value, activites: act.values(), actes: spe.values(), publics: place.publics || [], competences: place.competences || [],
      modes: modeBoxes.filter(b => b.checked).map(b => b.value), equipements: eq.values(), zone_km: Number(zone.input.value || 0), zone: place.zone || [],
      telephone: tel.input.value, horaires: '', adresse: '', commune: commune.input.value.trim() };
    if (ident) Object.assign(o, { nom: ident.nom.input.value, prenom: ident.prenom.input.value, profession: ident.profession.value });
    if (lat.input.value && lon.input.value) o.position = { lat: Number(lat.input.value), lon: Number(lon.input.value) };
    return o;
  };
  const fail = err => {
    const f = fieldOf(err);
    fill(msg, alertBox('error', err.message + (f ? ` (champ ${f})` : ''), 'offre-erreur'));
    msg.firstChild.focus();
  };
  const step1 = h('form', { id: 'offre-etape-1', novalidate: true },
    h('h2', { class: 'fr-h5' }, 'Mon offre (1/2)'),
    ident ? [h('p', {}, `Le numéro RPPS ${acct.perimetre?.[0] || ''} n'est pas encore dans le répertoire : indiquer votre identité d'exercice.`), ident.nom.el, ident.prenom.el,
      h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'offre-profession' }, 'Profession'), ident.profession)] : null,
    h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'offre-type' }, 'Type d\'offre'), typeSel),
    act.el, spe.el,
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend' }, 'Modes d\'exercice'),
      modeBoxes.map((b, i) => h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-checkbox-group' }, b, h('label', { class: 'fr-label', for: b.id }, modes[i][1]))))),
    h('button', { class: 'fr-btn', type: 'submit', id: 'offre-suivant' }, 'Suivant'));
  const step2 = h('form', { id: 'offre-etape-2', novalidate: true, hidden: true },
    h('h2', { class: 'fr-h5', tabindex: '-1' }, 'Mon offre (2/2)'), eq.el, zone.el, commune.el, tel.el, lat.el, lon.el,
    h('ul', { class: 'fr-btns-group fr-btns-group--inline' },
      h('li', {}, h('button', { class: 'fr-btn fr-btn--secondary', type: 'button', id: 'offre-precedent', onclick: () => { step2.hidden = true; step1.hidden = false; } }, 'Précédent')),
      h('li', {}, h('button', { class: 'fr-btn', type: 'submit', id: 'offre-publier' }, 'Publier mon offre'))));
  step1.addEventListener('submit', async e => {
    e.preventDefault();
    try {
      await call('POST', '/api/v1/mon-offre/verification?etape=1', body());
      fill(msg);
      step1.hidden = true;
      step2.hidden = false;
      step2.querySelector('h2').focus();
    } catch (err) { fail(err); }
  });
  step2.addEventListener('submit', async e => {
    e.preventDefault();
    try {
      const r = await call('PUT', '/api/v1/mon-offre', body());
      fill(msg, alertBox('success', r.message, 'offre-publiee'));
      msg.firstChild.focus();
      announce(r.message);
    } catch (err) { fail(err); }
  });
  fill(root, h('h1', { class: 'fr-h3' }, 'Mon offre'),
    h('p', {}, 'Vous êtes responsable des informations de votre offre : elles sont publiées dès l\'envoi et chaque publication est tracée.'),
    msg, step1, step2);
}

export async function mesSignalementsView(root) {
  const r = await call('GET', '/api/v1/mon-offre/signalements');
  const list = r.signalements || [];
  fill(root, h('h1', { class: 'fr-h3' }, 'Signalements sur mon offre'),
    list.length ? h('ul', { id: 'mes-signalements' }, list.map(a => h('li', {}, `${a.date.slice(0, 10)} — ${a.champ ? a.champ + ' : ' : ''}${a.description}`, a.email ? ` (${a.email})` : '')))
      : h('p', {}, 'Aucun signalement.'));
}
