// gestion.js: the espace de gestion at /espace. It asks who is signed in,
// shows the sign-in form or the pages of the account's role, and draws the
// view named by ?vue= (capacitaire, dossiers, validation, comptes,
// signalements, historique).
import { h, fill } from './dom.js';
import { call, setCSRF, fieldOf } from './gestion-api.js';
import { capacitaireView } from './gestion-capacitaire.js';
import { comptesView, validationView, signalementsView, historiqueView } from './gestion-admin.js';
import { dossiersView } from './gestion-dossier.js';
import { monOffreView, mesSignalementsView } from './gestion-offre.js';

const views = {
  capacitaire: { label: 'Modifier mon capacitaire', roles: ['gestionnaire_lits', 'administrateur'], draw: capacitaireView },
  dossiers: { label: 'Dossiers collaboratifs', roles: ['referent', 'administrateur'], draw: dossiersView },
  validation: { label: 'Validation des dossiers', roles: ['administrateur'], draw: validationView },
  signalements: { label: 'Signalements', roles: ['administrateur', 'referent'], draw: signalementsView },
  historique: { label: "Historique d'un établissement", roles: ['administrateur'], draw: historiqueView },
  comptes: { label: 'Comptes et jetons', roles: ['administrateur'], draw: comptesView },
  offre: { label: 'Mon offre', roles: ['professionnel'], draw: monOffreView },
  'mes-signalements': { label: 'Signalements sur mon offre', roles: ['professionnel'], draw: mesSignalementsView },
};

const vue = document.getElementById('vue');
const nav = document.getElementById('espace-nav');

// announce says a result to screen readers.
export function announce(text) {
  const el = document.getElementById('annonce');
  el.textContent = '';
  setTimeout(() => { el.textContent = text; }, 50);
}

// alertBox is a DSFR alert, focusable so that a keyboard user lands on it.
export function alertBox(kind, text, id) {
  return h('div', { class: `fr-alert fr-alert--${kind} fr-alert--sm fr-mb-2v`, id: id || null, tabindex: '-1', role: kind === 'error' ? 'alert' : 'status' }, h('p', {}, text));
}

async function start() {
  let session = null;
  try {
    session = await call('GET', '/api/v1/session');
  } catch (err) {
    if (err.status !== 401) {
      fill(vue, alertBox('error', err.message));
      vue.setAttribute('aria-busy', 'false');
      return;
    }
  }
  if (!session || !session.compte) {
    signInView();
    return;
  }
  setCSRF(session.csrf);
  const acct = session.compte;
  const allowed = Object.entries(views).filter(([, v]) => v.roles.includes(acct.role));
  const params = new URLSearchParams(location.search);
  let name = params.get('vue');
  if (!allowed.some(([k]) => k === name)) name = allowed.length ? allowed[0][0] : '';
  drawTools(acct);
  fill(nav, h('ul', {}, allowed.map(([k, v]) => h('li', {},
    h('a', { class: 'fr-btn fr-btn--sm' + (k === name ? '' : ' fr-btn--secondary'), href: `/espace?vue=${k}`, 'aria-current': k === name ? 'page' : null }, v.label)))));
  nav.hidden = allowed.length === 0;
  vue.setAttribute('aria-busy', 'true');
  if (!name) {
    fill(vue, h('h1', { class: 'fr-h3' }, 'Espace de gestion'), h('p', {}, `Le compte « ${acct.nom} » (rôle ${acct.role}) n'a pas de page de gestion : la recherche lui est ouverte.`));
  } else {
    document.title = `${views[name].label} — ROR Recherche`;
    try {
      await views[name].draw(vue, acct, params);
    } catch (err) {
      fill(vue, h('h1', { class: 'fr-h3' }, views[name].label), alertBox('error', err.message));
    }
  }
  vue.setAttribute('aria-busy', 'false');
}

const roleLabels = { lecteur: 'lecteur', referent: 'référent', gestionnaire_lits: 'gestionnaire de lits', administrateur: 'administrateur', professionnel: 'professionnel de santé' };

