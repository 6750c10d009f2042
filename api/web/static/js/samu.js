// samu.js: the Proximité view, for a SAMU regulator. A need (a preset of
// /api/v1/besoins: every code it lists is required), a commune or a
// position typed « lat, lon », and the units nearest by travel time that
// carry it: phone first, then the beds and how old that figure is, a stale
// figure flagged. The URL holds it: ?vue=proximite&ou=&besoin=&lits_disponibles=.

import { h, fill, formatKm, formatDuration, formatDate, formatAge, callButton } from './dom.js';
import { getJSON, ApiError, Latest } from './api.js';
import { Combobox } from './combobox.js';

// position reads a typed « lat, lon » (WGS84 degrees, a dot or a comma
// between the two): "48.629, 2.441" → "48.629,2.441"; null otherwise.
export function position(text) {
  const m = text.trim().match(/^(-?\d{1,2}(?:\.\d+)?)\s*[,;\s]\s*(-?\d{1,3}(?:\.\d+)?)$/);
  if (!m) return null;
  const lat = +m[1], lon = +m[2];
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return null;
  return `${m[1]},${m[2]}`;
}

// SamuView owns the #proximite section; nav(params) navigates, onError
// shows an error, communes is the page's INSEE → commune cache.
export class SamuView {
  constructor(section, { nav, onError, communes }) {
    this.section = section;
    this.nav = nav;
    this.onError = onError;
    this.communes = communes;
    this.latest = new Latest();
    this.ou = { insee: '', label: '' };
    this.build();
  }

  build() {
    this.ouInput = h('input', {
      class: 'fr-input', id: 'samu-ou', name: 'ou', type: 'text', autocomplete: 'off', spellcheck: 'false',
      role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'samu-ou-list',
      'aria-describedby': 'samu-ou-aide',
    });
    this.ouList = h('div', { class: 'combo__popup', id: 'samu-ou-list', role: 'listbox', 'aria-label': 'Communes', hidden: true });
    this.status = h('p', { class: 'fr-sr-only', role: 'status', 'aria-live': 'polite' });
    this.besoin = h('select', { class: 'fr-select', id: 'samu-besoin', name: 'besoin', required: true },
      h('option', { value: '' }, 'Chargement des besoins…'));
    this.lits = h('input', { class: 'fr-input', id: 'samu-lits', name: 'lits_disponibles', type: 'number', min: 0, max: 1000, inputmode: 'numeric' });
    this.form = h('form', { id: 'samu-form', class: 'samu-form', novalidate: true, 'aria-label': 'Proximité : unités les plus proches' },
      h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
        h('div', { class: 'fr-col-12 fr-col-md-4' },
          h('div', { class: 'fr-input-group combo' },
            h('label', { class: 'fr-label', for: 'samu-ou' }, 'Où ?',
              h('span', { class: 'fr-hint-text', id: 'samu-ou-aide' }, 'Commune, code postal ou position « lat, lon » (48.629, 2.441)')),
            this.ouInput, this.ouList)),
        h('div', { class: 'fr-col-12 fr-col-md-5' },
          h('div', { class: 'fr-select-group' }, h('label', { class: 'fr-label', for: 'samu-besoin' }, 'Besoin',
            h('span', { class: 'fr-hint-text' }, 'Toutes ses exigences sont requises')), this.besoin)),
        h('div', { class: 'fr-col-12 fr-col-md-3' },
          h('div', { class: 'fr-input-group' },
            h('label', { class: 'fr-label', for: 'samu-lits' }, 'Lits disponibles',
              h('span', { class: 'fr-hint-text' }, 'au moins (facultatif)')),
            this.lits))),
      h('button', { class: 'fr-btn fr-icon-map-pin-2-line fr-btn--icon-left fr-mt-2v', type: 'submit', id: 'samu-chercher' }, 'Chercher les plus proches'),
      this.status);
    this.summary = h('p', { id: 'samu-resume', class: 'fr-text--lead fr-text--md fr-mt-3v fr-mb-1v', tabindex: '-1' });
    this.live = h('p', { class: 'fr-sr-only', role: 'status', 'aria-live': 'polite', id: 'samu-annonce' });
    this.list = h('div', { id: 'samu-liste' });
    fill(this.section,
      h('h2', { class: 'fr-h5 fr-mb-1v' }, 'Proximité : les unités les plus proches en temps de trajet'),
      h('p', { class: 'fr-text--sm fr-mb-2v' }, 'Toutes les exigences du besoin sont requises. Durées estimées en voiture, hors trafic ; ' +
        'la disponibilité en lits est celle saisie par l\'établissement, avec son heure.'),
      this.form, this.summary, this.live, this.list);

