// gestion-diff.js: what a dossier changes against the published offer,
// field by field: the published value struck out, the proposed one marked
// as inserted.
import { h } from './dom.js';

const opLabels = { creer_uo: "Création d'une unité", modifier_uo: "Modification d'une unité", fermer_uo: "Fermeture d'une unité", modifier_eg: "Contacts et horaires de l'établissement",
  creer_lieu: "Déclaration d'un lieu de réalisation", modifier_lieu: "Modification d'un lieu de réalisation", fermer_lieu: "Fermeture d'un lieu de réalisation" };
const lieuFields = [['nom', 'Nom'], ['fonction', 'Fonction du lieu'], ['adresse', 'Adresse'], ['code_postal', 'Code postal'], ['commune', 'Commune (INSEE)'], ['horaires', 'Horaires']];
const uoFields = [['nom', 'Nom'], ['type_uo', "Type d'unité"], ['champ_activite', "Champ d'activité"], ['activites', 'Activités'], ['actes', 'Actes'],
  ['equipements', 'Équipements'], ['modes', 'Modes de prise en charge'], ['publics', 'Publics'], ['professions', 'Professions'], ['horaires', 'Horaires'], ['telephone', 'Téléphone']];
const egFields = [['telephone', 'Téléphone'], ['email', 'Courriel'], ['horaires', 'Horaires']];

// text writes a published (coded, labelled) or proposed (code) value.
function text(v) {
  if (v === undefined || v === null || v === '') return '';
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join(', ');
  if (typeof v === 'object') return v.code ? (v.label ? `${v.label} (${v.code})` : v.code) : '';
  return String(v);
}

function codes(v) {
  if (Array.isArray(v)) return v.map(codes).join(',');
  if (v && typeof v === 'object') return v.code || '';
  return v ?? '';
}

// describeOps returns the list of a draft's operations with their diffs.
export function describeOps(draft, fiche) {
  return h('ol', { class: 'diff' }, draft.operations.map(op => {
    const items = [];
    if (op.op === 'modifier_eg') {
      for (const [f, label] of egFields) items.push(row(label, fiche ? fiche[f] : '', op.eg[f]));
    } else if (op.lieu) {
      const pub = fiche && fiche.lieux ? fiche.lieux.find(l => l.id === op.lieu.id) : null;
      const published = pub ? { ...pub, commune: pub.commune && pub.commune.insee } : null;
      for (const [f, label] of lieuFields) {
        if (op.op === 'fermer_lieu') break;
        items.push(row(label, published ? published[f] : '', op.lieu[f]));
      }
      if (op.lieu.position && op.op !== 'fermer_lieu') items.push(row('Position', published && published.position ? `${published.position.lat}, ${published.position.lon}` : '', `${op.lieu.position.lat}, ${op.lieu.position.lon}`));
      if (op.uos) items.push(row('Unités réalisant leur offre ici', '', op.uos.join(', ')));
      const shown = items.filter(Boolean);
      return h('li', {}, h('strong', {}, `${opLabels[op.op]} « ${op.lieu.nom || op.lieu.id} » (${op.lieu.id})`),
        shown.length ? h('ul', {}, shown) : h('p', { class: 'fr-text--sm' }, op.op === 'fermer_lieu' ? 'Le lieu sera fermé : ses unités ne le citeront plus.' : 'Aucun champ ne change.'));
    } else {
      const pub = fiche && fiche.uo ? fiche.uo.find(u => u.id === op.uo.id) : null;
      for (const [f, label] of uoFields) {
        if (op.op === 'fermer_uo') break;
        items.push(row(label, pub ? pub[f] : '', op.uo[f]));
      }
    }
    const shown = items.filter(Boolean);
    return h('li', {}, h('strong', {}, `${opLabels[op.op] || op.op}${op.uo ? ' « ' + (op.uo.nom || op.uo.id) + ' » (' + op.uo.id + ')' : ''}`),
      shown.length ? h('ul', {}, shown) : h('p', { class: 'fr-text--sm' }, op.op === 'fermer_uo' ? "L'unité sera fermée." : 'Aucun champ ne change.'));
  }));
}

function row(label, published, proposed) {
  if (codes(published) === codes(proposed) || (text(published) === '' && text(proposed) === '')) return null;
  return h('li', {}, `${label} : `,
    text(published) ? h('del', {}, h('span', { class: 'fr-sr-only' }, 'publié : '), text(published)) : null, ' ',
    text(proposed) ? h('ins', {}, h('span', { class: 'fr-sr-only' }, 'proposé : '), text(proposed)) : h('em', {}, '(vidé)'));
}
