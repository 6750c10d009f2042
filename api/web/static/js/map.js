// map.js: the Carte view. Leaflet and its marker clusters are loaded only
// when the user first opens the map. The base layer is the department
// outlines served by the API, so the map works offline; a raster tile URL
// configured on the server (data-tiles on <body>) is drawn under it.

import { h, fill, formatKm, formatDuration, telLink } from './dom.js';
import { getJSON, apiParams, Latest } from './api.js';
import { nonGeolocated } from './results.js';

let leaflet = null; // the promise of the loaded library

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = h('script', { src });
    s.onload = resolve;
    s.onerror = () => reject(new Error(`chargement de ${src}`));
    document.head.append(s);
  });
}

function loadLeaflet() {
  if (!leaflet) {
    for (const href of ['/assets/leaflet/leaflet.css', '/assets/markercluster/MarkerCluster.css', '/assets/markercluster/MarkerCluster.Default.css']) {
      document.head.append(h('link', { rel: 'stylesheet', href }));
    }
    // markercluster extends the global L, so it loads after Leaflet.
    leaflet = loadScript('/assets/leaflet/leaflet.js')
      .then(() => loadScript('/assets/markercluster/leaflet.markercluster.js'))
      .then(() => window.L);
  }
  return leaflet;
}

// MapView draws the établissements of a search on a map inside pane.
export class MapView {
  constructor(pane, { view, onError }) {
    this.view = view; // ResultsView: params, href, go
    this.onError = onError;
    this.latest = new Latest();
    this.zone = h('button', { type: 'button', class: 'fr-btn fr-btn--secondary fr-btn--sm fr-icon-search-line fr-btn--icon-left', id: 'zone' },
      'Rechercher dans cette zone');
    this.zone.addEventListener('click', () => this.searchZone());
    this.status = h('p', { class: 'fr-text--sm fr-mb-1v', role: 'status' });
    this.el = h('div', { id: 'carte', class: 'map', role: 'region', 'aria-label': 'Carte des établissements' });
    this.side = h('div', { class: 'map-side' });
    fill(pane, h('div', { class: 'map-toolbar' }, this.zone, this.status),
      h('div', { class: 'map-layout' }, this.el, this.side));
  }