// drawTools says who is signed in, with « Se déconnecter », in the page
// itself: DSFR hides the header's tools on a phone.
function drawTools(acct) {
  const bar = document.getElementById('session');
  const out = h('button', { class: 'fr-btn fr-btn--sm fr-btn--tertiary fr-icon-logout-box-r-line fr-btn--icon-left', type: 'button', id: 'deconnexion' }, 'Se déconnecter');
  out.addEventListener('click', async () => {
    try { await call('DELETE', '/api/v1/session'); } catch { /* the session may be gone already */ }
    location.href = '/espace';
  });
  fill(bar, h('p', { class: 'fr-text--sm fr-mb-0' }, 'Connecté : ', h('strong', { id: 'compte-nom' }, acct.nom), ` (${roleLabels[acct.role] || acct.role}) `, out));
  bar.hidden = false;
}

// oidcErrors say why an OpenID Connect sign-in came back refused.
const oidcErrors = {
  'oidc-refus': 'La connexion a été annulée ou refusée chez le fournisseur d\'identité.',
  'oidc-etat': 'La connexion a expiré ou ne vient pas de cette page : recommencer.',
  'oidc-jeton': "Le jeton d'identité du fournisseur n'a pas pu être vérifié : recommencer, ou prévenir un administrateur.",
  'oidc-inconnu': "Cette identité n'est liée à aucun compte actif du ROR : demander à un administrateur de la lier à votre compte nominatif.",
};

// signInView is the sign-in form: the errors name their field.
function signInView() {
  const msg = h('div', { id: 'connexion-message' });
  const name = h('input', { class: 'fr-input', id: 'connexion-nom', name: 'nom', type: 'text', autocomplete: 'username', required: true, spellcheck: 'false' });
  const pass = h('input', { class: 'fr-input', id: 'connexion-mdp', name: 'mot_de_passe', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { id: 'connexion', class: 'fr-col-12 fr-col-md-6', novalidate: true },
    h('fieldset', { class: 'fr-fieldset' },
      h('legend', { class: 'fr-fieldset__legend' }, h('h1', { class: 'fr-h3' }, 'Se connecter')),
      h('div', { class: 'fr-fieldset__element' }, h('p', { class: 'fr-text--sm' }, 'Comptes nominatifs seulement. Après 5 mots de passe erronés, le compte est verrouillé 15 minutes.')),
      h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: 'connexion-nom' }, 'Nom du compte'), name)),
      h('div', { class: 'fr-fieldset__element' }, h('div', { class: 'fr-input-group' }, h('label', { class: 'fr-label', for: 'connexion-mdp' }, 'Mot de passe'), pass)),
      h('div', { class: 'fr-fieldset__element' }, msg),
      h('div', { class: 'fr-fieldset__element' }, h('button', { class: 'fr-btn', type: 'submit', id: 'connexion-envoyer' }, 'Se connecter'))));
  const sso = h('div', { id: 'connexion-oidc', class: 'fr-col-12 fr-col-md-5 fr-col-offset-md-1' });
  const reason = oidcErrors[new URLSearchParams(location.search).get('erreur')];
  if (reason) fill(msg, alertBox('error', reason, 'connexion-erreur'));
  call('GET', '/api/v1/oidc').then(info => {
    fill(sso, h('h2', { class: 'fr-h5' }, `Avec ${info.libelle}`),
      h('p', { class: 'fr-text--sm' }, 'Votre identité doit avoir été liée à votre compte par un administrateur.'),
      h('a', { class: 'fr-btn fr-btn--secondary', id: 'connexion-oidc-lien', href: info.connexion }, `Se connecter avec ${info.libelle}`));
  }, () => { /* 404: passwords only */ });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const el of [name, pass]) el.removeAttribute('aria-invalid');
    try {
      await call('POST', '/api/v1/session', { nom: name.value, mot_de_passe: pass.value });
      location.reload();
    } catch (err) {
      const bad = fieldOf(err) === '/nom' ? name : pass;
      bad.setAttribute('aria-invalid', 'true');
      bad.setAttribute('aria-describedby', 'connexion-erreur');
      fill(msg, alertBox('error', err.message, 'connexion-erreur'));
      pass.value = '';
      bad.focus();
    }
  });
  fill(vue, h('div', { class: 'fr-grid-row' }, form, sso));
  vue.setAttribute('aria-busy', 'false');
  name.focus();
}

start();
