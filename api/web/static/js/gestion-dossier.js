// gestion-dossier.js: the référent's pages. For one établissement of the
// scope: its dossiers and their state; « Modifier un encadré » of a unit;
// a new unit with pickers from the national nomenclature; the contacts and
// horaires of the établissement. Each form adds its change to the open
// dossier (created on first use), then « Envoyer pour validation », with
// an optional date d'effet. A 409 (the dossier or the offer changed
// meanwhile) is explained and the dossier reloaded.
import { h, fill } from './dom.js';
import { call, formatDate } from './gestion-api.js';
import { alertBox, announce } from './gestion.js';
import { describeOps } from './gestion-diff.js';

const pickers = [
  ['type_uo', "Type d'unité", false], ['champ_activite', "Champ d'activité", false],
  ['activites', 'Activités opérationnelles', true], ['actes', 'Actes spécifiques', true],
  ['equipements', 'Équipements spécifiques', true], ['modes', 'Modes de prise en charge', true],
  ['publics', 'Publics pris en charge', true], ['professions', 'Professions ressources', true],
];

function field(id, label, attrs = {}, hint) {
  return h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: id }, label, hint ? h('span', { class: 'fr-hint-text' }, hint) : null),
    h('input', { class: 'fr-input', id, name: id, type: 'text', ...attrs }));
}

const val = id => document.getElementById(id).value.trim();
const code = c => (c && c.code) || '';
const codes = list => (list || []).map(code);

// recordOf turns a unit of the fiche (codes with labels) back into the
// record a dossier carries (codes).
function recordOf(u, eg) {
  return { id: u.id, finess_eg: eg, nom: u.nom, type_uo: code(u.type_uo), champ_activite: code(u.champ_activite),
    activites: codes(u.activites), actes: codes(u.actes), equipements: codes(u.equipements), modes: codes(u.modes),
    professions: codes(u.professions), expertises: codes(u.expertises), publics: codes(u.publics), patientele: u.patientele,
    horaires: u.horaires || '', telephone: u.telephone || '', statut: u.statut, zone_intervention: (u.zone_intervention || []).map(z => z.insee) };
}

