// gestion-admin.js: the administrator's pages: accounts and tokens, the
// validation queue of dossiers (each with its diff against the published
// offer), the reports inbox, the history of an établissement.
import { h, fill } from './dom.js';
import { call, formatDate, fieldOf } from './gestion-api.js';
import { alertBox, announce } from './gestion.js';
import { describeOps } from './gestion-diff.js';

function table(id, caption, heads, rows) {
  return h('div', { class: 'fr-table fr-table--bordered' }, h('div', { class: 'fr-table__wrapper' }, h('div', { class: 'fr-table__container' }, h('div', { class: 'fr-table__content' },
    h('table', { id }, h('caption', {}, caption),
      h('thead', {}, h('tr', {}, heads.map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows))))));
}

function input(id, label, attrs = {}, hint) {
  return h('div', { class: 'fr-input-group' },
    h('label', { class: 'fr-label', for: id }, label, hint ? h('span', { class: 'fr-hint-text' }, hint) : null),
    h('input', { class: 'fr-input', id, name: id, type: 'text', ...attrs }));
}

// done shows the outcome of an action in msg and moves the focus there.
function done(msg, kind, text) {
  fill(msg, alertBox(kind, text, msg.id + '-alerte'));
  msg.firstChild.focus();
  announce(text);
}

const roles = { lecteur: 'Lecteur', referent: 'Référent', gestionnaire_lits: 'Gestionnaire de lits', administrateur: 'Administrateur' };

// comptesView: create an account; per account, reset its password, make a
// token, revoke its tokens, close its sessions, disable it.
export async function comptesView(root) {
  const msg = h('div', { id: 'comptes-message' });
  const list = h('div', { id: 'comptes-liste' });
  const draw = async () => {
    const data = await call('GET', '/api/v1/comptes');
    fill(list, table('table-comptes', `${data.nombre} comptes`, ['Compte', 'Rôle', 'Périmètre', 'État', 'OpenID Connect', 'Sessions', 'Jetons', 'Actions'],
      data.comptes.map(a => h('tr', { dataset: { compte: a.nom } },
        h('th', { scope: 'row' }, a.nom),
        h('td', {}, roles[a.role] || a.role),
        h('td', {}, (a.perimetre || []).join(', ') || 'tout'),
        h('td', {}, a.revoque ? 'désactivé' : a.verrouille_jusqua ? `verrouillé jusqu'à ${formatDate(a.verrouille_jusqua)}` : a.mot_de_passe ? 'actif' : 'jeton seul'),
        h('td', {}, a.identite_oidc || '—'),
        h('td', {}, String(a.sessions)),
        h('td', {}, String(a.jetons)),
        h('td', {}, h('ul', { class: 'fr-btns-group fr-btns-group--sm fr-btns-group--inline' },
          h('li', {}, ask('Réinitialiser le mot de passe', a, `Nouveau mot de passe de « ${a.nom} »`, 'password', '12 caractères au moins ; ferme ses sessions et lève un verrouillage',
            async v => (await call('POST', `/api/v1/comptes/${encodeURIComponent(a.nom)}/mot-de-passe`, { mot_de_passe: v })).message)),
          h('li', {}, ask('Lier une identité OpenID Connect', a, `Identité OpenID Connect de « ${a.nom} »`, 'text', 'identifiant national Pro Santé Connect (vide : délier)',
            async v => (await call('POST', `/api/v1/comptes/${encodeURIComponent(a.nom)}/oidc`, { identite: v })).message, a.identite_oidc || '')),
          h('li', {}, action('Créer un jeton', async () => {
            const r = await call('POST', `/api/v1/comptes/${encodeURIComponent(a.nom)}/jetons`);
            return `Jeton de « ${a.nom} » : ${r.jeton} — ${r.message}`;
          })),
          h('li', {}, action('Révoquer les jetons', async () => {
            const r = await call('DELETE', `/api/v1/comptes/${encodeURIComponent(a.nom)}/jetons`);
            return `${r.jetons_revoques} jeton(s) révoqué(s) pour « ${a.nom} ».`;
          })),
          h('li', {}, h('button', { class: 'fr-btn fr-btn--sm fr-btn--tertiary', type: 'button', onclick: ev => showSessions(a, ev.currentTarget) }, 'Voir les sessions')),
          h('li', {}, action('Fermer les sessions', async () => {
            const r = await call('DELETE', `/api/v1/comptes/${encodeURIComponent(a.nom)}/sessions`);
            return `${r.sessions_fermees} session(s) fermée(s) pour « ${a.nom} ».`;
          })),
          a.revoque ? null : h('li', {}, action('Désactiver', async () => {
            return (await call('POST', `/api/v1/comptes/${encodeURIComponent(a.nom)}/revocation`)).message;
          }))))))));
  };
  // ask opens the form of one value (a password, an identity) above the
  // table, the focus in its field; Annuler or Échap closes it and gives the
  // focus back to the button.
  const asked = h('div', { id: 'compte-saisie' });
  const ask = (label, a, question, type, hint, fn, value = '') => {
    const btn = h('button', { class: 'fr-btn fr-btn--sm fr-btn--tertiary', type: 'button' }, label);
    btn.addEventListener('click', () => {
      const field = h('input', { class: 'fr-input', id: 'compte-saisie-valeur', type, value, autocomplete: type === 'password' ? 'new-password' : 'off' });
      const close = () => { asked.replaceChildren(); btn.focus(); };
      const form = h('form', { novalidate: true, class: 'fr-mb-2v' },
        h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: field.id }, question, h('span', { class: 'fr-hint-text' }, hint)), field),
        h('ul', { class: 'fr-btns-group fr-btns-group--inline fr-btns-group--sm' },
          h('li', {}, h('button', { class: 'fr-btn', type: 'submit' }, 'Enregistrer')),
          h('li', {}, h('button', { class: 'fr-btn fr-btn--secondary', type: 'button', onclick: close }, 'Annuler'))));
      form.addEventListener('keydown', ev => { if (ev.key === 'Escape') close(); });
      form.addEventListener('submit', async ev => {
        ev.preventDefault();
        try {
          const text = await fn(field.value);
          asked.replaceChildren();
          await draw();
          done(msg, 'success', text);
        } catch (err) { done(msg, 'error', err.message); }
      });
      fill(asked, form);
      field.focus();
    });
    return btn;
  };
  // rowButton finds the button of an account's row after a redraw.
  const rowButton = (name, label) => {
    const row = [...document.querySelectorAll('#table-comptes tr[data-compte]')].find(r => r.dataset.compte === name);
    return row ? [...row.querySelectorAll('button')].find(b => b.textContent === label) : null;
  };
  // showSessions lists the account's open sessions above the table, each
  // closable alone.
  const showSessions = async (a, btn) => {
    try {
      const r = await call('GET', `/api/v1/comptes/${encodeURIComponent(a.nom)}/sessions`);
      const close = () => { asked.replaceChildren(); (rowButton(a.nom, 'Voir les sessions') || btn).focus(); };
      fill(asked, h('section', { class: 'fr-mb-2v', id: 'sessions-compte', tabindex: '-1', 'aria-labelledby': 'sessions-titre' },
        h('h2', { class: 'fr-h6', id: 'sessions-titre' }, `Sessions ouvertes de « ${a.nom} » : ${r.sessions.length}`),
        h('ul', {}, r.sessions.map(x => h('li', {}, `Ouverte le ${formatDate(x.cree)}, expire le ${formatDate(x.expire)}, depuis ${x.adresse || '—'} `,
          h('button', { class: 'fr-btn fr-btn--sm fr-btn--tertiary', type: 'button', onclick: async () => {
            try {
              await call('DELETE', `/api/v1/comptes/${encodeURIComponent(a.nom)}/sessions?id=${encodeURIComponent(x.id)}`);
              await draw();
              await showSessions(a, btn);
              announce('Session fermée.');
            } catch (err) { done(msg, 'error', err.message); }
          } }, 'Fermer cette session')))),
        h('button', { class: 'fr-btn fr-btn--sm fr-btn--secondary', type: 'button', onclick: close }, 'Masquer')));
      document.getElementById('sessions-compte').focus();
    } catch (err) { done(msg, 'error', err.message); }
  };
  const action = (label, fn) => h('button', { class: 'fr-btn fr-btn--sm fr-btn--tertiary', type: 'button', onclick: async () => {
    try {
      const text = await fn();
      if (text) { await draw(); done(msg, 'success', text); }
    } catch (err) { done(msg, 'error', err.message); }
  } }, label);
  const form = h('form', { id: 'compte-nouveau', novalidate: true },
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend' }, 'Créer un compte nominatif'),
      h('div', { class: 'fr-fieldset__element' }, input('nouveau-nom', 'Nom et prénom', { autocomplete: 'off' })),
      h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'nouveau-role' }, 'Rôle'),
        h('select', { class: 'fr-select', id: 'nouveau-role' }, Object.entries(roles).map(([k, v]) => h('option', { value: k }, v))))),
      h('div', { class: 'fr-fieldset__element' }, input('nouveau-perimetre', 'Périmètre', { autocomplete: 'off' }, 'FINESS des EJ ou EG, séparés par des virgules')),
      h('div', { class: 'fr-fieldset__element' }, input('nouveau-mdp', 'Mot de passe initial', { type: 'password', autocomplete: 'new-password' }, '12 caractères au moins, à transmettre à la personne')),
      h('div', { class: 'fr-fieldset__element' }, h('button', { class: 'fr-btn', type: 'submit' }, 'Créer le compte'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const val = id => document.getElementById(id).value;
    try {
      const r = await call('POST', '/api/v1/comptes', { nom: val('nouveau-nom'), role: val('nouveau-role'),
        perimetre: val('nouveau-perimetre').split(',').map(s => s.trim()).filter(Boolean), mot_de_passe: val('nouveau-mdp') });
      form.reset();
      await draw();
      done(msg, 'success', r.message);
    } catch (err) {
      done(msg, 'error', err.message + (fieldOf(err) ? ` (champ ${fieldOf(err).replace('/', '')})` : ''));
    }
  });
  fill(root, h('h1', { class: 'fr-h3' }, 'Comptes et jetons'), msg, form, asked, list);
  await draw();
}