  async ensureMap() {
    const L = await loadLeaflet();
    if (this.map) return L;
    // Leaflet's controls speak English by default; the zoom sits bottom
    // right so that it never covers a popup's title on a phone.
    this.map = L.map(this.el, { zoomControl: false, preferCanvas: true, minZoom: 4, maxZoom: 18 }).setView([46.6, 2.4], 6);
    L.control.zoom({ position: 'bottomright', zoomInTitle: 'Zoom avant', zoomOutTitle: 'Zoom arrière' }).addTo(this.map);
    this.map.attributionControl.setPrefix('<a href="https://leafletjs.com" title="Bibliothèque de cartes Leaflet">Leaflet</a>');
    const tiles = document.body.dataset.tiles;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: document.body.dataset.tilesAttribution || '' }).addTo(this.map);
    }
    this.outlines(L);
    this.places(L);
    // A cluster is a square with « n » and a name saying it is a group,
    // an établissement a round marker with its rank: they never look alike.
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 40, chunkedLoading: true,
      iconCreateFunction: c => {
        const n = c.getChildCount();
        return L.divIcon({ className: 'eg-cluster', html: `<span>${n}</span>`, iconSize: [34, 34] });
      },
    });
    this.cluster.on('animationend', () => this.nameClusters());
    this.map.on('zoomend moveend', () => this.nameClusters());
    this.map.on('popupopen', e => {
      const close = e.popup.getElement()?.querySelector('.leaflet-popup-close-button');
      if (close) {
        close.setAttribute('aria-label', 'Fermer la fenêtre');
        close.setAttribute('title', 'Fermer');
      }
    });
    this.map.addLayer(this.cluster);
    this.origin = L.layerGroup().addTo(this.map);
    return L;
  }

  async outlines(L) {
    try {
      const geo = await getJSON('/api/v1/departements.geojson');
      const tiles = Boolean(document.body.dataset.tiles);
      L.geoJSON(geo, {
        interactive: false,
        style: { color: '#6a6af4', weight: 1, opacity: 0.7, fillColor: tiles ? 'transparent' : '#f5f5fe', fillOpacity: tiles ? 0 : 1 },
      }).addTo(this.map).bringToBack();
    } catch {
      this.status.textContent = 'Fond de carte indisponible : seuls les établissements sont affichés.';
    }
  }

  // nameClusters gives each cluster's focusable element a French name
  // (« Groupe de 3 établissements, zoomer »), not the bare count.
  nameClusters() {
    for (const el of this.el.querySelectorAll('.eg-cluster')) {
      const n = el.textContent.trim();
      el.setAttribute('role', 'button');
      el.setAttribute('tabindex', '0');
      el.setAttribute('aria-label', `Groupe de ${n} établissements : zoomer pour les voir`);
      el.setAttribute('title', `Groupe de ${n} établissements`);
    }
  }

  // places writes the names of the main communes on the offline map (the
  // gazetteer's largest ones, more as one zooms in), so that it can be read
  // without a tile server.
  async places(L) {
    let fc;
    try {
      fc = await getJSON('/api/v1/communes.geojson');
    } catch {
      return; // the outlines and markers are enough to use the map
    }
    this.placeLayer = L.layerGroup().addTo(this.map);
    // The most populous first; a name that would overlap one already
    // written is left out, so the labels stay readable in dense areas.
    const draw = () => {
      this.placeLayer.clearLayers();
      const z = this.map.getZoom();
      const min = z >= 11 ? 0 : z >= 9 ? 20000 : z >= 8 ? 50000 : z >= 7 ? 100000 : 300000;
      const view = this.map.getBounds().pad(0.1);
      const boxes = [];
      for (const f of fc.features) {
        if ((f.properties.population || 0) < min) continue;
        const [lon, lat] = f.geometry.coordinates;
        if (!view.contains([lat, lon])) continue;
        const p = this.map.latLngToLayerPoint([lat, lon]);
        const w = f.properties.nom.length * 6.5 + 8, hgt = 16;
        const box = [p.x - w / 2, p.y - hgt / 2, p.x + w / 2, p.y + hgt / 2];
        if (boxes.some(b => box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1])) continue;
        boxes.push(box);
        L.marker([lat, lon], {
          interactive: false, keyboard: false,
          icon: L.divIcon({ className: 'place-label', html: '', iconSize: [0, 0] }),
        }).bindTooltip(f.properties.nom, { permanent: true, direction: 'center', className: 'place-name', interactive: false })
          .addTo(this.placeLayer);
      }
    };
    this.map.on('zoomend moveend', draw);
    draw();
  }

  // show loads the établissements of the search in params (every result
  // up to 200, not one page).
  async show(params, origin) {
    let L;
    try {
      L = await this.ensureMap();
    } catch (err) {
      console.error(err);
      this.status.textContent = 'La carte n\'a pas pu être chargée.';
      return;
    }
    this.map.invalidateSize();
    const key = apiParams(params);
    key.delete('page');
    if (this.shownKey === String(key)) return;
    this.status.textContent = 'Chargement de la carte…';
    let fc;
    try {
      fc = await this.latest.run(signal => getJSON(`/api/v1/search.geojson?${key}`, signal));
    } catch (err) {
      this.status.textContent = '';
      this.onError(err);
      return;
    }
    if (!fc) return;
    this.shownKey = String(key);
    this.draw(L, fc, params, origin);
  }

  draw(L, fc, params, origin) {
    this.cluster.clearLayers();
    this.origin.clearLayers();
    const markers = fc.features.map((f, i) => {
      const [lon, lat] = f.geometry.coordinates;
      const icon = L.divIcon({ className: 'eg-marker', html: `<span>${i + 1}</span>`, iconSize: [28, 28], iconAnchor: [14, 14] });
      const m = L.marker([lat, lon], { icon, title: f.properties.nom, keyboard: true, alt: `${i + 1}. ${f.properties.nom}` });
      // At 360 px the popup (its content plus 44 px of frame) fits the map's
      // 328 px and pans clear of its edges.
      m.bindPopup(() => this.popup(f.properties), {
        maxWidth: Math.min(300, window.innerWidth - 110), autoPanPadding: [12, 12], closeButton: true,
      });
      return m;
    });
    this.cluster.addLayers(markers);
    this.nameClusters();
    if (origin) {
      L.circleMarker([origin.lat, origin.lon], { radius: 7, color: '#000091', weight: 3, fillColor: '#fff', fillOpacity: 1 })
        .bindTooltip('Point de départ des distances').addTo(this.origin);
    }
    const n = fc.features.length;
    this.status.textContent = `${n} établissement${n > 1 ? 's' : ''} sur la carte.`;
    const bbox = params.get('bbox');
    if (bbox) {
      const [a, b, c, d] = bbox.split(',').map(Number);
      this.map.fitBounds([[b, a], [d, c]]);
    } else if (n) {
      // Frame the nearest ones (the first page), not all of France.
      const bounds = L.latLngBounds(markers.slice(0, 15).map(m => m.getLatLng()));
      if (origin) bounds.extend([origin.lat, origin.lon]);
      this.map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
    }
    fill(this.side, nonGeolocated(fc.non_geolocalisees, this.view) ||
      h('p', { class: 'fr-text--sm' }, 'Tous les établissements trouvés sont géolocalisés.'));
  }

  // popup is the summary of an établissement shown when its marker is clicked.
  popup(p) {
    const uos = p.uo || [];
    return h('div', { class: 'eg-popup' },
      h('p', { class: 'fr-text--md fr-text--bold fr-mb-1v' }, p.nom),
      h('p', { class: 'fr-text--sm fr-mb-1v' }, [p.adresse, p.commune].filter(Boolean).join(', ')),
      h('p', { class: 'fr-text--sm fr-mb-1v' }, [p.distance_km != null ? formatKm(p.distance_km) : null,
        p.duree_min != null || p.hors_reseau_routier ? formatDuration(p) : null, `${p.nb_uo} UO`].filter(Boolean).join(' · ')),
      p.telephone ? h('p', { class: 'fr-text--sm fr-mb-1v' }, 'Téléphone : ', telLink(p.telephone)) : null,
      h('ul', { class: 'fr-text--xs fr-mb-1v' }, uos.slice(0, 3).map(u => h('li', {}, u.nom || u.type_uo?.label,
        u.type_uo?.label && u.nom ? ` — ${u.type_uo.label}` : '', u.patientele ? ` (${u.patientele})` : '',
        u.intervient_a ? ` · intervient à ${u.intervient_a}` : ''))),
      h('a', { class: 'fr-link fr-link--sm fr-icon-arrow-right-line fr-link--icon-right', href: this.view.href({ eg: p.finess }), 'data-nav': '' },
        'Ouvrir la fiche'));
  }

  // searchZone re-runs the search restricted to the visible box.
  searchZone() {
    if (!this.map) return;
    const b = this.map.getBounds();
    const r = x => x.toFixed(4);
    const box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    box[0] = Math.max(box[0], -180); box[2] = Math.min(box[2], 180);
    box[1] = Math.max(box[1], -90); box[3] = Math.min(box[3], 90);
    this.view.go({ bbox: box.map(r).join(','), page: null });
  }
}
