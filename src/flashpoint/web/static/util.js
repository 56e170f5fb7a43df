// What the page's scripts share: the type colours, fetching JSON, building DOM nodes, and the
// state held in the URL (filters, sort, open event, map view), so that a link reopens a view.
"use strict";

(() => {
  const COLOURS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
  };
  // the filters every query takes (/api/events, /api/stats, /api/export.*)
  const FILTER_KEYS = ["q", "type", "actor", "country", "certainty", "since", "until"];
  const STATE_KEYS = [...FILTER_KEYS, "sort", "event", "at"];
  const SORT_KEYS = ["event_date", "fatalities", "event_type", "country"];
  const DEFAULT_SORT = "-event_date";

  class ApiError extends Error {
    constructor(message, status) { super(message); this.status = status; }
  }

  async function fetchJson(url, { signal } = {}) {
    let r;
    try {
      r = await fetch(url, { headers: { Accept: "application/json" }, signal });
    } catch (err) {
      if (err.name === "AbortError") throw err;
      throw new ApiError("the server did not answer (is flashpoint serve still running?)", 0);
    }
    if (!r.ok) {
      let message = `HTTP ${r.status}`;
      try { message = (await r.json()).error || message; } catch (_) { /* not JSON */ }
      throw new ApiError(message, r.status);
    }
    return r.json();
  }

  // Text always goes in as text (textContent / text nodes), never as HTML.
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c != null && c !== false) node.append(c);
    return node;
  }

  function isDay(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const d = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
  }

  // ?at=ZOOM/LAT/LON
  function parseAt(text) {
    const m = /^(\d{1,2})\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/.exec(text || "");
    if (!m) return null;
    const zoom = Number(m[1]), lat = Number(m[2]), lon = Number(m[3]);
    if (zoom < 2 || zoom > 18 || Math.abs(lat) > 85 || Math.abs(lon) > 540) return null;
    return { zoom, lat, lon };
  }

  function validSort(text) {
    return SORT_KEYS.includes(String(text).replace(/^-/, ""));
  }

  // The state in the URL, and what of it was not understood (said on the page, never used).
  function readState() {
    const q = new URLSearchParams(location.search);
    const state = {}, ignored = [];
    for (const k of STATE_KEYS) {
      const v = (q.get(k) || "").trim();
      if (v) state[k] = v;
    }
    for (const k of ["since", "until"]) {
      if (state[k] && !isDay(state[k])) { ignored.push(`${k}=${state[k]} (not a day: give YYYY-MM-DD)`); delete state[k]; }
    }
    if (state.since && state.until && state.since > state.until) {
      ignored.push(`until=${state.until} (before since=${state.since})`);
      delete state.until;
    }
    if (state.at && !parseAt(state.at)) { ignored.push(`at=${state.at} (give ZOOM/LAT/LON)`); delete state.at; }
    if (state.sort && !validSort(state.sort)) { ignored.push(`sort=${state.sort} (not a sort key)`); delete state.sort; }
    if (state.sort === DEFAULT_SORT) delete state.sort;
    return { state, ignored };
  }

  function writeState(state) {
    const q = new URLSearchParams();
    for (const k of STATE_KEYS) if (state[k]) q.set(k, state[k]);
    const text = q.toString().replace(/%2F/g, "/");  // "/" may stand in a query: ?at=5/33.9/35.5 reads better
    const url = text ? `?${text}` : location.pathname;
    if (url !== location.search) history.replaceState(null, "", url);
  }

  function query(state, keys) {
    const q = new URLSearchParams();
    for (const k of keys) if (state[k]) q.set(k, state[k]);
    return q;
  }

  function debounce(fn, ms) {
    let timer = null;
    const run = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
    run.cancel = () => clearTimeout(timer);
    return run;
  }

  function count(n, word, words) {
    return `${Number(n).toLocaleString("en")} ${n === 1 ? word : words || `${word}s`}`;
  }

  window.FP = {
    COLOURS, TYPES: Object.keys(COLOURS), FILTER_KEYS, SORT_KEYS, DEFAULT_SORT, ApiError,
    fetchJson, el, isDay, parseAt, readState, writeState, query, debounce, count,
  };
})();
