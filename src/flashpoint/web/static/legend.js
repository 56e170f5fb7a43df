// The legend: a button per event type with its events and deaths under the current filters
// (every filter but the type, so the other types' numbers stay in view); pressing a type shows
// only it, pressing it again shows all. Numbers come from /api/stats per_type (dated events);
// undated events are counted apart, as /api/stats counts them.
"use strict";

(() => {
  const { COLOURS, TYPES, el, count } = window.FP;

  class Legend {
    constructor(root, { onToggle }) {
      this.root = root;
      this.buttons = new Map();
      for (const type of TYPES) {
        const numbers = el("span", { class: "numbers" });
        const button = el("button", {
          type: "button", "data-type": type, "aria-pressed": "false",
          title: `Show only ${type} (press again to show all types)`,
          onclick: () => onToggle(type),
        }, el("span", { class: "swatch", "aria-hidden": "true" }), el("span", { class: "name", text: type }), numbers);
        button.style.setProperty("--c", COLOURS[type]);
        this.buttons.set(type, { button, numbers });
      }
      this.undated = el("span", { class: "undated" });
      root.append(...[...this.buttons.values()].map((b) => b.button), this.undated);
    }

    // stats: /api/stats under every filter but the type; active: the type filter (a type or a
    // sub-event type of one, whose parent is ``activeParent``).
    render(stats, active, activeParent) {
      const per = new Map(TYPES.map((t) => [t, { events: 0, fatalities: 0 }]));
      for (const row of stats.per_type) {
        const p = per.get(row.event_type);
        if (p) { p.events += row.events; p.fatalities += row.fatalities; }
      }
      for (const [type, { button, numbers }] of this.buttons) {
        const { events, fatalities } = per.get(type);
        numbers.textContent = ` ${events.toLocaleString("en")} · ${fatalities.toLocaleString("en")} killed`;
        button.dataset.events = String(events);
        button.dataset.fatalities = String(fatalities);
        button.setAttribute("aria-pressed", String(active === type || activeParent === type));
        button.classList.toggle("dim", Boolean(active) && active !== type && activeParent !== type);
        button.setAttribute("aria-label", `${type}: ${count(events, "dated event")}, ${fatalities} killed`);
      }
      this.undated.textContent = stats.undated_events
        ? `+ ${count(stats.undated_events, "undated event")} (any type)` : "";
    }
  }

  window.FPLegend = { Legend };
})();
