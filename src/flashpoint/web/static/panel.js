// The event panel: where each field comes from (the sentence that gave it, a press away in
// the article), each source with its headline and its article text with the evidence
// highlighted, every field with its codes explained, the storyline, and the field history.
// Article text is untrusted: it only ever goes into text nodes (never innerHTML), so markup in
// it shows as text.
"use strict";

(() => {
  const { el } = window.FP;

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

  // The codebook's codes in words (../shared/codebook.md).
  const DATE_PRECISION = { 1: "exact day", 2: "within a few days or a week", 3: "only the month is known" };
  const GEO_PRECISION = {
    1: "the town or village itself", 2: "near a named town, or a small named area",
    3: "only a larger region (district, governorate, mountains) is known",
  };
  const INTER = {  // ACLED's numeric actor categories, should a source give numbers
    1: "State forces", 2: "Rebel group", 3: "Political militia", 4: "Identity militia", 5: "Rioters",
    6: "Protesters", 7: "Civilians", 8: "External/Other forces",
  };
  const CERTAINTY = {
    confirmed: "stated as fact by the outlet or an official",
    reported: "attributed to sources",
    unconfirmed: "explicitly unconfirmed, rumoured or only claimed",
  };
  const FIELD_NAMES = {
    event_type: "type", event_date: "date", location: "place", actor1: "actor 1", actor2: "actor 2",
    fatalities: "fatalities", injured: "injured", weapons: "weapons", certainty: "certainty",
  };

  function fmt(value) {
    if (value === null || value === undefined || value === "") return "–";
    if (Array.isArray(value)) return value.length ? value.join(", ") : "–";
    return String(value);
  }

  function explain(key, event) {
    const v = event[key];
    if (key === "date_precision" && v != null) return DATE_PRECISION[v];
    if (key === "geo_precision" && v != null) return GEO_PRECISION[v];
    if ((key === "inter1" || key === "inter2") && v != null) {
      const actor = key === "inter1" ? "actor1" : "actor2";
      return `${INTER[v] ? `${INTER[v]}: ` : ""}the category of ${actor}`;
    }
    if (key === "certainty") return CERTAINTY[v];
    if (key === "fatalities_known") return v ? "a number of deaths was given (or none reported)" : "deaths reported without a number";
    if (key === "notes") return "written by flashpoint from the fields";
    return null;
  }

  function valueText(field, value) {
    if (field === "fatalities") return `${fmt(value)} killed`;
    if (field === "injured") return value === null || value === undefined ? "injured: not stated" : `${value} injured`;
    return fmt(value);
  }

  function short(text, n) {
    const t = String(text).replace(/\s+/g, " ").trim();
    return t.length > n ? `${t.slice(0, n - 1)}…` : t;
  }

  // The article text as nodes: plain text, with <mark> around the evidence of this event
  // (class "evidence") and of the article's other events (class "other", click to open them).
  // Cuts also fall at each provenance sentence and each evidence sentence of this event, so a
  // sentence is a whole set of marks (data-start/data-end) that a "←" can find; the first mark
  // of an evidence sentence carries the fields it gave (data-fields, shown by the style sheet).
  function articleNodes(text, spans, eventId, onOpen, { ranges = [], evidence = [] } = {}) {
    const clampTo = (v) => Math.max(0, Math.min(text.length, v));
    const cuts = new Set([0, text.length]);
    for (const s of [...spans, ...ranges, ...evidence]) { cuts.add(clampTo(s.start)); cuts.add(clampTo(s.end)); }
    const points = [...cuts].sort((a, b) => a - b);
    const fieldsAt = new Map(evidence.filter((e) => e.fields && e.fields.length).map((e) => [e.start, e.fields]));
    const nodes = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1], piece = text.slice(a, b);
      const covering = spans.filter((s) => s.start <= a && s.end >= b);
      const given = ranges.some((r) => r.start <= a && r.end >= b);
      if (!covering.length && !given) { nodes.push(document.createTextNode(piece)); continue; }
      const own = given || covering.some((s) => s.event_id === eventId);
      const mark = el("mark", { class: own ? "evidence" : "other", text: piece, "data-start": a, "data-end": b });
      const fields = fieldsAt.get(a);
      if (own && fields) {
        const names = fields.map((f) => FIELD_NAMES[f] || f).join(", ");
        mark.dataset.fields = names;
        mark.title = `This sentence gave: ${names}`;
      }
      if (!own) {
        const other = covering[0].event_id;
        mark.title = "Evidence of another event: click to open it";
        mark.addEventListener("click", () => onOpen(other));
      }
      nodes.push(mark);
    }
    return nodes;
  }

  // Highlight (class "focus") the marks of [start, end) in an article box and bring them into view.
  function highlight(panel, articleId, start, end) {
    for (const m of panel.querySelectorAll("mark.focus")) m.classList.remove("focus");
    const box = [...panel.querySelectorAll(".source")].find((b) => b.dataset.article === articleId);
    if (!box) return [];
    const marks = [...box.querySelectorAll("mark[data-start]")]
      .filter((m) => Number(m.dataset.start) >= start && Number(m.dataset.end) <= end);
    for (const m of marks) m.classList.add("focus");
    if (marks.length) {
      const textBox = box.querySelector(".article");
      textBox.scrollTop = Math.max(0, marks[0].offsetTop - textBox.offsetTop - 40);
      box.scrollIntoView({ block: "nearest" });
      marks[0].setAttribute("tabindex", "-1");
      marks[0].focus({ preventScroll: true });
    }
    return marks;
  }

  function provenanceSection(panel, event, sourceOf) {
    const items = event.provenance || [];
    const section = el("section", { class: "provenance", "aria-labelledby": "prov-title" },
      el("h3", { id: "prov-title", text: "Where each field comes from" }));
    if (!items.length) {
      section.append(el("p", { class: "hint", text: "This server does not say which sentence gave which field." }));
      return section;
    }
    const list = el("ul");
    const seen = new Map();  // sentence -> the first field it gave, to say "the same sentence" once shown
    for (const p of items) {
      const li = el("li", { "data-field": p.field },
        el("span", { class: "field", text: FIELD_NAMES[p.field] || p.field }), " ",
        el("strong", { class: "value", text: valueText(p.field, p.value) }), " ");
      if (p.article_id && p.start !== null && p.start !== undefined) {
        const src = sourceOf(p.article_id);
        const where = `${(src && src.outlet) || "outlet unknown"} · article ${p.article_id}`;
        const key = `${p.article_id}:${p.start}:${p.end}`, before = seen.get(key);
        if (!before) seen.set(key, FIELD_NAMES[p.field] || p.field);
        li.append(el("button", {
          type: "button", class: "link goto", title: `Show this sentence in the article (${where})`,
          "aria-label": `Show the sentence that gave ${FIELD_NAMES[p.field] || p.field} in article ${p.article_id}`,
          onclick: () => highlight(panel, p.article_id, p.start, p.end),
        }, "← ", before ? `the same sentence as ${before}` : el("q", { text: short(p.text || "", 180) })));
        if (!before) li.append(" ", el("span", { class: "src", text: `(${where})` }));
        if (p.why) li.append(el("span", { class: "why", text: ` ${p.why}` }));
      } else {
        li.append(el("span", { class: "why", text: `— ${p.why || "no sentence gave it"}` }));
      }
      list.append(li);
    }
    section.append(list);
    return section;
  }

  function fieldsTable(event) {
    const table = el("table", { class: "fields" });
    for (const key of FIELD_ORDER) {
      const note = explain(key, event);
      table.append(el("tr", {}, el("th", { scope: "row", text: key }),
        el("td", {}, fmt(event[key]), note ? el("span", { class: "explain", text: ` (${note})` }) : null)));
    }
    return table;
  }

  async function renderEvent(panel, event, { fetchJson, onOpen, onClose }) {
    const body = el("div", { class: "panel-body" });
    const where = event.location || "place unknown";
    const title = el("h2", { tabindex: "-1", text: `${event.sub_event_type} — ${where}, ${event.event_date || "date unknown"}` });
    const close = el("button", { type: "button", class: "close", text: "← Back to the list",
      title: "Close this event (Escape)", onclick: onClose });
    panel.replaceChildren(el("div", { class: "panel-bar" }, close), body);
    body.append(title);
    if (event.latitude === null || event.longitude === null) {
      body.append(el("p", { class: "hint", text: "No coordinates: the reports name no place flashpoint could find, so this event is not on the map." }));
    }
    const sourceOf = (id) => event.sources.find((s) => s.article_id === id);
    body.append(provenanceSection(panel, event, sourceOf));

    // the sources right after: a "←" above lands on a sentence close by
    body.append(el("h3", { text: `Sources (${event.sources.length})` }));
    const boxes = [];
    for (const src of event.sources) {
      const box = el("div", { class: "source", "data-article": src.article_id });
      const href = src.url && safeUrl(src.url);
      const headline = el("div", { class: "headline", text: "…" });
      box.append(headline, el("div", { class: "meta" },
        el("strong", { text: src.outlet || "outlet unknown" }), ` · published ${src.published || "?"} · article `,
        el("code", { text: src.article_id }),
        href ? " · " : null, href ? el("a", { href, rel: "noopener noreferrer", target: "_blank", text: "original" }) : null));
      const f = src.figures || {};
      box.append(el("div", { class: "figures", text: `This report said: ${f.event_date || "?"}, ${f.location || "?"}, fatalities ${fmt(f.fatalities)}${f.fatalities_known === false ? " (number unknown)" : ""}, ${f.certainty || "?"}` }));
      const textBox = el("div", { class: "article", tabindex: "0", "aria-label": `Text of article ${src.article_id}`, text: "loading the article…" });
      box.append(textBox);
      body.append(box);
      boxes.push([src, textBox, headline]);
    }

    body.append(el("h3", { text: "All fields" }), fieldsTable(event));

    body.append(el("h3", { text: `Storyline (${event.storyline.length} event${event.storyline.length === 1 ? "" : "s"})` }));
    const story = el("ol", { class: "storyline" });
    for (const s of event.storyline) {
      const label = `${s.event_date || "undated"} · ${s.sub_event_type} · ${s.location || "?"}`;
      story.append(s.event_id === event.event_id
        ? el("li", { class: "current", text: label })
        : el("li", {}, el("button", { class: "link", type: "button", text: label, onclick: () => onOpen(s.event_id) })));
    }
    if (!event.storyline.length) story.append(el("li", { text: "not part of a storyline" }));
    body.append(story);

    body.append(el("h3", { text: `Field history (${event.history.length})` }));
    const hist = el("ul", { class: "history" });
    for (const h of event.history) hist.append(el("li", { text: `${h.at}: ${h.field} ${fmt(h.old)} → ${fmt(h.new)} (${h.rule}; from ${h.article_id})` }));
    if (!event.history.length) hist.append(el("li", { text: "no field changed since the first report" }));
    body.append(hist);

    await Promise.all(boxes.map(async ([src, textBox, headline]) => {
      try {
        const article = await fetchJson(`/api/articles/${encodeURIComponent(src.article_id)}`);
        headline.textContent = article.title || "(no headline)";
        headline.classList.toggle("missing", !article.title);
        const ranges = (event.provenance || []).filter((p) => p.article_id === src.article_id && p.start != null && p.end != null);
        textBox.replaceChildren(...articleNodes(article.text, article.spans, event.event_id, onOpen,
          { ranges, evidence: src.evidence || [] }));
        const first = textBox.querySelector("mark.evidence");
        if (first) textBox.scrollTop = Math.max(0, first.offsetTop - textBox.offsetTop - 40);
      } catch (err) {
        headline.textContent = "";
        textBox.textContent = `could not load the article: ${err.message}`;
      }
    }));
    panel.dataset.loaded = event.event_id;
    return title;
  }

  window.Panel = { renderEvent, highlight, el, DATE_PRECISION, GEO_PRECISION };
})();
