// The page: filters (held in the URL), the map, the timeline and the event panel.
"use strict";

const COLOURS = {
  "Battles": "#d62728",
  "Explosions/Remote violence": "#ff7f0e",
  "Violence against civilians": "#9467bd",
  "Protests": "#2ca02c",
  "Riots": "#8c564b",
  "Strategic developments": "#1f77b4",
};
const FILTER_KEYS = ["type", "actor", "country", "certainty", "since", "until"];
const PAGE = 1000, MAX_MARKERS = 5000;

const ui = {
  type: document.getElementById("f-type"),
  actor: document.getElementById("f-actor"),
  country: document.getElementById("f-country"),
  certainty: document.getElementById("f-certainty"),
  range: document.getElementById("f-range"),
  status: document.getElementById("status"),
  panel: document.getElementById("panel"),
};

async function fetchJson(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) {
    let message = `${r.status}`;
    try { message = (await r.json()).error || message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return r.json();
}

// ---- the URL holds the filters and the open event -------------------------------------
function readState() {
  const q = new URLSearchParams(location.search);
  const state = {};
  for (const k of [...FILTER_KEYS, "event"]) if (q.get(k)) state[k] = q.get(k);
  return state;
}

function writeState(state) {
  const q = new URLSearchParams();
  for (const k of [...FILTER_KEYS, "event"]) if (state[k]) q.set(k, state[k]);
  const url = q.toString() ? `?${q}` : location.pathname;
  history.replaceState(null, "", url);
}

function query(state, keys) {
  const q = new URLSearchParams();
  for (const k of keys) if (state[k]) q.set(k, state[k]);
  return q;
}

let state = readState();

// ---- the map ---------------------------------------------------------------------------
const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 18 }).setView([30, 30], 3);
const clusters = L.markerClusterGroup({ maxClusterRadius: 40, disableClusteringAtZoom: 10, showCoverageOnHover: false });
map.addLayer(clusters);
let markers = new Map();  // event id -> marker

function markerFor(ev) {
  const size = Math.round(12 + 4 * Math.sqrt(ev.fatalities || 0));  // area grows with fatalities
  const icon = L.divIcon({ className: "fp-marker", iconSize: [size, size] });
  const label = `${ev.location || "?"} — ${ev.sub_event_type} — ${ev.event_date || "undated"} — ${ev.fatalities} killed`;
  const marker = L.marker([ev.latitude, ev.longitude], { icon, title: label, alt: label, keyboard: true });
  marker.on("add", () => {
    const node = marker.getElement();
    node.style.setProperty("--c", COLOURS[ev.event_type] || "#555");
    node.dataset.eventId = ev.event_id;
    node.dataset.eventType = ev.event_type;
    node.classList.toggle("selected", ev.event_id === state.event);
  });
  marker.on("click", () => openEvent(ev.event_id));
  return marker;
}

