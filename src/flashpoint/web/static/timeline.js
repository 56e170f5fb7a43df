// The timeline: events per day, week or month (as /api/stats buckets them for the span) stacked
// by type (SVG), with a brush that selects a day range whatever the bars count,
// by pointer (drag; a click clears) or by keyboard (focus it: arrows move the range a day,
// Shift+arrows widen or narrow it, Page Up/Down move a week, Home/End go to either end, Escape
// clears). Built with DOM calls only; nothing here is parsed as HTML.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const DAY_MS = 86400000;

function svgEl(name, attrs) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  return el;
}

function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS); }
function isoDay(n) { return new Date(n * DAY_MS).toISOString().slice(0, 10); }
// the last day of the bucket that starts on day number d
function bucketEnd(d, bucket) {
  if (bucket === "week") return d + 6;
  if (bucket === "month") {
    const t = new Date(d * DAY_MS);
    return dayNumber(new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 1)).toISOString().slice(0, 10)) - 1;
  }
  return d;
}
function bucketName(d, bucket) {
  return bucket === "week" ? `week of ${isoDay(d)}` : bucket === "month" ? isoDay(d).slice(0, 7) : isoDay(d);
}

class Timeline {
  // onBrush(since, until) is called with ISO days, or (null, null) when the brush is cleared.
  constructor(svg, { onBrush }) {
    this.svg = svg;
    this.onBrush = onBrush;
    this.margin = { left: 30, right: 10, top: 8, bottom: 18 };
    this.domain = null;
    this.range = null;  // [first day, last day] as day numbers, or null
    this.keyTimer = null;
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("role", "group");
    svg.addEventListener("keydown", (e) => this._key(e));
    svg.addEventListener("pointerdown", (e) => this._down(e));
    svg.addEventListener("pointermove", (e) => this._move(e));
    svg.addEventListener("pointerup", (e) => this._up(e));
  }

  // firstDay, lastDay: the first and last days with events (a week's or a month's bucket may
  // begin before the one and run past the other; the timeline spans the days, the bars are cut).
  draw(perDay, typeOrder, colours, range, bucket = "day", [firstDay, lastDay] = [null, null]) {
    const svg = this.svg;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const width = svg.clientWidth || 600, height = svg.clientHeight || 130;
    this.width = width;
    const m = this.margin, plotH = height - m.top - m.bottom;
    if (!perDay.length) {
      const t = svgEl("text", { x: m.left, y: height / 2, class: "axis" });
      t.textContent = "No dated events for these filters.";
      svg.appendChild(t);
      this.domain = null;
      this.range = null;
      return;
    }
    const byDay = new Map();
    for (const row of perDay) {
      const d = dayNumber(row.day);
      if (!byDay.has(d)) byDay.set(d, new Map());
      byDay.get(d).set(row.event_type, row.events);
    }
    let lo = firstDay ? dayNumber(firstDay) : Math.min(...byDay.keys());
    let hi = lastDay ? dayNumber(lastDay) : bucketEnd(Math.max(...byDay.keys()), bucket);
    if (hi - lo < 6) { lo -= 3; hi += 3; }  // a few days either side, so one day is not the whole width
    this.domain = [lo, hi];
    const maxCount = Math.max(...[...byDay.values()].map((t) => [...t.values()].reduce((a, b) => a + b, 0)));
    const dayW = (width - m.left - m.right) / (hi - lo + 1);
    const y = (n) => (n / maxCount) * plotH;
    const g = svgEl("g", { class: "bars" });
    for (const [d, types] of byDay) {
      const from = Math.max(d, lo);
      const slot = dayW * (Math.min(bucketEnd(d, bucket), hi) - from + 1);
      const barW = Math.max(1, slot - (slot > 4 ? 1 : 0));
      let stacked = 0;
      for (const type of typeOrder) {
        const n = types.get(type) || 0;
        if (!n) continue;
        const rect = svgEl("rect", {
          x: this.xOf(from), y: m.top + plotH - y(stacked + n), width: barW, height: Math.max(1, y(n)),
          fill: colours[type] || "#888", "data-day": isoDay(d), "data-type": type,
        });
        const title = svgEl("title");
        title.textContent = `${bucketName(d, bucket)} ${type}: ${n}`;
        rect.appendChild(title);
        g.appendChild(rect);
        stacked += n;
      }
    }
    svg.appendChild(g);
    this._axis(height, maxCount);
    this.brushRect = svgEl("rect", { class: "brush", y: m.top, height: plotH, x: 0, width: 0, visibility: "hidden" });
    svg.appendChild(this.brushRect);
    this.range = null;
    if (range && (range[0] || range[1])) {
      const a = range[0] ? dayNumber(range[0]) : lo, b = range[1] ? dayNumber(range[1]) : hi;
      this.range = [a, b];
      this._showBrush(this.xOf(Math.max(a, lo)), this.xOf(Math.min(b, hi) + 1));
    }
  }

