// The page: the filters (held in the URL), and keeping the map, the list, the legend, the
// timeline and the event panel in step with them.
"use strict";

(() => {
  const { COLOURS, FILTER_KEYS, fetchJson, query, count, debounce } = window.FP;
  const MAP_PAGE = 1000, MAX_MARKERS = 5000;

  const ui = {
    q: document.getElementById("f-q"),
    type: document.getElementById("f-type"),
    actor: document.getElementById("f-actor"),
    country: document.getElementById("f-country"),
    certainty: document.getElementById("f-certainty"),
    range: document.getElementById("f-range"),
    rangeClear: document.getElementById("f-range-clear"),
    status: document.getElementById("status"),
    panel: document.getElementById("panel"),
    mapState: document.getElementById("map-state"),
  };
  const SELECTS = ["q", "type", "actor", "country", "certainty"];

  const read = window.FP.readState();
  let state = read.state;
  let ready = false;
  const parents = {};  // sub-event type -> its event type
  let generation = 0;  // each change of filters; answers for an older one are dropped
  let opener = null;  // the row or marker that opened the panel: the focus goes back to it
  let shown = null;  // what loadMarkers found under the current filters: the count line says it

  function say(text) { ui.status.textContent = text; }
  if (read.ignored.length) say(`Ignored in the address: ${read.ignored.join("; ")}.`);

  const eventMap = new window.FPMap.EventMap(document.getElementById("map"), {
    onOpen: (id, { keyboard = false } = {}) => {
      opener = document.activeElement;
      openEvent(id, { fly: false, focus: keyboard });
    },
    // before the page is ready the view is still being set up: the address's at= stands
    onView: (at) => { if (ready) { state.at = at; window.FP.writeState(state); } },
  });
  new window.FPLabels.Labels(eventMap.map);

  const list = new window.FPList.EventList(document.getElementById("list"), {
    onOpen: (id) => { opener = document.activeElement; openEvent(id, { fly: true, focus: true }); },
    onSort: (sort) => {
      state.sort = sort === window.FP.DEFAULT_SORT ? undefined : sort;
      window.FP.writeState(state);
      list.load(state).catch(() => {});
    },
    onClear: () => clearFilters(),
    onRetry: () => changed({ timeline: true, fit: true }),
  });

  const legend = new window.FPLegend.Legend(document.getElementById("legend"), {
    onToggle: (type) => {
      state.type = state.type === type ? undefined : type;
      ui.type.value = state.type || "";
      changed({ timeline: true, fit: true });
    },
  });

  // events stored or changed while the page is open (live.js); the numbers around them follow
  const live = new window.FPLive.Live(document.getElementById("live"), document.getElementById("live-new-box"), {
    eventMap, list,
    onOpen: (id) => { opener = document.activeElement; openEvent(id, { fly: true, focus: true }); },
    onChange: () => liveChanged(),
  });

  const timeline = new window.Timeline(document.getElementById("timeline"), {
    onBrush: (since, until) => {
      state.since = since || undefined;
      state.until = until || undefined;
      changed({ timeline: false, fit: true });
    },
  });

  function showRange() {
    const on = Boolean(state.since || state.until);
    ui.range.textContent = on ? `days ${state.since || "…"} to ${state.until || "…"}` : "";
    ui.rangeClear.hidden = !on;
  }

  // ---- loading under the current filters ---------------------------------------------------
  async function loadMarkers(gen) {
    const q = query(state, FILTER_KEYS);
    q.set("limit", MAP_PAGE);
    q.set("sort", "-event_date");
    const events = [];
    let cursor = null;
    do {
      if (cursor) q.set("cursor", cursor);
      const page = await fetchJson(`/api/events?${q}`);
      if (gen !== generation) return null;
      events.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && events.length < MAX_MARKERS);
    const placed = eventMap.setEvents(events);
    eventMap.select(state.event);
    document.body.dataset.markers = String(placed);
    return { total: events.length, placed, more: Boolean(cursor) };
  }

  async function loadTimeline(gen) {
    // the whole period under the other filters, so the brush can widen again
    const stats = await fetchJson(`/api/stats?include=per_day&bucket=auto&top=1&${query(state, FILTER_KEYS.filter((k) => k !== "since" && k !== "until"))}`);
    if (gen === generation) timeline.draw(stats.per_day, Object.keys(COLOURS), COLOURS, [state.since, state.until], stats.bucket, [stats.first_day, stats.last_day]);
  }

  async function loadLegend(gen) {
    const stats = await fetchJson(`/api/stats?include=per_type&top=1&${query(state, FILTER_KEYS.filter((k) => k !== "type"))}`);
    if (gen === generation) legend.render(stats, state.type, parents[state.type]);
    return stats;
  }

  async function changed({ timeline: redrawTimeline, fit }) {
    const gen = ++generation;
    live.hold();
    window.FP.writeState(state);
    showRange();
    document.body.dataset.busy = "true";
    ui.mapState.textContent = "Loading events…";
    ui.mapState.hidden = false;
    list.setCount("Counting…");
    const [markers, , listed] = await Promise.allSettled([
      loadMarkers(gen), loadLegend(gen), list.load(state), redrawTimeline ? loadTimeline(gen) : null,
    ]);
    if (gen !== generation) return;
    if (fit && markers.status === "fulfilled") eventMap.fit();  // now that the page around the map is drawn
    await eventMap.settled();
    if (gen !== generation) return;
    live.follow(state);
    document.body.dataset.busy = "false";
    document.body.dataset.version = String(gen);  // the tests wait for it
    const failed = [markers, listed].find((r) => r.status === "rejected");
    shown = failed ? null : markers.value;
    if (failed) {
      ui.mapState.textContent = `Could not load the events: ${failed.reason.message}. Press "Try again" by the list, or clear the filters.`;
      list.setCount("");
      document.body.dataset.state = "error";
      return;
    }
    showCount(shown);
  }

  function showCount(m) {
    const unplaced = m.total - m.placed;
    list.setCount(m.more
      ? `More than ${count(m.total, "event")}: the map shows the newest ${m.total}; narrow the filters to see the rest`
      : `${count(m.total, "event")}${unplaced ? `, ${unplaced} without coordinates` : ""}`);
    ui.mapState.hidden = m.placed > 0;
    ui.mapState.textContent = m.total === 0 ? "No events match these filters." : "None of these events has coordinates: see the list.";
    document.body.dataset.state = m.total ? "ready" : "empty";
  }

  // live.js added or changed events: the count, the legend and the timeline follow
  const liveChanged = debounce(async () => {
    const gen = generation;
    document.body.dataset.markers = String(eventMap.markers.size);
    try {
      const [stats] = await Promise.all([
        // the totals only: per_admin1 is the pass the totals come from anyway (store/stats.py);
        // without include every count is computed, days, places and actors
        fetchJson(`/api/stats?include=per_admin1&top=1&${query(state, FILTER_KEYS)}`), loadLegend(gen), loadTimeline(gen)]);
      if (gen !== generation || !shown || shown.more) return;
      shown = { ...shown, total: stats.total_events, placed: eventMap.markers.size };
      showCount(shown);
    } catch (_) { /* the next change or reload tries again */ }
  }, 300);

  function clearFilters() {
    state = { event: state.event, sort: state.sort, at: state.at };
    for (const k of SELECTS) ui[k].value = "";
    changed({ timeline: true, fit: true });
  }

  // ---- filters --------------------------------------------------------------------------------
  async function buildFilters() {
    const [config, stats] = await Promise.all([fetchJson("/api/config"), fetchJson("/api/stats?include=per_admin1,per_actor&top=500")]);
    for (const [type, subs] of Object.entries(config.event_types)) {
      ui.type.append(new Option(type, type));
      const group = document.createElement("optgroup");
      group.label = `${type}:`;
      for (const sub of subs) { group.append(new Option(sub, sub)); parents[sub] = type; }
      ui.type.append(group);
    }
    for (const c of config.certainty) ui.certainty.append(new Option(c, c));
    const countries = [...new Set(stats.per_admin1.map((a) => a.country).filter(Boolean))].sort();
    if (state.country && !countries.includes(state.country)) countries.push(state.country);
    for (const c of countries) ui.country.append(new Option(c, c));
    const actors = document.getElementById("actor-list");
    for (const a of stats.per_actor) actors.append(new Option(a.actor));
    if (config.tile_url) L.tileLayer(config.tile_url, { attribution: config.tile_attribution }).addTo(eventMap.map);
    for (const k of SELECTS) {
      ui[k].value = state[k] || "";
      const apply = () => {
        const v = ui[k].value.trim() || undefined;
        if (v === state[k]) return;
        state[k] = v;
        changed({ timeline: true, fit: true });
      };
      ui[k].addEventListener("change", apply);
      if (k === "q") ui.q.addEventListener("input", debounce(apply, 400));  // search as one types
    }
    document.getElementById("filters").addEventListener("submit", (e) => e.preventDefault());
    document.getElementById("f-clear").addEventListener("click", clearFilters);
    ui.rangeClear.addEventListener("click", () => timeline.clear());
    const toggle = document.getElementById("filters-toggle");
    toggle.addEventListener("click", () => {
      const open = document.body.classList.toggle("filters-open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }

  // ---- the event panel ------------------------------------------------------------------------
  async function openEvent(id, { fly = true, focus = false } = {}) {
    state.event = id;
    window.FP.writeState(state);
    live.seen(id);
    eventMap.select(id);
    list.select(id);
    document.body.classList.add("event-open");
    ui.panel.hidden = false;
    ui.panel.replaceChildren(window.Panel.el("p", { class: "hint", text: "Loading the event…" }));
    try {
      const event = await fetchJson(`/api/events/${encodeURIComponent(id)}`);
      if (state.event !== id) return;  // another event was opened meanwhile
      if (event.event_id !== id) { eventMap.select(event.event_id); list.select(event.event_id); live.seen(event.event_id); }
      if (fly) eventMap.showEvent(event.event_id, event.latitude, event.longitude, { inset: sheetInset() });
      const title = await window.Panel.renderEvent(ui.panel, event, { fetchJson, onOpen: openEvent, onClose: closeEvent });
      if (focus) title.focus();
    } catch (err) {
      ui.panel.replaceChildren(
        window.Panel.el("p", { class: "error", text: `Could not load event ${id}: ${err.message}.` }),
        window.Panel.el("button", { type: "button", text: "Back to the list", onclick: closeEvent }));
    }
  }

  // how much of the map the panel covers: on a phone it is a bottom sheet over the map
  function sheetInset() {
    if (getComputedStyle(ui.panel).position !== "fixed") return 0;
    const map = document.getElementById("map").getBoundingClientRect();
    return Math.max(0, Math.min(map.height, map.bottom - ui.panel.getBoundingClientRect().top));
  }

  function closeEvent() {
    state.event = undefined;
    window.FP.writeState(state);
    eventMap.select(null);
    list.select(null);
    document.body.classList.remove("event-open");
    ui.panel.hidden = true;
    ui.panel.replaceChildren();
    if (opener && opener.isConnected && opener !== document.body) opener.focus();
    opener = null;
  }

  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !state.event) return;
    if (e.target.closest && e.target.closest("input, select, textarea")) return;
    closeEvent();
  });

  async function start() {
    const connecting = live.connect(state);  // before the first load: no change falls between the two
    try {
      await eventMap.loadBorders();
    } catch (err) { say(`${ui.status.textContent} Country outlines not loaded: ${err.message}.`.trim()); }
    try {
      await buildFilters();
    } catch (err) {
      ui.mapState.hidden = false;
      ui.mapState.textContent = `Could not reach the API (${err.message}). Is flashpoint serve running? Reload the page to try again.`;
      document.body.dataset.state = "error";
      document.body.dataset.ready = "true";
      return;
    }
    const at = window.FP.parseAt(state.at);
    if (at) eventMap.setView(at);
    await connecting;
    // a view from the address wins; an event from it is flown to; otherwise fit the events
    await changed({ timeline: true, fit: !at && !state.event });
    if (state.event) await openEvent(state.event, { fly: !at });
    ready = true;
    state.at = eventMap.view();
    window.FP.writeState(state);
    document.body.dataset.ready = "true";
  }

  // for the browser console and the page's tests: the map and the list, nothing to set
  window.flashpoint = { map: eventMap, list, live };
  start();
})();