// validationView: the dossiers submitted, each with what it changes against
// the published offer, validated (at once or at a date d'effet) or rejected
// with a reason.
export async function validationView(root) {
  const msg = h('div', { id: 'validation-message' });
  const list = h('div', { id: 'validation-liste' });
  const draw = async () => {
    const data = await call('GET', '/api/v1/brouillons?statut=soumis');
    if (data.nombre === 0) { fill(list, h('p', {}, 'Aucun dossier en attente de validation.')); return; }
    const items = [];
    for (const d of data.brouillons) {
      let fiche = null;
      try { fiche = await call('GET', `/api/v1/eg/${d.finess_eg}`); } catch { fiche = null; }
      const date = h('input', { class: 'fr-input', type: 'datetime-local', id: `effet-${d.id}` });
      if (d.date_effet) date.value = localInput(d.date_effet); // the date the référent asked for
      const motif = h('input', { class: 'fr-input', type: 'text', id: `motif-${d.id}` });
      items.push(h('section', { class: 'fr-card fr-p-4v fr-mb-4v dossier', dataset: { id: d.id }, 'aria-labelledby': `titre-${d.id}` },
        h('h2', { class: 'fr-h5', id: `titre-${d.id}` }, `Dossier ${d.id} — ${fiche ? fiche.nom : d.finess_eg} (FINESS ${d.finess_eg})`),
        h('p', { class: 'fr-text--sm' }, `Par ${d.auteur}, modifié le ${formatDate(d.maj)} · ${d.statut_libelle}`),
        describeOps(d, fiche),
        h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
          h('div', { class: 'fr-col-12 fr-col-md-4' }, h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: date.id }, "Date d'effet", h('span', { class: 'fr-hint-text' }, 'facultative : vide, publication immédiate')), date)),
          h('div', { class: 'fr-col-12 fr-col-md-4' }, h('button', { class: 'fr-btn valider', type: 'button', onclick: () => act(d, 'valider', { date_effet: date.value ? new Date(date.value).toISOString().replace(/\.\d+Z$/, 'Z') : '' }) }, 'Valider')),
          h('div', { class: 'fr-col-12 fr-col-md-4' }, h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: motif.id }, 'Motif du rejet'), motif),
            h('button', { class: 'fr-btn fr-btn--secondary rejeter', type: 'button', onclick: () => act(d, 'rejeter', { motif: motif.value }) }, 'Rejeter')))));
    }
    fill(list, items);
  };
  const act = async (d, action, body) => {
    try {
      const r = await call('POST', `/api/v1/brouillons/${d.id}/${action}`, body);
      await draw();
      done(msg, 'success', `Dossier ${d.id} : ${r.statut_libelle}.`);
    } catch (err) {
      done(msg, 'error', err.status === 409 ? `${err.message} Le dossier a changé depuis l'affichage : la liste est rechargée.` : err.message);
      if (err.status === 409) await draw();
    }
  };
  fill(root, h('h1', { class: 'fr-h3' }, 'Validation des dossiers'), msg, list);
  await draw();
}

