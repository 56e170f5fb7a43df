// Place labels from the gazetteer (GET /api/labels): capitals and large towns, more of them as
// one zooms in, so the offline map is not a blank square. They never take a click or the focus.
"use strict";

(() => {
  const { el, fetchJson, debounce } = window.FP;

  const LIMITS = [0, 0, 30, 45, 70, 100, 130, 160];  // by zoom; the last one from there on
  const FONT_PX = 11, LINE_PX = 15;

  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

  // The view as boxes in [-180, 180] (two when it straddles the 180th meridian), each with the
  // shift that puts its labels back where the view shows them.
  function boxes(bounds) {
    const s = clamp(bounds.getSouth(), -85, 85), n = clamp(bounds.getNorth(), -85, 85);
    let w = bounds.getWest(), e = bounds.getEast();
    if (n - s < 1e-3) return [];
    if (e - w >= 360) return [{ box: [-180, s, 180, n], shift: 0 }];
    const shift = Math.floor((w + 180) / 360) * 360;
    w -= shift; e -= shift;
    if (e <= 180) return [{ box: [w, s, e, n], shift }];
    return [{ box: [w, s, 180, n], shift }, { box: [-180, s, e - 360, n], shift: shift + 360 }];
  }

  class Labels {
    constructor(map) {
      this.map = map;
      map.createPane("labels");
      map.getPane("labels").style.zIndex = 450;  // above the outlines, below the markers
      map.getPane("labels").style.pointerEvents = "none";
      this.layer = L.layerGroup().addTo(map);
      this.abort = null;
      this.available = true;
      map.on("moveend", debounce(() => this.refresh(), 120));
    }

    async refresh() {
      if (this.abort) this.abort.abort();
      const abort = this.abort = new AbortController();
      const zoom = this.map.getZoom(), limit = LIMITS[Math.min(zoom, LIMITS.length - 1)];
      const found = [];
      try {
        for (const { box, shift } of boxes(this.map.getBounds())) {
          const bbox = box.map((v) => v.toFixed(3)).join(",");
          const page = await fetchJson(`/api/labels?bbox=${bbox}&limit=${limit}`, { signal: abort.signal });
          for (const item of page.items) found.push({ ...item, longitude: item.longitude + shift });
        }
      } catch (err) {
        if (err.name === "AbortError") return;
        // labels are a backdrop: without them (an older server) the map still works
        this.available = false;
        this.layer.clearLayers();
        return;
      }
      this.available = true;
      this.draw(found);
    }

    // Capitals first, then by population; a label that would overlap one already placed is left out.
    draw(items) {
      this.layer.clearLayers();
      items.sort((a, b) => (b.capital ? 1 : 0) - (a.capital ? 1 : 0) || (b.population || 0) - (a.population || 0));
      const placed = [];
      for (const item of items) {
        const p = this.map.latLngToContainerPoint([item.latitude, item.longitude]);
        const w = item.name.length * FONT_PX * 0.58 + 10, h = LINE_PX;
        const box = { x0: p.x - 4, x1: p.x + w, y0: p.y - h / 2, y1: p.y + h / 2 };  // a dot, the name to its right
        if (placed.some((q) => box.x0 < q.x1 && q.x0 < box.x1 && box.y0 < q.y1 && q.y0 < box.y1)) continue;
        placed.push(box);
        const node = el("span", { class: item.capital ? "fp-label capital" : "fp-label", text: item.name });
        const icon = L.divIcon({ html: node, className: "fp-label-icon", iconSize: null, iconAnchor: [0, 0] });
        L.marker([item.latitude, item.longitude], { icon, interactive: false, keyboard: false, pane: "labels" })
          .addTo(this.layer);
      }
      this.map.getContainer().dataset.labels = String(placed.length);
    }
  }

  window.FPLabels = { Labels, boxes };
})();
