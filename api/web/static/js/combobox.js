// combobox.js: a text input with a list of suggestions, after the WAI-ARIA
// 1.2 combobox pattern (list autocomplete): the focus stays in the input,
// aria-activedescendant names the highlighted option; ↓/↑ move, Entrée
// picks, Échap closes, Tab leaves. Suggestions are fetched after a pause in
// typing and a newer request aborts the older one.

import { h, fill, highlight } from './dom.js';
import { Latest } from './api.js';

let uid = 0;

// Combobox wires one input to its listbox.
//   fetch(text, signal) → [{title, items: [{label, detail, value}]}]
//   onPick(item) is called with the chosen item.
//   onError(err) receives failed fetches.
export class Combobox {
  constructor({ input, listbox, status, fetch, onPick, onError, minChars = 1, delay = 60 }) {
    Object.assign(this, { input, listbox, status, fetch, onPick, onError, minChars, delay });
    this.items = [];
    this.active = -1;
    this.timer = 0;
    this.latest = new Latest();
    this.id = `cb${++uid}`;
    input.addEventListener('input', () => this.schedule());
    input.addEventListener('keydown', e => this.onKey(e));
    // Closed a moment after the focus leaves (a click on an option lands
    // first), unless it came back meanwhile.
    input.addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== this.input) this.close(); }, 150));
    input.addEventListener('focus', () => { if (this.items.length && this.input.value.trim()) this.open(); });
    // mousedown, not click: picking must happen before the input's blur.
    listbox.addEventListener('mousedown', e => {
      const opt = e.target.closest('[role=option]');
      if (!opt || opt.dataset.index === undefined) return;
      e.preventDefault();
      this.pick(Number(opt.dataset.index));
    });
  }

  schedule() {
    clearTimeout(this.timer);
    const text = this.input.value.trim();
    if (text.length < this.minChars) {
      this.latest.cancel();
      this.render([]);
      this.close();
      return;
    }
    this.timer = setTimeout(() => this.load(text), this.delay);
  }

  // refresh fetches again now (e.g. when "Rechercher dans" changes).
  refresh() {
    if (document.activeElement === this.input) this.schedule();
    else this.render([]);
  }

  async load(text) {
    try {
      const groups = await this.latest.run(signal => this.fetch(text, signal));
      if (groups === undefined || this.input.value.trim() !== text) return;
      // null: this field offers no suggestions now (not « none found »).
      if (groups === null) { this.render([]); this.close(); return; }
      this.render(groups, text);
      if (document.activeElement === this.input) this.open();
    } catch (err) {
      this.render([]);
      this.close();
      if (this.onError) this.onError(err);
    }
  }

  render(groups, text = '') {
    this.items = [];
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    const nodes = [];
    groups.forEach((g, gi) => {
      if (!g.items.length) return;
      const options = g.items.map(item => {
        const index = this.items.push(item) - 1;
        return h('div', { role: 'option', id: `${this.id}-o${index}`, class: 'combo__option', 'aria-selected': 'false', dataset: { index } },
          h('span', { class: 'combo__label' }, highlight(item.label, text)),
          item.detail ? h('span', { class: 'combo__detail' }, item.detail) : null);
      });
      if (g.title) {
        const hid = `${this.id}-g${gi}`;
        nodes.push(h('div', { role: 'group', 'aria-labelledby': hid },
          h('div', { role: 'presentation', id: hid, class: 'combo__group-title' }, g.title), options));
      } else {
        nodes.push(...options);
      }
    });
    // A listbox holds options only (ARIA): the empty note is a disabled one.
    if (!this.items.length && text) nodes.push(h('div', { role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', class: 'combo__empty' }, 'Aucune suggestion'));
    fill(this.listbox, nodes);
    if (this.status) {
      const n = this.items.length;
      this.status.textContent = !text ? '' : n === 0 ? 'Aucune suggestion.'
        : `${n} suggestion${n > 1 ? 's' : ''} : flèches haut et bas pour parcourir, Entrée pour choisir.`;
    }
  }

  // dismiss closes the list and drops the suggestions still on their way:
  // once the form is submitted, a late answer must not open over the results.
  dismiss() {
    clearTimeout(this.timer);
    this.latest.cancel();
    this.close();
  }

  open() {
    if (!this.listbox.childElementCount) return;
    this.listbox.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  close() {
    this.listbox.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.setActive(-1);
  }

  // justPicked tells a form's submit handler that the Enter key which just
  // picked a suggestion is not also a request to submit (some input paths
  // deliver the key's "char" even when keydown was cancelled).
  justPicked() {
    return performance.now() - (this.pickedAt || -1e9) < 100;
  }

  isOpen() {
    return !this.listbox.hidden;
  }

  setActive(i) {
    const prev = this.listbox.querySelector('[aria-selected=true]');
    if (prev) prev.setAttribute('aria-selected', 'false');
    this.active = i;
    if (i < 0) {
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    const opt = document.getElementById(`${this.id}-o${i}`);
    opt.setAttribute('aria-selected', 'true');
    this.input.setAttribute('aria-activedescendant', opt.id);
    opt.scrollIntoView({ block: 'nearest' });
  }

  onKey(e) {
    const n = this.items.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (!n) return;
        e.preventDefault();
        if (!this.isOpen()) {
          this.open();
          this.setActive(e.key === 'ArrowDown' ? 0 : n - 1);
          return;
        }
        const step = e.key === 'ArrowDown' ? 1 : -1;
        this.setActive(this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
        return;
      }
      case 'Enter':
        if (this.isOpen() && this.active >= 0) {
          e.preventDefault();
          this.pick(this.active);
        } else {
          this.close();
        }
        return;
      case 'Escape':
        if (this.isOpen()) {
          e.preventDefault();
          this.close();
        } else if (this.input.value) {
          e.preventDefault();
          this.input.value = '';
          this.render([]);
        }
        return;
      case 'Tab':
        this.close();
    }
  }

  pick(i) {
    const item = this.items[i];
    if (!item) return;
    clearTimeout(this.timer);
    this.latest.cancel();
    this.close();
    this.pickedAt = performance.now();
    this.onPick(item);
  }
}
