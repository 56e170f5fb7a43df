// The map: country outlines (no tile server needed), a marker per placed event, clusters, the
// selected event, flying to an event, and the view reported for the URL.
"use strict";

(() => {
  const { COLOURS, TYPES, el, fetchJson } = window.FP;

  // Marker diameter grows with the square root of fatalities (its area with the count), capped:
  // a 100,000-death event must not cover the map.
  const MIN_SIZE = 10, MAX_SIZE = 36;
  const FLY_ZOOM = 8;  // an opened event is shown at least this close
  function markerSize(fatalities) {
    return Math.min(MAX_SIZE, Math.round(MIN_SIZE + 2.6 * Math.sqrt(Math.max(0, Number(fatalities) || 0))));
  }

  function isActivation(e) { return e.key === "Enter" || e.key === " " || e.key === "Spacebar"; }

  // A cluster takes the colour of the type most of its events have (ties: legend order), so it
  // reads with the legend; its title says the whole mix.
  function clusterIcon(cluster) {
    const tally = new Map();
    for (const m of cluster.getAllChildMarkers()) {
      const t = m.options.eventType;
      tally.set(t, (tally.get(t) || 0) + 1);
    }
    const ranked = [...tally].sort((a, b) => b[1] - a[1] || TYPES.indexOf(a[0]) - TYPES.indexOf(b[0]));
    const n = cluster.getChildCount(), main = ranked[0][0];
    const size = Math.min(48, Math.round(26 + 8 * Math.log10(n)));
    const mix = ranked.map(([t, k]) => `${k} ${t}`).join(", ");
    const inner = el("div", { class: "fp-cluster", "data-event-type": main, title: `${n} events: ${mix}` },
      el("span", { "aria-hidden": "true", text: String(n) }),
      el("span", { class: "sr", text: `${n} events (${mix}); press Enter to zoom in` }));
    inner.style.setProperty("--c", COLOURS[main] || "#555");
    return L.divIcon({ html: inner, className: "fp-cluster-icon", iconSize: [size, size] });
  }

  class EventMap {
    // onOpen(eventId, {keyboard}) when a marker is chosen; onView("ZOOM/LAT/LON") after every move.
    constructor(node, { onOpen, onView }) {
      this.onOpen = onOpen;
      this.map = L.map(node, { worldCopyJump: true, minZoom: 2, maxZoom: 18 }).setView([30, 30], 3);
      this.clusters = L.markerClusterGroup({
        maxClusterRadius: 40, disableClusteringAtZoom: 10, showCoverageOnHover: false, iconCreateFunction: clusterIcon,
      });
      this.map.addLayer(this.clusters);
      this.markers = new Map();  // event id -> marker
      this.selected = null;
      // a focused cluster opens like a clicked one (markercluster only listens for clicks)
      this.clusters.on("clusterkeydown", (e) => {
        if (!isActivation(e.originalEvent)) return;
        e.originalEvent.preventDefault();
        this.afterAnimation(() => e.layer.fire("click", { originalEvent: e.originalEvent }, true));
      });
      this.map.on("moveend", () => onView(this.view()));
      // the page's layout can resize the map (legend lines, a message, a phone's filters):
      // Leaflet only notices window resizes by itself
      new ResizeObserver(() => this.map.invalidateSize({ debounceMoveend: true })).observe(node);  // keeps the centre
    }

    // markercluster animates clusters splitting and merging (after a zoom, or as markers are
    // added) and ignores spiderfy meanwhile: run ``fn`` once it is done
    afterAnimation(fn) {
      if (this.clusters._inZoomAnimation) this.clusters.once("animationend", fn);
      else fn();
    }

    // resolves once the clusters stand still (at most a second), so that a marker can be clicked
    settled() {
      return new Promise((resolve) => { this.afterAnimation(resolve); setTimeout(resolve, 1000); });
    }

    view() {
      const c = this.map.getCenter().wrap(), z = Math.round(this.map.getZoom()), digits = z >= 10 ? 5 : 3;
      return `${z}/${c.lat.toFixed(digits)}/${c.lng.toFixed(digits)}`;
    }

    setView(at) { this.map.setView([at.lat, at.lon], at.zoom, { animate: false }); }

    async loadBorders() {
      const borders = await fetchJson("/static/countries-110m.geojson");
      L.geoJSON(borders, {
        style: { color: "#789", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false,
      }).addTo(this.map).bringToBack();
    }

    markerFor(ev) {
      const size = markerSize(ev.fatalities);
      const icon = L.divIcon({ className: "fp-marker", iconSize: [size, size] });
      const label = `${ev.location || "?"} — ${ev.sub_event_type} — ${ev.event_date || "undated"} — ${ev.fatalities} killed`;
      const marker = L.marker([ev.latitude, ev.longitude], {
        icon, title: label, alt: label, keyboard: true, eventType: ev.event_type, eventId: ev.event_id,
      });
      marker.on("add", () => {
        // the element is reused when clustering re-adds the marker: assign, do not add, the handler
        const node = marker.getElement();
        node.style.setProperty("--c", COLOURS[ev.event_type] || "#555");
        node.dataset.eventId = ev.event_id;
        node.dataset.eventType = ev.event_type;
        node.setAttribute("role", "button");
        node.setAttribute("aria-label", `${label}; press Enter to open`);
        node.classList.toggle("selected", ev.event_id === this.selected);
        node.onkeydown = (e) => {
          if (!isActivation(e)) return;
          e.preventDefault();  // Space would scroll the page
          e.stopPropagation();
          this.onOpen(ev.event_id, { keyboard: true });  // the focus moves to the panel
        };
      });
      marker.on("click", () => this.onOpen(ev.event_id));
      return marker;
    }

    // Replace the markers with the placed events of ``events``.
    setEvents(events) {
      this.clusters.clearLayers();
      this.markers = new Map();
      const layers = [];
      for (const ev of events) {
        if (ev.latitude === null || ev.longitude === null) continue;
        const m = this.markerFor(ev);
        this.markers.set(ev.event_id, m);
        layers.push(m);
      }
      this.clusters.addLayers(layers);
      return layers.length;
    }

    // The view on every marker; called once the page around the map is laid out.
    fit() {
      this.map.invalidateSize({ pan: false });  // the size now, not the one before the legend filled
      const points = [...this.markers.values()].map((m) => m.getLatLng());
      if (points.length) this.map.fitBounds(L.latLngBounds(points).pad(0.1), { maxZoom: 10, animate: false });
    }

    select(id) {
      this.selected = id;
      for (const [eid, m] of this.markers) {
        const n = m.getElement();
        if (n) n.classList.toggle("selected", eid === id);
      }
    }

    // Bring an event into view: fly to it (zoomed in to at least a region's scale) unless it is
    // already well inside the view, then open its cluster if it is in one. ``inset``: how many
    // pixels at the bottom of the map something covers (the bottom sheet on a phone).
    showEvent(id, lat, lon, { inset = 0 } = {}) {
      if (lat === null || lat === undefined || lon === null || lon === undefined) return;
      const marker = this.markers.get(id);
      const reveal = () => this.afterAnimation(() => {
        if (!marker) return;
        this.select(id);
        const parent = this.clusters.getVisibleParent(marker);
        if (!parent || parent === marker) return;
        const b = parent.getBounds();
        // events of one place never split by zooming: spread them out where we are
        if (b.getNorthEast().distanceTo(b.getSouthWest()) < 1) parent.spiderfy();
        else this.clusters.zoomToShowLayer(marker, () => this.select(id));
      });
      const zoom = this.map.getZoom(), size = this.map.getSize(), at = this.map.latLngToContainerPoint([lat, lon]);
      const seen = at.x > size.x * 0.1 && at.x < size.x * 0.9 && at.y > size.y * 0.1 && at.y < size.y - inset - size.y * 0.1;
      if (zoom >= FLY_ZOOM && seen) { reveal(); return; }
      const target = Math.max(zoom, FLY_ZOOM);
      // the event in the middle of the part of the map left uncovered
      const centre = this.map.unproject(this.map.project([lat, lon], target).add([0, inset / 2]), target);
      // other moves end during the flight (a resize): reveal only at the flight's end
      const arrived = () => {
        if (Math.abs(this.map.getZoom() - target) > 0.01) this.map.once("moveend", arrived);
        else reveal();
      };
      this.map.once("moveend", arrived);
      this.map.flyTo(centre, target, { duration: 0.8 });
    }
  }

  window.FPMap = { EventMap, markerSize, MAX_SIZE };
})();
