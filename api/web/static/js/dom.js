// dom.js: building DOM nodes without parsing HTML (every text from the API is
// set as text, never parsed as HTML), highlighting typed letters, and the
// French formats of numbers and durations.

// h creates an element: h('a', {href: '/', class: 'x'}, 'text', child…).
// Attributes starting with "on" become listeners; false/null are skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// clear empties el and appends children.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// fold lowercases and strips accents, as the server's analyzer does, so
// that "evry" highlights "Évry".
export function fold(s) {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

// highlight returns label's text with the occurrences of the typed words
// wrapped in <mark>, matching without case or accents.
export function highlight(label, typed) {
  const words = fold(typed).split(/[^\p{L}\p{N}]+/u).filter(w => w.length > 0);
  if (words.length === 0) return [label];
  // folded[i] comes from label[map[i]]: folding may drop combining marks.
  let folded = '';
  const map = [];
  const chars = Array.from(label);
  let offset = 0;
  for (const ch of chars) {
    const f = fold(ch);
    for (let k = 0; k < f.length; k++) map.push(offset);
    folded += f;
    offset += ch.length;
  }
  map.push(label.length);
  const on = new Array(label.length).fill(false);
  for (const w of words) {
    for (let i = folded.indexOf(w); i >= 0; i = folded.indexOf(w, i + 1)) {
      for (let j = map[i]; j < map[i + w.length]; j++) on[j] = true;
    }
  }
  const out = [];
  let start = 0;
  for (let i = 1; i <= label.length; i++) {
    if (i === label.length || on[i] !== on[start]) {
      const part = label.slice(start, i);
      out.push(on[start] ? h('mark', {}, part) : part);
      start = i;
    }
  }
  return out;
}

const km = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

// formatKm writes a distance the French way: "3,2 km".
export function formatKm(d) {
  return d === undefined || d === null ? '—' : `${km.format(d)} km`;
}

// formatMinutes writes a driving time: "12 min", "1 h 05"; estimated, it
// says so: "≈ 12 min".
export function formatMinutes(m, estimated) {
  if (m === undefined || m === null) return '—';
  const t = m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')}`;
  return estimated ? `≈ ${t}` : t;
}

// formatDuration writes a result's driving time: « ≈ 14 min » when
// estimated, « hors réseau routier » across the sea, "—" without a commune.
export function formatDuration(r) {
  if (r.hors_reseau_routier) return 'hors réseau routier';
  return formatMinutes(r.duree_min, r.duree_estimee);
}

// formatAge writes how old a figure is: "il y a 12 min", "il y a 3 h",
// "il y a 2 j".
export function formatAge(iso, now = Date.now()) {
  if (!iso || iso.startsWith('0001-')) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const min = Math.max(0, Math.round((now - t) / 60000));
  if (min < 60) return `il y a ${min} min`;
  if (min < 48 * 60) return `il y a ${Math.round(min / 60)} h`;
  return `il y a ${Math.round(min / 1440)} j`;
}

// formatDate writes a timestamp as "12/03/2025 à 14:05"; "" for the zero time.
export function formatDate(iso) {
  if (!iso || iso.startsWith('0001-')) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const date = d.toLocaleDateString('fr-FR');
  const time = d.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });
  return `${date} à ${time}`;
}

// telLink makes a phone number callable: "01 23 45 67 89" → tel:+33123456789.
export function telLink(phone) {
  if (!phone) return '—';
  const digits = phone.replace(/[^\d+]/g, '');
  const href = digits.startsWith('0') ? `tel:+33${digits.slice(1)}` : `tel:${digits}`;
  const pretty = /^0\d{9}$/.test(digits) ? digits.replace(/(\d{2})(?=\d)/g, '$1 ') : phone;
  return h('a', { href, class: 'fr-link fr-text--sm tel' }, pretty);
}

// callButton is a phone number as a tap target (44 px high at least).
export function callButton(phone) {
  const a = telLink(phone);
  if (!(a instanceof Node)) return null;
  a.className = 'fr-btn fr-btn--sm fr-icon-phone-line fr-btn--icon-left tel-btn';
  a.prepend(h('span', { class: 'fr-sr-only' }, 'Appeler le '));
  return a;
}

const statuts = {
  actif: ['Actif', 'fr-badge--success'],
  ferme_temporairement: ['Fermé temporairement', 'fr-badge--warning'],
  ferme: ['Fermé', 'fr-badge--error'],
};

// statutBadge renders a UO's statut as a DSFR badge.
export function statutBadge(statut) {
  const [label, cls] = statuts[statut] || [statut || 'Inconnu', 'fr-badge--info'];
  return h('span', { class: `fr-badge fr-badge--sm fr-badge--no-icon ${cls}` }, label);
}

// patienteleAbbr renders "E+A" with its meaning for screen readers.
export function patienteleAbbr(p) {
  const words = { E: 'Enfant', A: 'Adulte', 'E+A': 'Enfant et adulte' };
  return p ? h('abbr', { title: words[p] || p }, p) : '—';
}