export async function dossiersView(root, acct, params) {
  const egParam = (params.get('eg') || (acct.perimetre && acct.perimetre.length === 1 ? acct.perimetre[0] : '')).trim();
  const choose = h('form', { method: 'get', action: '/espace', id: 'dossier-choix', class: 'fr-mb-2v' },
    h('input', { type: 'hidden', name: 'vue', value: 'dossiers' }),
    field('dossier-eg', 'FINESS géographique de l\'établissement', { name: 'eg', value: egParam, inputmode: 'numeric' },
      acct.perimetre && acct.perimetre.length ? `Votre périmètre : ${acct.perimetre.join(', ')}` : null),
    h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Ouvrir'));
  choose.querySelector('#dossier-eg').name = 'eg';
  const head = h('h1', { class: 'fr-h3' }, 'Dossiers collaboratifs');
  if (!egParam) { fill(root, head, choose); return; }
  const fiche = await call('GET', `/api/v1/eg/${encodeURIComponent(egParam)}`);
  const eg = fiche.finess;
  const msg = h('div', { id: 'dossier-message' });
  const current = h('section', { id: 'dossier-courant', 'aria-labelledby': 'dossier-courant-titre' });
  const mine = h('section', { id: 'dossiers-liste', 'aria-labelledby': 'dossiers-liste-titre' });
  let open = null; // the editable dossier the forms add to

  const say = (kind, text) => { fill(msg, alertBox(kind, text, 'dossier-alerte')); document.getElementById('dossier-alerte').focus(); announce(text); };
  const explain = err => err.status === 409
    ? `${err.message} Quelqu'un d'autre a modifié le dossier ou l'offre publiée depuis votre affichage : le dossier vient d'être rechargé, vérifier son contenu puis recommencer.`
    : err.message;

  const load = async () => {
    const data = await call('GET', `/api/v1/brouillons?eg=${eg}`);
    open = data.brouillons.find(d => ['brouillon', 'rejete', 'echec'].includes(d.statut)) || null;
    fill(mine, h('h2', { class: 'fr-h5', id: 'dossiers-liste-titre' }, 'Les dossiers de cet établissement'),
      data.nombre === 0 ? h('p', {}, 'Aucun dossier.') : h('ul', {}, data.brouillons.map(d => h('li', { dataset: { id: d.id, statut: d.statut } },
        `Dossier ${d.id} — ${d.statut_libelle}, ${d.operations.length} modification(s), par ${d.auteur}, le ${formatDate(d.maj)}`,
        d.motif ? ` — motif : ${d.motif}` : '', d.date_effet ? ` — date d'effet ${formatDate(d.date_effet)}` : ''))));
    if (!open) {
      fill(current, h('h2', { class: 'fr-h5', id: 'dossier-courant-titre' }, 'Dossier en cours'), h('p', {}, "Aucun dossier en cours : le premier changement ajouté en ouvre un."));
      return;
    }
    const date = h('input', { class: 'fr-input', type: 'datetime-local', id: 'dossier-date-effet' });
    const send = h('button', { class: 'fr-btn', type: 'button', id: 'dossier-envoyer' }, 'Envoyer pour validation');
    send.addEventListener('click', async () => {
      try {
        let d = open;
        if (date.value) {
          d = await call('PUT', `/api/v1/brouillons/${d.id}`, { version: d.version, finess_eg: eg, operations: d.operations, date_effet: new Date(date.value).toISOString() });
        }
        d = await call('POST', `/api/v1/brouillons/${d.id}/soumettre`, { version: d.version });
        await load();
        say('success', `Dossier ${d.id} ${d.statut_libelle} : un administrateur va le relire.`);
      } catch (err) { await load(); say('error', explain(err)); }
    });
    fill(current, h('h2', { class: 'fr-h5', id: 'dossier-courant-titre' }, `Dossier en cours ${open.id} (${open.statut_libelle})`),
      open.motif ? alertBox('warning', `Rejeté : ${open.motif}`) : null,
      describeOps(open, fiche),
      h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: 'dossier-date-effet' }, "Date d'effet souhaitée", h('span', { class: 'fr-hint-text' }, 'facultative : vide, publication dès la validation')), date),
      send);
  };

  // add puts op into the open dossier, or opens one with it.
  const add = async (op, what) => {
    try {
      if (open) {
        const ops = open.operations.filter(o => !(o.uo && op.uo && o.uo.id === op.uo.id) && !(o.lieu && op.lieu && o.lieu.id === op.lieu.id && o.op === op.op) && !(o.op === 'modifier_eg' && op.op === 'modifier_eg'));
        await call('PUT', `/api/v1/brouillons/${open.id}`, { version: open.version, finess_eg: eg, operations: [...ops, op] });
      } else {
        await call('POST', '/api/v1/brouillons', { finess_eg: eg, operations: [op] });
      }
      await load();
      say('success', `${what} : ajouté au dossier. Vérifier puis « Envoyer pour validation ».`);
    } catch (err) {
      if (err.status === 409) await load();
      say('error', explain(err) + (err.problem && err.problem.errors ? ` (champ ${err.problem.errors[0].pointer || err.problem.errors[0].parameter})` : ''));
    }
  };

  // « Modifier un encadré »: the name, horaires and phone of one unit.
  const unitSel = h('select', { class: 'fr-select', id: 'encadre-uo' }, fiche.uo.map(u => h('option', { value: u.id }, `${u.nom} (${u.id})`)));
  const encadre = h('form', { id: 'encadre', novalidate: true },
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend' }, 'Modifier un encadré'),
      h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'encadre-uo' }, 'Unité'), unitSel)),
      h('div', { class: 'fr-fieldset__element' }, field('encadre-nom', "Nom de l'unité")),
      h('div', { class: 'fr-fieldset__element' }, field('encadre-horaires', 'Horaires')),
      h('div', { class: 'fr-fieldset__element' }, field('encadre-telephone', 'Téléphone', { type: 'tel', autocomplete: 'off' })),
      h('div', { class: 'fr-fieldset__element' }, h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Ajouter au dossier'))));
  const fillUnit = () => {
    const u = fiche.uo.find(x => x.id === unitSel.value);
    if (!u) return;
    document.getElementById('encadre-nom').value = u.nom;
    document.getElementById('encadre-horaires').value = u.horaires || '';
    document.getElementById('encadre-telephone').value = u.telephone || '';
  };
  unitSel.addEventListener('change', fillUnit);
  encadre.addEventListener('submit', ev => {
    ev.preventDefault();
    const u = fiche.uo.find(x => x.id === unitSel.value);
    const rec = { ...recordOf(u, eg), nom: val('encadre-nom'), horaires: val('encadre-horaires'), telephone: val('encadre-telephone') };
    add({ op: 'modifier_uo', uo: rec, version_base: u.version }, `L'encadré de « ${rec.nom} »`);
  });

  // A new unit, its codes picked from the nomenclature.
  const sets = {};
  await Promise.all(pickers.map(async ([f]) => { sets[f] = (await call('GET', `/api/v1/nomenclature/${f}`)).concepts || []; }));
  const create = h('form', { id: 'nouvelle-uo', class: 'pickers', novalidate: true },
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend' }, 'Créer une unité'),
      h('div', { class: 'fr-fieldset__element' }, field('uo-nom', "Nom de l'unité")),
      h('div', { class: 'fr-fieldset__element' }, field('uo-code', 'Code court', { autocomplete: 'off', spellcheck: 'false' }, `lettres et chiffres : l'identifiant sera ${eg}-CODE`)),
      pickers.map(([f, label, multi]) => h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-select-group' },
        h('label', { class: 'fr-label', for: `uo-${f}` }, label, multi ? h('span', { class: 'fr-hint-text' }, 'plusieurs choix : Ctrl ou Maj avec les flèches et Espace') : null),
        h('select', { class: 'fr-select', id: `uo-${f}`, multiple: multi || null },
          multi ? null : h('option', { value: '' }, '— choisir —'),
          sets[f].map(c => h('option', { value: c.code }, `${c.label} (${c.code})`)))))),
      h('div', { class: 'fr-fieldset__element' }, h('fieldset', { class: 'fr-fieldset', id: 'uo-patientele' }, h('legend', { class: 'fr-fieldset__legend fr-text--regular' }, 'Patientèle'),
        ['enfant', 'adulte'].map(p => h('div', { class: 'fr-fieldset__element fr-fieldset__element--inline' }, h('div', { class: 'fr-checkbox-group' },
          h('input', { type: 'checkbox', id: `uo-${p}` }), h('label', { class: 'fr-label', for: `uo-${p}` }, p === 'enfant' ? 'Enfants' : 'Adultes')))))),
      h('div', { class: 'fr-fieldset__element' }, field('uo-horaires', 'Horaires')),
      h('div', { class: 'fr-fieldset__element' }, field('uo-telephone', 'Téléphone', { type: 'tel', autocomplete: 'off' })),
      h('div', { class: 'fr-fieldset__element' }, h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit', id: 'uo-ajouter' }, 'Ajouter au dossier'))));
  create.addEventListener('submit', ev => {
    ev.preventDefault();
    const picked = f => [...document.getElementById(`uo-${f}`).selectedOptions].map(o => o.value).filter(Boolean);
    const rec = { id: `${eg}-${val('uo-code').toUpperCase()}`, finess_eg: eg, nom: val('uo-nom'), type_uo: val('uo-type_uo'), champ_activite: val('uo-champ_activite'),
      activites: picked('activites'), actes: picked('actes'), equipements: picked('equipements'), modes: picked('modes'), publics: picked('publics'), professions: picked('professions'),
      patientele: { enfant: document.getElementById('uo-enfant').checked, adulte: document.getElementById('uo-adulte').checked },
      horaires: val('uo-horaires'), telephone: val('uo-telephone'), statut: 'actif' };
    add({ op: 'creer_uo', uo: rec }, `La nouvelle unité « ${rec.nom} »`);
  });

  // Lieux de réalisation: where the units deliver their offer besides the
  // établissement's own address (derived from FINESS). A new lieu, or a
  // declared one changed, with the units delivered there; « Fermer » takes
  // it out of its units' lists.
  const fonctions = (await call('GET', '/api/v1/nomenclature/fonction_lieu')).concepts || [];
  const lieux = fiche.lieux || [];
  const lieuSel = h('select', { class: 'fr-select', id: 'lieu-choix' }, h('option', { value: '' }, '— nouveau lieu —'),
    lieux.map(l => h('option', { value: l.id }, `${l.nom} (${l.id})${l.statut === 'ferme' ? ' — fermé' : ''}`)));
  const lieuForm = h('form', { id: 'lieu', novalidate: true },
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend' }, 'Lieux de réalisation',
      h('span', { class: 'fr-hint-text' }, `Par défaut, une unité réalise son offre à l'adresse de l'établissement (${fiche.adresse || 'FINESS'}), lieu dérivé de FINESS. Déclarer ici un autre lieu (antenne, consultation avancée, site voisin).`)),
      h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'lieu-choix' }, 'Lieu'), lieuSel)),
      h('div', { class: 'fr-fieldset__element' }, field('lieu-nom', 'Nom du lieu')),
      h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'lieu-fonction' }, 'Fonction du lieu'),
        h('select', { class: 'fr-select', id: 'lieu-fonction' }, fonctions.map(c => h('option', { value: c.code, selected: c.code === '005' || null }, `${c.label} (${c.code})`))))),
      h('div', { class: 'fr-fieldset__element' }, field('lieu-adresse', 'Adresse')),
      h('div', { class: 'fr-fieldset__element' }, field('lieu-cp', 'Code postal', { inputmode: 'numeric' })),
      h('div', { class: 'fr-fieldset__element' }, field('lieu-commune', 'Commune (code INSEE)', { inputmode: 'numeric' })),
      h('div', { class: 'fr-fieldset__element' }, field('lieu-lat', 'Latitude', { inputmode: 'decimal' }, 'degrés décimaux, WGS84 : 44.79671')),
      h('div', { class: 'fr-fieldset__element' }, field('lieu-lon', 'Longitude', { inputmode: 'decimal' }, 'degrés décimaux, WGS84 : 3.40322')),
      h('div', { class: 'fr-fieldset__element' }, field('lieu-horaires', "Horaires d'ouverture")),
      h('div', { class: 'fr-fieldset__element' }, h('fieldset', { class: 'fr-fieldset', id: 'lieu-uos' }, h('legend', { class: 'fr-fieldset__legend fr-text--regular' }, 'Unités qui y réalisent leur offre'),
        fiche.uo.map(u => h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-checkbox-group' },
          h('input', { type: 'checkbox', id: `lieu-uo-${u.id}`, value: u.id }), h('label', { class: 'fr-label', for: `lieu-uo-${u.id}` }, `${u.nom} (${u.id})`)))))),
      h('div', { class: 'fr-fieldset__element' }, h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit', id: 'lieu-ajouter' }, 'Ajouter au dossier'), ' ',
        h('button', { class: 'fr-btn fr-btn--tertiary', type: 'button', id: 'lieu-fermer' }, 'Fermer ce lieu'))));
  const fillLieu = () => {
    const l = lieux.find(x => x.id === lieuSel.value);
    const set = (id, v) => { document.getElementById(id).value = v ?? ''; };
    set('lieu-nom', l && l.nom); set('lieu-adresse', l && l.adresse); set('lieu-horaires', l && l.horaires);
    set('lieu-commune', l && l.commune && l.commune.insee); set('lieu-lat', l && l.position && l.position.lat); set('lieu-lon', l && l.position && l.position.lon);
    if (l) document.getElementById('lieu-fonction').value = l.fonction.code;
    for (const u of fiche.uo) document.getElementById(`lieu-uo-${u.id}`).checked = !!l && (u.lieux || []).some(x => x.id === l.id);
    document.getElementById('lieu-fermer').disabled = !l || l.statut === 'ferme';
  };
  lieuSel.addEventListener('change', fillLieu);
  lieuForm.addEventListener('submit', ev => {
    ev.preventDefault();
    const l = lieux.find(x => x.id === lieuSel.value);
    let n = lieux.length + 1;
    while (lieux.some(x => x.id === `${eg}-L${n}`)) n++;
    const rec = { id: l ? l.id : `${eg}-L${n}`, finess_eg: eg, nom: val('lieu-nom'), fonction: val('lieu-fonction'), adresse: val('lieu-adresse'),
      code_postal: val('lieu-cp'), commune: val('lieu-commune'), position: { lat: Number(val('lieu-lat')), lon: Number(val('lieu-lon')) }, horaires: val('lieu-horaires') };
    const uos = fiche.uo.filter(u => document.getElementById(`lieu-uo-${u.id}`).checked).map(u => u.id);
    add(l ? { op: 'modifier_lieu', lieu: rec, uos, version_base: l.version } : { op: 'creer_lieu', lieu: rec, uos }, `Le lieu « ${rec.nom} »`);
  });
  lieuForm.querySelector('#lieu-fermer').addEventListener('click', () => {
    const l = lieux.find(x => x.id === lieuSel.value);
    if (l) add({ op: 'fermer_lieu', lieu: { id: l.id, finess_eg: eg }, version_base: l.version }, `La fermeture du lieu « ${l.nom} »`);
  });

  // The établissement's contacts and horaires.
  const contacts = h('form', { id: 'contacts', novalidate: true },
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend' }, "Contacts et horaires de l'établissement"),
      h('div', { class: 'fr-fieldset__element' }, field('eg-telephone', 'Téléphone', { type: 'tel', value: fiche.telephone || '' })),
      h('div', { class: 'fr-fieldset__element' }, field('eg-email', 'Courriel', { type: 'email', value: fiche.email || '' })),
      h('div', { class: 'fr-fieldset__element' }, field('eg-horaires', 'Horaires', { value: fiche.horaires || '' })),
      h('div', { class: 'fr-fieldset__element' }, h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Ajouter au dossier'))));
  contacts.addEventListener('submit', ev => {
    ev.preventDefault();
    add({ op: 'modifier_eg', eg: { telephone: val('eg-telephone'), email: val('eg-email'), horaires: val('eg-horaires') }, version_base: fiche.version }, "Les contacts de l'établissement");
  });

  fill(root, head, choose, h('p', { class: 'fr-text--lg' }, `${fiche.nom} (FINESS ${eg}), ${fiche.commune && fiche.commune.nom ? fiche.commune.nom : ''}`),
    msg, current, mine, encadre, create, lieuForm, contacts);
  fillUnit();
  fillLieu();
  await load();
}
