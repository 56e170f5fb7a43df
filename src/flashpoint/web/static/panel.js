// The event panel: every field, the storyline, each source with its article text and the
// evidence sentences highlighted. Article text is untrusted: it only ever goes into
// textContent (never innerHTML), so markup in it shows as text.
"use strict";

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c != null) node.append(c);  // strings become text nodes
  return node;
}

function safeUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (_) { return null; }
}

const FIELD_ORDER = [
  "event_id", "event_date", "date_precision", "event_type", "sub_event_type", "actor1", "actor2",
  "assoc_actor_1", "assoc_actor_2", "inter1", "inter2", "country", "iso3", "admin1", "admin2", "location",
  "latitude", "longitude", "geo_precision", "fatalities", "fatalities_known", "injured", "weapons", "certainty",
  "notes", "storyline_id",
];

function fmt(value) {
  if (value === null || value === undefined || value === "") return "–";
  if (Array.isArray(value)) return value.length ? value.join(", ") : "–";
  return String(value);
}

// The article text as nodes: plain text, with <mark> around the evidence of this event
// (class "evidence") and of the article's other events (class "other", click to open them).
function articleNodes(text, spans, eventId, onOpen) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(Math.max(0, Math.min(text.length, s.start))); cuts.add(Math.max(0, Math.min(text.length, s.end))); }
  const points = [...cuts].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1], piece = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { nodes.push(document.createTextNode(piece)); continue; }
    const own = covering.some((s) => s.event_id === eventId);
    const mark = el("mark", { class: own ? "evidence" : "other", text: piece });
    if (!own) {
      const other = covering[0].event_id;
      mark.title = "Evidence of another event: click to open it";
      mark.addEventListener("click", () => onOpen(other));
    }
    nodes.push(mark);
  }
  return nodes;
}

async function renderEvent(panel, event, { fetchJson, onOpen }) {
  panel.replaceChildren();
  panel.append(el("h2", { text: `${event.sub_event_type} — ${event.location || "place unknown"}, ${event.event_date || "date unknown"}` }));
  const table = el("table", { class: "fields" });
  for (const key of FIELD_ORDER) table.append(el("tr", {}, el("th", { text: key }), el("td", { text: fmt(event[key]) })));
  panel.append(table);

  panel.append(el("h3", { text: `Storyline (${event.storyline.length} event${event.storyline.length === 1 ? "" : "s"})` }));
  const story = el("ol", { class: "storyline" });
  for (const s of event.storyline) {
    const label = `${s.event_date || "undated"} · ${s.sub_event_type} · ${s.location || "?"}`;
    story.append(s.event_id === event.event_id
      ? el("li", { class: "current", text: label })
      : el("li", {}, el("button", { class: "link", type: "button", text: label, onclick: () => onOpen(s.event_id) })));
  }
  if (!event.storyline.length) story.append(el("li", { text: "not part of a storyline" }));
  panel.append(story);

  panel.append(el("h3", { text: `Sources (${event.sources.length})` }));
  const boxes = [];
  for (const src of event.sources) {
    const box = el("div", { class: "source", "data-article": src.article_id });
    const href = src.url && safeUrl(src.url);
    box.append(el("div", {},
      el("strong", { text: src.outlet || "outlet unknown" }), ` · published ${src.published || "?"} · article `,
      el("code", { text: src.article_id }),
      href ? " · " : null, href ? el("a", { href, rel: "noopener noreferrer", target: "_blank", text: "original" }) : null));
    const f = src.figures || {};
    box.append(el("div", { class: "figures", text: `This report said: ${f.event_date || "?"}, ${f.location || "?"}, fatalities ${fmt(f.fatalities)}${f.fatalities_known === false ? " (number unknown)" : ""}, ${f.certainty || "?"}` }));
    const textBox = el("div", { class: "article", text: "loading the article…" });
    box.append(textBox);
    panel.append(box);
    boxes.push([src, textBox]);
  }

  panel.append(el("h3", { text: `Field history (${event.history.length})` }));
  const hist = el("ul", { class: "history" });
  for (const h of event.history) hist.append(el("li", { text: `${h.at}: ${h.field} ${fmt(h.old)} → ${fmt(h.new)} (${h.rule}; from ${h.article_id})` }));
  if (!event.history.length) hist.append(el("li", { text: "no field changed since the first report" }));
  panel.append(hist);

  for (const [src, textBox] of boxes) {
    try {
      const article = await fetchJson(`/api/articles/${encodeURIComponent(src.article_id)}`);
      textBox.replaceChildren(...articleNodes(article.text, article.spans, event.event_id, onOpen));
      const first = textBox.querySelector("mark.evidence");
      if (first) textBox.scrollTop = Math.max(0, first.offsetTop - textBox.offsetTop - 40);
    } catch (err) {
      textBox.textContent = `could not load the article: ${err.message}`;
    }
  }
}

window.Panel = { renderEvent, el };