// signalementsView: the reports inbox, filtered by status and EG, each read
// and closed with a resolution.
export async function signalementsView(root, acct, params) {
  const msg = h('div', { id: 'signalements-message' });
  const list = h('div', { id: 'signalements-liste' });
  const statut = h('select', { class: 'fr-select', id: 'filtre-statut' },
    h('option', { value: 'ouverte' }, 'Ouverts'), h('option', { value: 'close' }, 'Clos'), h('option', { value: '' }, 'Tous'));
  statut.value = params.get('statut') ?? 'ouverte';
  const eg = h('input', { class: 'fr-input', id: 'filtre-eg', value: params.get('eg') || '', inputmode: 'numeric' });
  const draw = async () => {
    const q = new URLSearchParams();
    if (statut.value) q.set('statut', statut.value);
    if (eg.value.trim()) q.set('eg', eg.value.trim());
    const data = await call('GET', `/api/v1/anomalies?${q}`);
    fill(list, data.nombre === 0 ? h('p', {}, 'Aucun signalement.') : data.anomalies.map(a => {
      const res = h('input', { class: 'fr-input', id: `resolution-${a.id}` });
      return h('section', { class: 'fr-card fr-p-4v fr-mb-2v signalement', dataset: { id: a.id }, 'aria-labelledby': `sig-${a.id}` },
        h('h2', { class: 'fr-h6', id: `sig-${a.id}` }, `Signalement ${a.id} — FINESS ${a.finess}${a.uo ? ', unité ' + a.uo : ''} (${a.statut})`),
        h('p', {}, `Champ : ${a.champ || '—'} · reçu le ${formatDate(a.cree)} · contact ${a.email || '—'}`),
        h('p', {}, a.description),
        a.statut === 'close' ? h('p', {}, `Clos par ${a.close_par} le ${formatDate(a.close_le)} : ${a.resolution}`) :
          h('div', {}, h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: res.id }, 'Résolution'), res),
            h('button', { class: 'fr-btn fr-btn--sm', type: 'button', onclick: async () => {
              try {
                await call('POST', `/api/v1/anomalies/${a.id}/cloture`, { resolution: res.value });
                await draw();
                done(msg, 'success', `Signalement ${a.id} clos.`);
              } catch (err) { done(msg, 'error', err.message); }
            } }, 'Clore le signalement')));
    }));
  };
  const form = h('form', { id: 'filtres-signalements', class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-2v', novalidate: true },
    h('div', { class: 'fr-col-12 fr-col-md-3' }, h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'filtre-statut' }, 'Statut'), statut)),
    h('div', { class: 'fr-col-12 fr-col-md-3' }, h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: 'filtre-eg' }, 'FINESS de l\'établissement'), eg)),
    h('div', { class: 'fr-col-12 fr-col-md-3' }, h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Filtrer')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try { await draw(); announce(`${list.querySelectorAll('.signalement').length} signalement(s).`); } catch (err) { done(msg, 'error', err.message); }
  });
  fill(root, h('h1', { class: 'fr-h3' }, 'Signalements'), form, msg, list);
  await draw();
}