    this.combo = new Combobox({
      input: this.ouInput,
      listbox: this.ouList,
      status: this.status,
      minChars: 2,
      fetch: async (text, signal) => {
        if (position(text)) return [];
        const r = await getJSON(`/api/v1/communes?q=${encodeURIComponent(text)}`, signal);
        for (const c of r.communes) this.communes.set(c.insee, c);
        return [{ title: 'Communes', items: r.communes.map(c => ({ label: c.libelle, detail: c.departement ? `Dép. ${c.departement}` : '', value: c })) }];
      },
      onPick: item => {
        this.ou = { insee: item.value.insee, label: item.value.libelle };
        this.ouInput.value = item.value.libelle;
        // The focus stays: Tab goes on to the need (an Enter moved on to the
        // list of needs would open it instead of leaving it to the arrows).
      },
      onError: this.onError,
    });
    this.ouInput.addEventListener('input', () => {
      if (this.ouInput.value.trim() !== this.ou.label) this.ou = { insee: '', label: '' };
    });
    this.form.addEventListener('submit', e => {
      e.preventDefault();
      // The Enter that picked a commune is no request to search; one on the
      // button is, however soon after.
      if (this.combo.justPicked() && document.activeElement === this.ouInput) return;
      this.submit();
    });
  }

  async loadNeeds(selected) {
    if (!this.needs) {
      const r = await getJSON('/api/v1/besoins');
      this.needs = r.besoins || [];
      fill(this.besoin, h('option', { value: '' }, 'Choisir un besoin'),
        this.needs.map(b => h('option', { value: b.id }, b.label)));
    }
    this.besoin.value = selected || '';
  }

  submit() {
    const typed = this.ouInput.value.trim();
    const ou = position(typed) || (this.ou.insee && typed === this.ou.label ? this.ou.insee : typed);
    if (!ou) {
      this.onError(new ApiError('Indiquer une commune, un code postal ou une position « lat, lon ».'));
      this.ouInput.focus();
      return;
    }
    if (!this.besoin.value) {
      this.onError(new ApiError('Choisir un besoin.'));
      this.besoin.focus();
      return;
    }
    const p = new URLSearchParams({ vue: 'proximite', ou, besoin: this.besoin.value });
    if (this.lits.value !== '') p.set('lits_disponibles', this.lits.value);
    this.nav(p);
  }

  // show makes the view say what params asks and runs the lookup.
  async show(params) {
    const ou = params.get('ou') || '';
    const known = this.communes.get(ou);
    if (ou !== this.ou.insee && ou !== this.ouInput.value) {
      this.ou = known ? { insee: ou, label: known.libelle } : { insee: '', label: '' };
      this.ouInput.value = known ? known.libelle : ou;
    }
    this.lits.value = params.get('lits_disponibles') || '';
    try {
      await this.loadNeeds(params.get('besoin'));
    } catch (err) {
      this.onError(err);
      return;
    }
    if (!ou || !params.get('besoin')) {
      this.summary.textContent = '';
      this.list.replaceChildren();
      (ou ? this.besoin : this.ouInput).focus();
      return;
    }
    const q = new URLSearchParams(params);
    q.delete('vue');
    q.set('limit', '10');
    this.section.setAttribute('aria-busy', 'true');
    let res;
    try {
      res = await this.latest.run(signal => getJSON(`/api/v1/proximite?${q}`, signal));
    } catch (err) {
      this.summary.textContent = '';
      this.list.replaceChildren();
      this.onError(err);
      return;
    } finally {
      this.section.setAttribute('aria-busy', 'false');
    }
    if (!res) return;
    if (res.origine?.insee) {
      this.communes.set(res.origine.insee, { insee: res.origine.insee, libelle: res.origine.libelle });
      if (this.ouInput.value === ou) {
        this.ou = { insee: res.origine.insee, label: res.origine.libelle };
        this.ouInput.value = res.origine.libelle;
      }
    }
    this.render(res, params);
  }

  render(res, params) {
    const need = this.needs.find(b => b.id === params.get('besoin'));
    const from = res.origine?.libelle || res.origine?.nom || params.get('ou');
    const n = res.resultats.length;
    const text = n
      ? `${n} unité${n > 1 ? 's les' : ' la'} plus proche${n > 1 ? 's' : ''} de ${from} pour « ${need?.label || params.get('besoin')} », par temps de trajet.`
      : `Aucune unité ne répond à « ${need?.label || params.get('besoin')} » autour de ${from}.`;
    this.summary.textContent = text;
    this.live.textContent = text;
    const now = Date.now();
    fill(this.list, n ? h('ol', { class: 'samu-results fr-raw-list', id: 'samu-resultats', 'aria-label': 'Unités, de la plus proche à la plus lointaine en temps de trajet' },
      res.resultats.map((r, i) => {
        const titleId = `samu-r-${i}`;
        return h('li', { class: 'samu-card', 'aria-labelledby': titleId, dataset: { duree: r.duree_min ?? '', uo: r.uo.id } },
          h('div', { class: 'samu-card__call' },
            h('p', { class: 'samu-card__time' }, h('span', { class: 'eg-rank', 'aria-hidden': 'true' }, i + 1), ' ', formatDuration(r), ' · ', formatKm(r.distance_km)),
            callButton(r.uo.telephone || r.etablissement.telephone)),
          h('h3', { class: 'samu-card__title', id: titleId }, r.etablissement.nom),
          h('p', { class: 'samu-card__unit' }, r.uo.nom || r.uo.type_uo?.label, r.uo.type_uo?.label && r.uo.nom !== r.uo.type_uo.label ? ` — ${r.uo.type_uo.label}` : '',
            r.uo.intervient_a ? h('span', { class: 'fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1v' }, `intervient à ${r.uo.intervient_a}`) : null),
          h('p', { class: 'fr-text--sm fr-mb-1v' }, [r.etablissement.adresse, r.etablissement.commune?.libelle || r.etablissement.commune?.nom].filter(Boolean).join(', ')),
          beds(r, now));
      })) : null);
  }
}

// beds tells the bed figure of a result with its time: a figure older than
// a day is flagged « chiffre ancien », an absent one says so.
function beds(r, now) {
  const c = r.capacite;
  if (!c || !c.renseigne) {
    return h('p', { class: 'samu-card__beds fr-text--sm' }, 'Lits : ', h('span', { class: 'fr-text-mention--grey' }, r.uo.disponibilite || 'saisie non activée'));
  }
  const at = formatDate(c.maj);
  return h('p', { class: 'samu-card__beds fr-text--sm' },
    h('strong', {}, `${c.lits_disponibles} lit${c.lits_disponibles > 1 ? 's' : ''} disponible${c.lits_disponibles > 1 ? 's' : ''}`),
    ` sur ${c.lits_installes} installé${c.lits_installes > 1 ? 's' : ''}`,
    at ? h('span', { class: 'samu-card__age' }, ` — chiffre du ${at} (${formatAge(c.maj, now)})`) : h('span', {}, ' — heure du chiffre inconnue'),
    r.chiffre_ancien ? [' ', h('span', { class: 'fr-badge fr-badge--sm fr-badge--warning' }, 'Chiffre ancien')] : null);
}