  xOf(day) {
    const [lo, hi] = this.domain, m = this.margin;
    return m.left + ((day - lo) / (hi - lo + 1)) * (this.width - m.left - m.right);
  }

  dayAt(x) {
    const [lo, hi] = this.domain, m = this.margin;
    const f = (x - m.left) / (this.width - m.left - m.right);
    return Math.min(hi, Math.max(lo, lo + Math.floor(f * (hi - lo + 1))));
  }

  _axis(height, maxCount) {
    const [lo, hi] = this.domain, m = this.margin;
    const ticks = Math.max(2, Math.min(6, hi - lo + 1, Math.floor((this.width - m.left - m.right) / 85)));  // room for each date
    for (let i = 0; i < ticks; i++) {
      const d = Math.round(lo + (i * (hi - lo)) / Math.max(1, ticks - 1));
      const anchor = i === 0 ? "start" : i === ticks - 1 ? "end" : "middle";  // keep the ends inside
      const t = svgEl("text", { x: this.xOf(d + (i === ticks - 1 ? 1 : 0)), y: height - 4, class: "axis", "text-anchor": anchor });
      t.textContent = isoDay(d);
      this.svg.appendChild(t);
    }
    const top = svgEl("text", { x: 2, y: m.top + 8, class: "axis" });
    top.textContent = String(maxCount);
    this.svg.appendChild(top);
  }

  _x(e) { return e.clientX - this.svg.getBoundingClientRect().left; }

  _down(e) {
    if (!this.domain) return;
    this.svg.setPointerCapture(e.pointerId);
    this.start = this._x(e);
    this._showBrush(this.start, this.start);
  }

  _move(e) {
    if (this.start == null) return;
    const x = this._x(e);
    this._showBrush(Math.min(this.start, x), Math.max(this.start, x));
  }

  _up(e) {
    if (this.start == null) return;
    const x = this._x(e), a = Math.min(this.start, x), b = Math.max(this.start, x);
    this.start = null;
    if (b - a < 3) {  // a click: clear the selection
      this.clear();
      return;
    }
    const d0 = this.dayAt(a), d1 = this.dayAt(b);
    this.range = [d0, d1];
    this._showBrush(this.xOf(d0), this.xOf(d1 + 1));
    this.onBrush(isoDay(d0), isoDay(d1));
  }

  clear() {
    clearTimeout(this.keyTimer);
    this.range = null;
    if (this.brushRect) this.brushRect.setAttribute("visibility", "hidden");
    this.onBrush(null, null);
  }

  _key(e) {
    if (!this.domain) return;
    const [lo, hi] = this.domain;
    const clamp = (v, a, b) => Math.min(b, Math.max(a, v));
    let [a, b] = this.range || [null, null];
    if (a !== null) { a = clamp(a, lo, hi); b = clamp(b, a, hi); }
    const width = a === null ? 0 : b - a;
    const moves = { ArrowRight: 1, ArrowLeft: -1, ArrowUp: 1, ArrowDown: -1, PageUp: 7, PageDown: -7 };
    if (e.key in moves) {
      const step = moves[e.key];
      if (a === null) { a = b = step > 0 ? lo : hi; }  // start with one day at the nearer end
      else if (e.shiftKey) { b = clamp(b + step, a, hi); }  // the end moves: wider or narrower
      else { a = clamp(a + step, lo, hi - width); b = a + width; }
    } else if (e.key === "Home") {
      a = lo; b = lo + width;
    } else if (e.key === "End") {
      b = hi; a = hi - width;
    } else if (e.key === "Escape" || e.key === "Delete" || e.key === "Backspace") {
      if (!this.range) return;  // nothing to clear: let Escape close the panel
      e.preventDefault();
      e.stopPropagation();
      this.clear();
      return;
    } else {
      return;
    }
    e.preventDefault();
    e.stopPropagation();
    this.range = [a, b];
    this._showBrush(this.xOf(a), this.xOf(b + 1));
    this.svg.setAttribute("aria-valuetext", `${isoDay(a)} to ${isoDay(b)}`);
    // held keys move the range fast; ask for the events once the keys rest
    clearTimeout(this.keyTimer);
    this.keyTimer = setTimeout(() => this.onBrush(isoDay(a), isoDay(b)), 350);
  }

  _showBrush(a, b) {
    this.brushRect.setAttribute("x", a);
    this.brushRect.setAttribute("width", Math.max(1, b - a));
    this.brushRect.setAttribute("visibility", "visible");
  }
}

window.Timeline = Timeline;