// historiqueView: who changed what of an EG and its units, newest first.
export async function historiqueView(root, acct, params) {
  const msg = h('div', { id: 'historique-message' });
  const out = h('div', { id: 'historique-liste' });
  const form = h('form', { method: 'get', action: '/espace', id: 'historique-choix', class: 'fr-mb-2v' },
    h('input', { type: 'hidden', name: 'vue', value: 'historique' }),
    input('historique-eg', 'FINESS géographique', { name: 'eg', value: params.get('eg') || '', inputmode: 'numeric' }),
    h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, "Afficher l'historique"));
  form.querySelector('input#historique-eg').name = 'eg';
  fill(root, h('h1', { class: 'fr-h3' }, "Historique d'un établissement"), form, msg, out);
  if (!params.get('eg')) return;
  try {
    const data = await call('GET', `/api/v1/eg/${encodeURIComponent(params.get('eg'))}/historique`);
    fill(out, table('table-historique', `${data.historique.length} modification(s) de ${data.finess}`, ['Date', 'Auteur', 'Type', 'Enregistrement'],
      data.historique.map(c => h('tr', {}, h('td', {}, formatDate(c.date)), h('td', {}, c.auteur), h('td', {}, c.type), h('td', {}, c.id)))));
  } catch (err) { done(msg, 'error', err.message); }
}

// localInput writes an RFC 3339 time as a datetime-local value (local time).
function localInput(s) {
  const d = new Date(s);
  if (isNaN(d)) return '';
  const p = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
