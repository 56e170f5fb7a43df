// Live updates: events stored or changed while the page is open (by the watcher, an ingest, a
// POST) appear without a reload. An EventSource on /api/live under the page's filters; each
// change goes through the map's and the list's own code (FPMap's markerFor, FPList's row, the
// list's page 1 read again in its sort), so a live marker or row is like any other. Events new
// since the page opened are marked on the map and in the list until opened, and counted in the
// "N new since you opened" button over the map, which lists them. A status in the header says
// whether the page is following the store (connected, reconnecting, off).
"use strict";

(() => {
  const { FILTER_KEYS, el, query, count } = window.FP;

  const APPLY_MS = 250;  // changes arriving together are applied together
  const QUIET_MS = 3000;  // a reconnect quicker than this (the server ends each stream now and then) is not shown
  const READY_MS = 2000;  // the page waits this long at most for the stream before loading the events
  const RETRY_MS = 15000;  // after the server refused the stream, try again this much later

  const STATUS = {
    connecting: ["Live: connecting…", "Connecting to the server for live updates."],
    on: ["Live", "Live updates on: events stored or changed while this page is open appear without reloading."],
    reconnecting: ["Live: reconnecting…", "The live connection dropped: the page retries by itself, and nothing stored meanwhile is missed."],
    off: ["Live updates off", "The server refused the live updates; the page tries again every 15 s. Reload the page to see changes now."],
  };

  function place(ev) { return [ev.location, ev.country].filter(Boolean).join(", ") || "place unknown"; }
  function placed(ev) { return ev.latitude !== null && ev.longitude !== null; }

  class Live {
    // statusBox: where the status goes; newBox: the button and its list; eventMap, list: the
    // page's (map.js, list.js); onOpen(id): open an event; onChange(): the numbers around follow.
    constructor(statusBox, newBox, { eventMap, list, onOpen, onChange }) {
      Object.assign(this, { eventMap, list, onOpen, onChange });
      this.fresh = new Map();  // event id -> event: new since the page opened, not opened yet
      this.pending = new Map();  // event id -> its latest change, not applied yet
      this.held = true;  // while the page (re)loads its events, changes wait
      this.cursor = null;  // the stream's last id: where a new stream resumes
      this.filters = null;  // the query the stream follows
      this.source = null;
      this.timer = null;
      this.applied = 0;

      this.status = el("span", { id: "live-status", class: "live-status", role: "status" },
        el("span", { class: "dot", "aria-hidden": "true" }), el("span", { class: "text" }), el("span", { class: "sr" }));
      this.button = el("button", { type: "button", id: "live-new", class: "live-badge", hidden: true,
        "aria-expanded": "false", "aria-controls": "live-list", onclick: () => this.toggle() });
      this.items = el("ul");
      this.panel = el("div", { id: "live-list", class: "live-list", hidden: true, role: "region",
        "aria-label": "Events new since you opened the page" },
      el("p", { class: "hint", text: "New since you opened the page, newest first; open one to mark it seen." }),
      this.items,
      el("div", { class: "live-actions" },
        el("button", { type: "button", text: "Show them on the map", onclick: () => this.showAll() }),
        el("button", { type: "button", text: "Mark all as seen", onclick: () => this.seenAll() })));
      this.panel.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.stopPropagation(); this.toggle(false); } });
      document.addEventListener("click", (e) => {
        if (!this.panel.hidden && !newBox.contains(e.target)) this.toggle(false);
      });
      statusBox.append(this.status);
      newBox.append(this.button, this.panel);
      this._status("connecting");

      // markers and rows are rebuilt by reloads, clustering and paging: mark the new ones again
      const mark = new MutationObserver(() => this._mark());
      mark.observe(eventMap.map.getPane("markerPane"), { childList: true });
      mark.observe(list.body, { childList: true });
    }

    // Open the stream under ``state``'s filters; resolves once it is there (or after READY_MS),
    // so that the page's first load follows the point the stream starts from: nothing between.
    connect(state) {
      this.filters = query(state, FILTER_KEYS).toString();
      return new Promise((resolve) => {
        this._open(resolve);
        setTimeout(resolve, READY_MS);
      });
    }

    // The page is about to load its events again: changes wait until follow().
    hold() {
      if (!this.held) this.heldAt = this.cursor;
      this.held = true;
    }

    // The page shows ``state``'s filters: follow them (a new stream from where the load began,
    // when they changed), and apply what waited.
    follow(state) {
      const filters = query(state, FILTER_KEYS).toString();
      this.held = false;
      if (filters !== this.filters) {
        this.filters = filters;
        this.pending.clear();  // the new stream sends them again under the new filters
        if (this.heldAt !== undefined) this.cursor = this.heldAt;
        this._open();
      }
      this.heldAt = undefined;
      this._schedule();
    }

    _open(onReady) {
      if (this.source) this.source.close();
      clearTimeout(this.retryTimer);
      const q = new URLSearchParams(this.filters);
      if (this.cursor) q.set("after", this.cursor);
      const source = this.source = new EventSource(`/api/live?${q}`);
      source.addEventListener("ready", (e) => {
        this.cursor = e.lastEventId || this.cursor;
        this._status("on");
        if (onReady) onReady();
      });
      source.addEventListener("event", (e) => {
        this.cursor = e.lastEventId || this.cursor;
        const ev = JSON.parse(e.data);
        this.pending.set(ev.event_id, ev);
        this._schedule();
      });
      source.addEventListener("open", () => this._status("on"));
      source.addEventListener("error", () => {
        if (source !== this.source) return;
        if (source.readyState === EventSource.CLOSED) {  // an HTTP error: EventSource gives up
          this._status("off");
          this.retryTimer = setTimeout(() => this._open(), RETRY_MS);
        } else {
          this._status("reconnecting", QUIET_MS);
        }
      });
    }

    // ``delay``: only if the connection is still not open then (a timer already running stands)
    _status(kind, delay = 0) {
      const show = () => {
        const [text, meaning] = STATUS[kind];
        this.status.dataset.live = kind;
        this.status.title = meaning;
        this.status.querySelector(".text").textContent = text;
        this.status.querySelector(".sr").textContent = `: ${meaning}`;
        document.body.dataset.live = kind;
      };
      if (delay) {
        this.statusTimer ||= setTimeout(() => {
          this.statusTimer = null;
          if (this.source.readyState !== EventSource.OPEN) show();
        }, delay);
        return;
      }
      clearTimeout(this.statusTimer);
      this.statusTimer = null;
      show();
    }

    _schedule() {
      if (this.held || !this.pending.size || this.timer) return;
      this.timer = setTimeout(() => { this.timer = null; if (!this.held) this._apply(); }, APPLY_MS);
    }

    // The changes that arrived, through the map's and the list's own code.
    _apply() {
      const changes = [...this.pending.values()];
      this.pending.clear();
      let unlisted = false;
      for (const ev of changes) {
        if (ev.kind === "new" || this.fresh.has(ev.event_id)) this.fresh.set(ev.event_id, ev);
        this._marker(ev);
        if (this.list.rows.has(ev.event_id)) this._row(ev);
        else unlisted = true;
      }
      // a row the page does not show may belong on page 1: read it again, in its sort
      if (unlisted && this.list.index === 0) this._reloadList();
      this._badge();
      this._mark();
      document.body.dataset.liveApplied = String(++this.applied);  // the tests wait for it
      this.onChange();
    }

    _marker(ev) {
      const map = this.eventMap, old = map.markers.get(ev.event_id);
      if (old) map.clusters.removeLayer(old);
      map.markers.delete(ev.event_id);
      if (!placed(ev)) return;
      const marker = map.markerFor(ev);
      map.markers.set(ev.event_id, marker);
      map.clusters.addLayer(marker);
    }

    _row(ev) {
      const old = this.list.rows.get(ev.event_id);
      const focused = document.activeElement === old;
      const row = this.list._row(ev);
      if (ev.event_id === this.list.selected) row.setAttribute("aria-current", "true");
      row.classList.add("live-updated");
      old.replaceWith(row);
      if (focused) row.focus();
    }

    _reloadList() {
      const focused = document.activeElement?.closest?.("#events tbody tr")?.dataset.eventId;
      this.list.load(this.list.state).then(() => {
        if (focused) this.list.rows.get(focused)?.focus();
      }).catch(() => {});
    }

    // The new events' markers and rows are marked (again, after any rebuild).
    _mark() {
      for (const id of this.fresh.keys()) {
        this.eventMap.markers.get(id)?.getElement()?.classList.add("live-new");
        const row = this.list.rows.get(id);
        if (row && !row.classList.contains("live-new")) {
          row.classList.add("live-new");
          row.setAttribute("aria-label", `${row.getAttribute("aria-label")}, new since you opened the page`);
          row.querySelector("td.date")?.append(el("span", { class: "live-tag", text: "new" }));
        }
      }
    }

    _unmark(id) {
      this.eventMap.markers.get(id)?.getElement()?.classList.remove("live-new");
      const row = this.list.rows.get(id);
      if (row && row.classList.contains("live-new")) {
        row.classList.remove("live-new");
        row.setAttribute("aria-label", row.getAttribute("aria-label").replace(/, new since you opened the page$/, ""));
        row.querySelector(".live-tag")?.remove();
      }
    }

    _badge() {
      const n = this.fresh.size;
      this.button.hidden = n === 0;
      this.button.dataset.count = String(n);
      this.button.textContent = `${n} new since you opened`;
      this.button.title = `${count(n, "event")} stored since you opened the page: press to list them`;
      document.body.dataset.liveNew = String(n);
      if (n === 0) this.toggle(false);
      else if (!this.panel.hidden) this._list();
    }

    _list() {
      const events = [...this.fresh.values()].reverse();
      this.items.replaceChildren(...events.map((ev) => el("li", {},
        el("button", { type: "button", class: "link", "data-event-id": ev.event_id,
          onclick: () => { this.toggle(false); this.onOpen(ev.event_id); } },
        `${ev.event_date || "undated"} · ${ev.sub_event_type} · ${place(ev)} · ${ev.fatalities} killed`))));
    }

    // Show or hide the list of new events (the button's press).
    toggle(open = this.panel.hidden) {
      if (open && !this.fresh.size) return;
      const wasOpen = !this.panel.hidden;
      this.panel.hidden = !open;
      this.button.setAttribute("aria-expanded", String(open));
      if (open) {
        this._list();
        this.items.querySelector("button")?.focus();
      } else if (wasOpen && this.panel.contains(document.activeElement)) {
        this.button.focus();
      }
    }

    // An event was opened: it is seen.
    seen(id) {
      if (!this.fresh.delete(id)) return;
      this._unmark(id);
      this._badge();
    }

    seenAll() {
      for (const id of [...this.fresh.keys()]) this.seen(id);
    }

    // The map's view on the new events that have coordinates.
    showAll() {
      const points = [...this.fresh.values()].filter(placed).map((ev) => [ev.latitude, ev.longitude]);
      this.toggle(false);
      if (points.length) this.eventMap.map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 10 });
    }
  }

  window.FPLive = { Live };
})();
