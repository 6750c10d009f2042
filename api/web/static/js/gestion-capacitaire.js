// gestion-capacitaire.js: « Modifier mon capacitaire » (seed 002): every
// unit of the bed manager's scope in one table, the figures edited in place
// and saved as one feed (POST /api/v1/capacitaire, partial mode: each bad
// line is refused alone and its error shown on its line).
import { h, fill } from './dom.js';
import { call, formatDate } from './gestion-api.js';
import { alertBox, announce } from './gestion.js';

// fields: the figure, its full label (each input's name) and its column.
const fields = [
  ['lits_installes', 'Lits installés', 'Installés'],
  ['lits_fermes', 'Lits fermés', 'Fermés'],
  ['lits_indetermines', 'Lits indéterminés', 'Indéterminés'],
  ['lits_supplementaires', 'Lits supplémentaires mobilisés', 'Supplé­mentaires'],
  ['lits_disponibles', 'Lits disponibles', 'Disponibles'],
];

export async function capacitaireView(root, acct, params) {
  const head = [h('h1', { class: 'fr-h3' }, 'Modifier mon capacitaire'),
    h('p', {}, 'Saisir les indicateurs de lits de toutes vos unités sur cette page, puis « Enregistrer ». Seules les lignes modifiées sont envoyées, datées de maintenant.')];
  if (acct.role === 'administrateur') {
    const eg = h('input', { class: 'fr-input', id: 'cap-eg', name: 'eg', value: params.get('eg') || '', inputmode: 'numeric', autocomplete: 'off' });
    head.push(h('form', { method: 'get', action: '/espace', class: 'fr-mb-2v', id: 'cap-choix' },
      h('input', { type: 'hidden', name: 'vue', value: 'capacitaire' }),
      h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: 'cap-eg' }, 'FINESS géographique de l\'établissement'), eg),
      h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Afficher ses unités')));
    if (!params.get('eg')) { fill(root, head); return; }
  }
  const q = params.get('eg') ? `?eg=${encodeURIComponent(params.get('eg'))}` : '';
  const data = await call('GET', `/api/v1/capacitaire/perimetre${q}`);
  const msg = h('div', { id: 'cap-message' });
  const form = h('form', { id: 'capacitaire', novalidate: true });
  const rows = [];
  for (const eg of data.etablissements) {
    const body = [];
    let lieu = null; // the units come grouped by the lieu where their beds are
    for (const u of eg.uo) {
      if (u.lieu && u.lieu.id !== lieu) {
        lieu = u.lieu.id;
        body.push(h('tr', { class: 'lieu', dataset: { lieu } }, h('th', { scope: 'colgroup', colspan: String(fields.length + 3) },
          'Lieu de réalisation : ', u.lieu.nom, u.lieu.derive ? h('span', { class: 'fr-text--xs fr-text-mention--grey' }, " (adresse de l'établissement, dérivée de FINESS)") : null)));
      }
      const c = u.capacite || {};
      const row = { id: u.id, inputs: {}, initial: {} };
      const err = h('p', { class: 'ligne-erreur', id: `err-${cssId(u.id)}` });
      const cells = fields.map(([f, label]) => {
        const v = c.renseigne ? c[f] : '';
        row.initial[f] = String(v ?? '');
        const input = h('input', { class: 'fr-input', type: 'number', min: '0', max: '10000', step: '1', inputmode: 'numeric',
          id: `${f}-${cssId(u.id)}`, name: `${f}-${u.id}`, value: row.initial[f], 'aria-label': `${label}, ${u.nom}`, dataset: { champ: f } });
        row.inputs[f] = input;
        return h('td', {}, input);
      });
      row.tr = h('tr', { dataset: { uo: u.id } },
        h('th', { scope: 'row' }, h('span', { class: 'uo-nom' }, u.nom), h('br'), h('span', { class: 'fr-text--xs' }, `${u.type_uo && u.type_uo.label ? u.type_uo.label + ' · ' : ''}${u.id}`), err),
        cells,
        h('td', { class: 'maj' }, c.renseigne ? formatDate(c.maj) : 'Saisie non activée', c.renseigne && u.anciennete ? h('br') : null, c.renseigne && u.anciennete ? h('span', { class: 'fr-text--xs' }, u.anciennete) : null),
        h('td', { class: 'auteur' }, c.auteur || '—'));
      row.err = err;
      rows.push(row);
      body.push(row.tr);
    }
    form.append(h('div', { class: 'fr-table fr-table--bordered beds' }, h('div', { class: 'fr-table__wrapper' }, h('div', { class: 'fr-table__container' }, h('div', { class: 'fr-table__content' },
      h('table', { id: `cap-${eg.finess}` },
        h('caption', {}, `${eg.nom} (FINESS ${eg.finess}) — ${eg.uo.length} unité${eg.uo.length > 1 ? 's' : ''}`),
        h('thead', {},
          h('tr', {}, h('th', { scope: 'col', rowspan: '2' }, 'Unité'), h('th', { scope: 'colgroup', colspan: String(fields.length) }, 'Lits'),
            h('th', { scope: 'col', rowspan: '2' }, 'Dernière mise à jour'), h('th', { scope: 'col', rowspan: '2' }, 'Mis à jour par')),
          h('tr', {}, fields.map(([, , col]) => h('th', { scope: 'col' }, col)))),
        h('tbody', {}, body)))))));
  }
  if (rows.length === 0) {
    fill(root, head, alertBox('info', "Aucune unité dans le périmètre de ce compte : demander à un administrateur d'y ajouter vos établissements."));
    return;
  }
  form.append(msg, h('button', { class: 'fr-btn', type: 'submit', id: 'cap-enregistrer' }, 'Enregistrer les modifications'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const changed = rows.filter(r => fields.some(([f]) => r.inputs[f].value !== r.initial[f]));
    for (const r of rows) clearError(r);
    if (changed.length === 0) {
      fill(msg, alertBox('info', 'Aucune modification à enregistrer.', 'cap-resultat'));
      document.getElementById('cap-resultat').focus();
      return;
    }
    // A missing figure is an error, never a zero (issue 17): a changed line
    // needs its five indicators.
    const incomplete = changed.filter(r => fields.some(([f]) => r.inputs[f].value === ''));
    for (const r of incomplete) showError(r, { message: 'Saisir les cinq indicateurs de lits de cette unité (0 si aucun).', champ: fields.find(([f]) => r.inputs[f].value === '')[0] });
    if (incomplete.length > 0) {
      const text = `${incomplete.length} ligne${incomplete.length > 1 ? 's' : ''} incomplète${incomplete.length > 1 ? 's' : ''} : rien n'a été envoyé.`;
      fill(msg, alertBox('error', text, 'cap-resultat'));
      announce(text);
      const r = incomplete[0];
      r.inputs[fields.find(([f]) => r.inputs[f].value === '')[0]].focus();
      return;
    }
    const feed = changed.map(r => {
      const line = { uo: r.id };
      for (const [f] of fields) line[f] = Number(r.inputs[f].value);
      return line;
    });
    try {
      const rep = await call('POST', '/api/v1/capacitaire', feed);
      const rejected = rep.rejetees || [];
      for (const le of rejected) {
        const r = changed[le.ligne - 1];
        if (r) showError(r, le);
      }
      const ok = (rep.appliquees || 0) + (rep.inchangees || 0);
      const text = rejected.length === 0
        ? `${ok} unité${ok > 1 ? 's' : ''} enregistrée${ok > 1 ? 's' : ''}.`
        : `${ok} unité${ok > 1 ? 's' : ''} enregistrée${ok > 1 ? 's' : ''}, ${rejected.length} refusée${rejected.length > 1 ? 's' : ''} : voir le message sur chaque ligne.`;
      fill(msg, alertBox(rejected.length ? 'warning' : 'success', text, 'cap-resultat'));
      const now = new Date().toISOString();
      for (const r of changed) {
        if (r.tr.dataset.erreur !== undefined) continue;
        for (const [f] of fields) r.initial[f] = r.inputs[f].value;
        fill(r.tr.querySelector('.maj'), formatDate(now), h('br'), h('span', { class: 'fr-text--xs' }, "à l'instant"));
        fill(r.tr.querySelector('.auteur'), acct.nom);
      }
      announce(text);
      const first = rejected.length && changed[rejected[0].ligne - 1];
      if (first) (first.inputs[rejected[0].champ] || first.inputs.lits_disponibles).focus();
      else document.getElementById('cap-resultat').focus();
    } catch (err) {
      fill(msg, alertBox('error', err.message, 'cap-resultat'));
      document.getElementById('cap-resultat').focus();
    }
  });
  fill(root, head, form);
}

function cssId(id) { return id.replace(/[^A-Za-z0-9_-]/g, '_'); }

function showError(r, le) {
  r.tr.dataset.erreur = '';
  r.err.textContent = le.message;
  const input = r.inputs[le.champ] || null;
  for (const i of input ? [input] : Object.values(r.inputs)) {
    i.setAttribute('aria-invalid', 'true');
    i.setAttribute('aria-describedby', r.err.id);
  }
}

function clearError(r) {
  delete r.tr.dataset.erreur;
  r.err.textContent = '';
  for (const i of Object.values(r.inputs)) {
    i.removeAttribute('aria-invalid');
    i.removeAttribute('aria-describedby');
  }
}
