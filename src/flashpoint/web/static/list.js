// The events list beside the map: the same filters (search and brushed days included) as the
// map, sortable, a page at a time (the API's cursor pages), every event, those without
// coordinates too; a row opens the event panel (click, Enter or Space). Above it, the count and
// the export menu for the same filters.
"use strict";

(() => {
  const { COLOURS, FILTER_KEYS, DEFAULT_SORT, el, fetchJson, query } = window.FP;

  const PAGE_SIZE = 50;
  // column -> the API sort it uses, and the direction a first press gives
  const COLUMNS = [
    { label: "Date", sort: "event_date", first: "-" },
    { label: "Type", sort: "event_type", first: "" },
    { label: "Place", sort: "country", first: "" },
    { label: "Killed", sort: "fatalities", first: "-", num: true },
  ];
  const EXPORTS = [
    ["csv", "CSV", "ACLED's columns"],
    ["geojson", "GeoJSON", "for GIS tools"],
    ["jsonl", "JSON Lines", "every field and the evidence"],
  ];

  // "Shelling/artillery/missile attack" may break after a slash, not inside a word
  function breakable(text) {
    const parts = String(text).split("/");
    return parts.flatMap((p, i) => (i < parts.length - 1 ? [`${p}/`, el("wbr")] : [p]));
  }

  class EventList {
    // onOpen(id), onSort(sort), onClear(), onRetry()
    constructor(root, handlers) {
      Object.assign(this, handlers);
      this.root = root;
      this.count = el("p", { id: "count", role: "status", "aria-live": "polite" });
      this.exportLinks = EXPORTS.map(([fmt, name, what]) =>
        el("a", { id: `export-${fmt}`, href: `/api/export.${fmt}`, download: `flashpoint-events.${fmt}` },
          name, el("small", { text: ` ${what}` })));
      const exportMenu = el("details", { class: "menu", id: "export" },
        el("summary", { text: "Export", title: "Download the events of the current filters" }),
        el("div", { class: "menu-items" }, ...this.exportLinks));
      // a chosen format closes the menu (the download starts; the page stays)
      for (const a of this.exportLinks) a.addEventListener("click", () => { exportMenu.open = false; });
      this.heads = COLUMNS.map((c) => {
        const button = el("button", { type: "button", "data-sort": c.sort, text: c.label,
          onclick: () => this.onSort(this._nextSort(c)) });
        return el("th", { scope: "col", class: c.num ? "num" : null }, button);
      });
      this.body = el("tbody");
      this.table = el("table", { id: "events", class: "events" },
        el("caption", { class: "sr", text: "Events matching the filters; press Enter on a row to open it" }),
        el("thead", {}, el("tr", {}, ...this.heads)), this.body);
      this.message = el("div", { class: "list-state", id: "list-state" });
      this.prev = el("button", { type: "button", id: "page-prev", text: "← Previous", onclick: () => this._go(-1) });
      this.next = el("button", { type: "button", id: "page-next", text: "Next →", onclick: () => this._go(1) });
      this.where = el("span", { id: "page-where" });
      const pager = el("nav", { class: "pager", "aria-label": "Pages of the list" }, this.prev, this.where, this.next);
      root.append(el("div", { class: "list-head" }, this.count, exportMenu),
        el("div", { class: "list-scroll" }, this.table, this.message), pager);
      this.rows = new Map();
      this.selected = null;
      this.abort = null;
    }

    _nextSort(column) {
      const current = this.sort.replace(/^-/, "");
      if (current === column.sort) return this.sort.startsWith("-") ? column.sort : `-${column.sort}`;
      return column.first + column.sort;
    }

    setExport(state) {
      const q = query(state, FILTER_KEYS).toString();
      this.exportLinks.forEach((a, i) => { a.href = `/api/export.${EXPORTS[i][0]}${q ? `?${q}` : ""}`; });
    }

    setCount(text) { this.count.textContent = text; }

    // The first page for these filters; resolves when shown (or the error is shown).
    load(state) {
      this.state = { ...state };
      this.sort = state.sort || DEFAULT_SORT;
      this.cursors = [null];
      this.index = 0;
      this.setExport(state);
      for (const [i, c] of COLUMNS.entries()) {
        const on = this.sort.replace(/^-/, "") === c.sort;
        this.heads[i].setAttribute("aria-sort", on ? (this.sort.startsWith("-") ? "descending" : "ascending") : "none");
      }
      return this._fetch();
    }

    _go(step) {
      const to = this.index + step;
      if (to < 0 || (step > 0 && !this.cursors[to])) return;
      this.index = to;
      this._fetch().then(() => this.body.querySelector("tr")?.focus());
    }

    async _fetch() {
      if (this.abort) this.abort.abort();
      const abort = this.abort = new AbortController();
      const q = query(this.state, FILTER_KEYS);
      q.set("sort", this.sort);
      q.set("limit", PAGE_SIZE);
      if (this.cursors[this.index]) q.set("cursor", this.cursors[this.index]);
      this.table.setAttribute("aria-busy", "true");
      this._state("loading", "Loading events…");
      let page;
      try {
        page = await fetchJson(`/api/events?${q}`, { signal: abort.signal });
      } catch (err) {
        if (err.name === "AbortError") return;
        this.table.removeAttribute("aria-busy");
        this.body.replaceChildren();
        this._state("error", `Could not load the events: ${err.message}.`,
          el("button", { type: "button", text: "Try again", onclick: () => this.onRetry() }),
          el("button", { type: "button", text: "Clear filters", onclick: () => this.onClear() }));
        throw err;
      }
      this.table.removeAttribute("aria-busy");
      this.cursors[this.index + 1] = page.next_cursor;
      this._render(page.items);
    }

    _state(kind, text, ...buttons) {
      this.message.className = `list-state ${kind}`;
      this.message.replaceChildren(...[text ? el("p", { text }) : null, ...buttons].filter(Boolean));
      this.root.dataset.state = kind;
    }

    _render(items) {
      this.rows = new Map();
      this.body.replaceChildren(...items.map((ev) => this._row(ev)));
      this.prev.disabled = this.index === 0;
      this.next.disabled = !this.cursors[this.index + 1];
      this.where.textContent = items.length ? `page ${this.index + 1}` : "";
      if (!items.length && this.index === 0) {
        const filtered = FILTER_KEYS.some((k) => this.state[k]);
        this._state("empty", filtered ? "No events match these filters." : "No events stored yet: ingest some articles.",
          filtered ? el("button", { type: "button", text: "Clear filters", onclick: () => this.onClear() }) : null);
      } else {
        this._state("ready", "");
      }
      this.root.dataset.rows = String(items.length);
    }

    _row(ev) {
      const placed = ev.latitude !== null && ev.longitude !== null;
      const actors = [ev.actor1, ev.actor2].filter(Boolean).join(" vs ");
      const place = [ev.location, ev.country].filter(Boolean).join(", ") || "place unknown";
      const open = () => this.onOpen(ev.event_id);
      const row = el("tr", {
        tabindex: "0", "data-event-id": ev.event_id, "data-placed": placed ? "true" : "false",
        class: ev.event_id === this.selected ? "selected" : null,
        "aria-label": `${ev.event_date || "undated"}, ${ev.sub_event_type}, ${place}, ${ev.fatalities} killed${placed ? "" : ", not on the map"}`,
        onclick: open,
        onkeydown: (e) => {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); }
          else if (e.key === "ArrowDown") { e.preventDefault(); row.nextElementSibling?.focus(); }
          else if (e.key === "ArrowUp") { e.preventDefault(); row.previousElementSibling?.focus(); }
        },
      },
      el("td", { class: "date", text: ev.event_date || "undated" }),
      el("td", { class: "type" },
        el("span", { class: "swatch", style: `--c:${COLOURS[ev.event_type] || "#555"}`, title: ev.event_type }),
        ...breakable(ev.sub_event_type), actors ? el("small", { text: actors }) : null),
      el("td", { class: "place" }, place,
        placed ? null : el("small", { class: "unplaced", text: "no coordinates: not on the map" })),
      el("td", { class: "num", text: ev.fatalities_known === false ? `${ev.fatalities}?` : String(ev.fatalities) }));
      this.rows.set(ev.event_id, row);
      return row;
    }

    select(id) {
      this.selected = id;
      for (const [eid, row] of this.rows) {
        row.classList.toggle("selected", eid === id);
        if (eid === id) row.setAttribute("aria-current", "true"); else row.removeAttribute("aria-current");
      }
    }
  }

  window.FPList = { EventList, PAGE_SIZE };
})();