async function loadBorders() {
  try {
    const borders = await fetchJson("/static/countries-110m.geojson");
    L.geoJSON(borders, { style: { color: "#789", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false })
      .addTo(map).bringToBack();
  } catch (err) { ui.status.textContent = `country borders not loaded: ${err.message}`; }
}

async function loadEvents() {
  const q = query(state, FILTER_KEYS);
  q.set("limit", PAGE);
  q.set("sort", "-event_date");
  const events = [];
  let cursor = null;
  ui.status.textContent = "loading events…";
  do {
    if (cursor) q.set("cursor", cursor);
    const page = await fetchJson(`/api/events?${q}`);
    events.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && events.length < MAX_MARKERS);
  clusters.clearLayers();
  markers = new Map();
  const placed = events.filter((e) => e.latitude !== null && e.longitude !== null);
  const layers = placed.map((e) => { const m = markerFor(e); markers.set(e.event_id, m); return m; });
  clusters.addLayers(layers);
  if (layers.length) map.fitBounds(L.latLngBounds(layers.map((m) => m.getLatLng())).pad(0.2), { maxZoom: 10 });
  const unplaced = events.length - placed.length;
  ui.status.textContent = `${placed.length} event${placed.length === 1 ? "" : "s"} on the map`
    + (unplaced ? `, ${unplaced} without coordinates` : "")
    + (cursor ? ` (the first ${events.length}; narrow the filters to see the rest)` : "");
  document.body.dataset.markers = String(placed.length);
}

// ---- the timeline ----------------------------------------------------------------------
const timeline = new Timeline(document.getElementById("timeline"), {
  onBrush: (since, until) => {
    state.since = since || undefined;
    state.until = until || undefined;
    changed({ timeline: false });
  },
});

async function loadTimeline() {
  // the whole period under the other filters, so the brush can widen again
  const q = query(state, ["type", "actor", "country", "certainty"]);
  const stats = await fetchJson(`/api/stats?${q}`);
  timeline.draw(stats.per_day, Object.keys(COLOURS), COLOURS, [state.since, state.until]);
}

function showRange() {
  ui.range.textContent = state.since || state.until ? `days ${state.since || "…"} to ${state.until || "…"}` : "";
}

// ---- filters ---------------------------------------------------------------------------
async function buildFilters() {
  const [config, stats] = await Promise.all([fetchJson("/api/config"), fetchJson("/api/stats?top=500")]);
  for (const [type, subs] of Object.entries(config.event_types)) {
    ui.type.append(new Option(type, type));
    const group = document.createElement("optgroup");
    group.label = `${type}:`;
    for (const sub of subs) group.append(new Option(sub, sub));
    ui.type.append(group);
  }
  for (const c of config.certainty) ui.certainty.append(new Option(c, c));
  const countries = [...new Set(stats.per_admin1.map((a) => a.country).filter(Boolean))].sort();
  if (state.country && !countries.includes(state.country)) countries.push(state.country);
  for (const c of countries) ui.country.append(new Option(c, c));
  const actors = document.getElementById("actor-list");
  for (const a of stats.per_actor) actors.append(new Option(a.actor));
  if (config.tile_url) L.tileLayer(config.tile_url, { attribution: config.tile_attribution }).addTo(map);
  const legend = document.getElementById("legend");
  for (const [type, colour] of Object.entries(COLOURS)) {
    const item = document.createElement("span");
    item.textContent = type;
    item.style.setProperty("--c", colour);
    legend.append(item);
  }
  for (const k of ["type", "actor", "country", "certainty"]) {
    ui[k].value = state[k] || "";
    ui[k].addEventListener("change", () => { state[k] = ui[k].value || undefined; changed({ timeline: true }); });
  }
  document.getElementById("f-clear").addEventListener("click", () => {
    state = { event: state.event };
    for (const k of ["type", "actor", "country", "certainty"]) ui[k].value = "";
    changed({ timeline: true });
  });
}

async function changed({ timeline: redrawTimeline }) {
  writeState(state);
  showRange();
  try {
    await Promise.all([loadEvents(), redrawTimeline ? loadTimeline() : null]);
  } catch (err) { ui.status.textContent = `could not load events: ${err.message}`; }
}

// ---- the event panel -------------------------------------------------------------------
async function openEvent(id) {
  state.event = id;
  writeState(state);
  for (const [eid, m] of markers) { const n = m.getElement(); if (n) n.classList.toggle("selected", eid === id); }
  try {
    const event = await fetchJson(`/api/events/${encodeURIComponent(id)}`);
    await Panel.renderEvent(ui.panel, event, { fetchJson, onOpen: openEvent });
  } catch (err) {
    ui.panel.replaceChildren(Panel.el("p", { text: `could not load event ${id}: ${err.message}` }));
  }
}

async function start() {
  await loadBorders();
  try { await buildFilters(); } catch (err) { ui.status.textContent = `could not reach the API: ${err.message}`; return; }
  await changed({ timeline: true });
  if (state.event) await openEvent(state.event);
  document.body.dataset.ready = "true";
}

start();
