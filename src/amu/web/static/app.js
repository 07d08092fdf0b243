// Amu dashboard: vanilla JavaScript over the REST API (/api). No framework, no network beyond this server.
// Views by URL hash: #/ (map, timeline, table), #/incident/ID, #/actors, #/actor/NAME, #/analysis.
// The filters live in the hash's query (#/?country=TJ&since=2022) so every view is a link.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";   // the SVG namespace name (an identifier, not a request)
const FILTERS = ["since", "until", "country", "actor", "type", "nationality", "min_killed", "status"];
const PAGE = 50;
const state = { basemap: null, filterValues: null, page: 0 };

// -- small helpers ---------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function put(parent, ...children) {   // replace a node's children, skipping the absent ones
  parent.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status; this.hint = e.hint; this.valid = e.valid || []; this.code = e.code;
  }
}

async function api(path, params, as) {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v === "" || v === null || v === undefined) continue;
    for (const item of [].concat(v)) url.searchParams.append(k, item);
  }
  const response = await fetch(url);
  if (!response.ok) {
    let body = null;
    try { body = await response.json(); } catch (_) { /* not JSON */ }
    throw new ApiError(response.status, body);
  }
  return as === "text" ? response.text() : response.json();
}

function setSummary(what, described) {
  const text = described ? `filters: ${described}` : "no filter";
  document.getElementById("filter-summary").textContent = what ? `${what} — ${text}` : text;
}

function showError(err) {
  const box = document.getElementById("error");
  box.replaceChildren();
  if (!err) { box.hidden = true; return; }
  box.hidden = false;
  box.append(el("b", {}, err.message));
  if (err.hint) box.append(el("div", {}, "Hint: ", err.hint));
  if (err.valid && err.valid.length) box.append(el("div", { class: "valid" }, "Valid values: ", err.valid.join(", ")));
}

function route() {
  const hash = window.location.hash.replace(/^#/, "") || "/";
  const [path, query] = hash.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query || "") };
}

function currentFilters() {
  const q = route().query;
  const out = {};
  for (const k of FILTERS) if (q.get(k)) out[k] = q.get(k);
  return out;
}

function filterQuery(extra) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...currentFilters(), ...(extra || {}) })) if (v) q.set(k, v);
  const s = q.toString();
  return s ? "?" + s : "";
}

function link(hash, text) { return el("a", { href: "#" + hash + filterQuery() }, text); }

function typeOf(r) { return r.attack_type ? `${r.event_type}/${r.attack_type}` : r.event_type; }

function fig(f) {
  if (!f || (f.best == null && f.low == null && f.high == null)) return "";
  let text = f.best == null ? "" : String(f.best);
  if (f.low != null && f.high != null && !(f.low === f.best && f.high === f.best)) text += ` (${f.low}–${f.high})`;
  if (f.low == null && f.best == null && f.high != null) text = `≤${f.high}`;
  return text.trim();
}

function count(c) {
  if (!c) return "";
  if (c.min != null && c.min === c.max) return String(c.min);
  if (c.max == null) return c.min == null ? "" : `≥${c.min}`;
  if (c.min == null) return `≤${c.max}`;
  return `${c.min}–${c.max}`;
}

function badges(r) {
  const out = [];
  for (const k of ["killed", "wounded", "arrested"]) {
    if (r[k] && r[k].conflict) out.push(el("span", { class: "badge conflict" }, `${k} conflict`));
  }
  if (r.date_conflict) out.push(el("span", { class: "badge conflict" }, "date conflict"));
  return out;
}

function place(r) { return [r.location, r.admin1, r.country].filter(Boolean).join(", "); }

function table(columns, rows) {
  return el("table", {},
    el("thead", {}, el("tr", {}, columns.map(c => el("th", {}, c)))),
    el("tbody", {}, rows));
}

function cell(value, numeric) {
  const text = Array.isArray(value) ? value.map(v => (v === null || v === undefined ? "–" : v)).join(", ") : (value === null || value === undefined ? "" : String(value));
  return el("td", numeric ? { class: "n" } : {}, text);
}

// -- filters form ----------------------------------------------------------------------------------
async function setupFilters() {
  const form = document.getElementById("filters");
  const values = await api("/api/filters");
  state.filterValues = values;
  const names = Object.fromEntries(values.country.map(c => [c.code, c.name]));
  const fill = (name, items) => {
    const select = form.elements[name];
    for (const [value, label] of items) select.append(el("option", { value }, label));
  };
  fill("country", values.present.country.map(c => [c, `${c} ${names[c] || ""}`.trim()]));
  fill("actor", values.present.actor.map(a => [a, a]));
  fill("type", values.present.type.map(t => [t, t]));
  fill("status", values.status.map(s => [s, s]));
  form.addEventListener("submit", ev => {
    ev.preventDefault();
    const q = new URLSearchParams();
    for (const k of FILTERS) {
      const v = (form.elements[k].value || "").trim();
      if (v) q.set(k, v);
    }
    const parts = route().parts;
    const base = parts[0] === "analysis" || parts[0] === "actors" ? "/" + parts[0] : "/";
    state.page = 0;
    window.location.hash = "#" + base + (q.toString() ? "?" + q : "");
  });
  document.getElementById("reset").addEventListener("click", () => {
    form.reset();
    state.page = 0;
    window.location.hash = "#/";
  });
}

function syncForm() {
  const form = document.getElementById("filters");
  const f = currentFilters();
  for (const k of FILTERS) {
    const input = form.elements[k];
    const v = f[k] || "";
    if (input.tagName === "SELECT" && v && ![...input.options].some(o => o.value === v)) {
      input.append(el("option", { value: v }, v));   // a value typed in the URL, e.g. an alias
    }
    input.value = v;
  }
}

// -- map -----------------------------------------------------------------------------------------
async function drawMap(container, params) {
  if (!state.basemap) state.basemap = await api("/api/basemap");
  const geo = await api("/api/export", { ...params, format: "geojson" });
  const points = geo.features.filter(f => f.geometry && f.geometry.coordinates);
  const lons = points.map(p => p.geometry.coordinates[0]);
  const lats = points.map(p => p.geometry.coordinates[1]);
  let [w, s, e, n] = points.length ? [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)]
    : [25, 20, 85, 55];                           // Central Asia and its neighbours when nothing is placed
  const padX = Math.max(4, (e - w) * 0.12), padY = Math.max(3, (n - s) * 0.12);
  w -= padX; e += padX; s -= padY; n += padY;
  if (e - w < 24) { const c = (e + w) / 2; w = c - 12; e = c + 12; }
  if (n - s < 14) { const c = (n + s) / 2; s = c - 7; n = c + 7; }
  const k = Math.cos(((n + s) / 2) * Math.PI / 180);   // equirectangular, true at the map's middle latitude
  const box = [w * k, -n, (e - w) * k, n - s];
  const map = svg("svg", { id: "map", viewBox: box.map(v => v.toFixed(3)).join(" "),
                           preserveAspectRatio: "xMidYMid meet", role: "img",
                           "aria-label": `map of ${points.length} incidents` });
  const land = svg("g", { transform: `scale(${k.toFixed(5)},1)` });
  const hit = new Set(geo.features.map(f => f.properties.country).filter(Boolean));
  for (const c of state.basemap.countries) {
    const [cw, cs, ce, cn] = c.bbox;
    if (ce < w - 30 || cw > e + 30 || cn < s - 30 || cs > n + 30) continue;   // far outside the view
    const path = svg("path", { d: c.d, class: "land" + (hit.has(c.code) ? " hit" : ""),
                               "vector-effect": "non-scaling-stroke" });
    path.append(Object.assign(svg("title", {}), { textContent: c.name + (hit.has(c.code) ? " (click: only its incidents)" : "") }));
    if (hit.has(c.code)) {
      path.addEventListener("click", () => { state.page = 0; window.location.hash = "#/" + filterQuery({ country: c.code }); });
    }
    land.append(path);
  }
  map.append(land);
  const unit = box[2] / 160;                      // marker size relative to the view
  for (const p of points) {
    const [lon, lat] = p.geometry.coordinates;
    const props = p.properties;
    const killed = props.killed_best || 0;
    const marker = svg("circle", { cx: (lon * k).toFixed(4), cy: (-lat).toFixed(4),
                                   r: (unit * (1 + Math.sqrt(killed) / 3)).toFixed(4), class: "marker",
                                   "vector-effect": "non-scaling-stroke",
                                   "data-id": props.event_id });
    marker.append(Object.assign(svg("title", {}), {
      textContent: `${props.event_date || "undated"} ${props.event_type}${props.attack_type ? "/" + props.attack_type : ""}` +
                   ` — ${props.location || props.country_name || ""}${killed ? `, ${killed} killed` : ""}` }));
    marker.addEventListener("click", () => { window.location.hash = "#/incident/" + encodeURIComponent(props.event_id) + filterQuery(); });
    map.append(marker);
  }
  const left = (geo.amu && geo.amu.without_coordinates) || 0;
  container.replaceChildren(map, el("p", { class: "muted" },
    `${points.length} incidents placed on the map` + (left ? `; ${left} located only to a country or not at all are in the table, not on the map.` : "."),
    " Marker area grows with the number killed; click a marker for the incident, a shaded country to filter by it."));
}

// -- views ---------------------------------------------------------------------------------------
async function homeView(view) {
  const params = currentFilters();
  const mapBox = el("div", {}, "Loading map…");
  const chartBox = el("div", { class: "chart" }, "Loading timeline…");
  const tableBox = el("div", {}, "Loading incidents…");
  put(view, 
    el("div", { class: "grid" },
      el("section", { class: "panel" }, el("h2", {}, "Map"), mapBox),
      el("section", { class: "panel" }, el("h2", {}, "Incidents per month"), chartBox)),
    el("section", { class: "panel" }, el("h2", {}, "Incidents"), tableBox));
  const list = await api("/api/incidents", { ...params, limit: PAGE, offset: state.page * PAGE, sources: false });
  setSummary(`${list.total} incidents`, list.filters);
  renderTable(tableBox, list);
  await Promise.all([
    drawMap(mapBox, params),
    api("/api/charts/timeline.svg", params, "text").then(text => { chartBox.innerHTML = text; }),
  ]);
}

function renderTable(box, list) {
  const rows = list.items.map(r => el("tr", { class: "row", "data-id": r.id,
                                              onclick: () => { window.location.hash = "#/incident/" + encodeURIComponent(r.id) + filterQuery(); } },
    el("td", {}, link("/incident/" + encodeURIComponent(r.id), r.id)), cell(r.date), cell(typeOf(r)),
    cell(place(r) + (r.geo_precision ? ` (${r.geo_precision})` : "")),
    el("td", {}, r.actors.map((a, i) => [i ? ", " : "", link("/actor/" + encodeURIComponent(a), a)])),
    cell(r.nationality), cell(fig(r.killed), true), cell(fig(r.wounded), true), cell(fig(r.arrested), true),
    cell(r.status), cell(r.n_sources, true), el("td", {}, badges(r))));
  const pages = Math.max(1, Math.ceil(list.total / PAGE));
  const pager = el("div", { class: "pager" },
    el("button", { type: "button", disabled: state.page === 0, onclick: () => { state.page--; render(); } }, "‹ newer"),
    `page ${state.page + 1} of ${pages} (${list.total} incidents)`,
    el("button", { type: "button", disabled: state.page + 1 >= pages, onclick: () => { state.page++; render(); } }, "older ›"),
    el("a", { href: "/api/export" + filterQuery({ format: "csv" }) }, "CSV"),
    el("a", { href: "/api/export" + filterQuery({ format: "geojson" }) }, "GeoJSON"),
    el("a", { href: "/api/export" + filterQuery({ format: "stix" }) }, "STIX 2.1"),
    el("a", { href: "/api/export" + filterQuery({ format: "jsonl" }) }, "JSON Lines"));
  box.replaceChildren(
    list.total ? table(["id", "date", "type", "place", "perpetrator", "nat.", "killed", "wounded", "arrested",
                        "status", "src", ""], rows) : el("p", {}, "No incidents match these filters."),
    pager);
  box.querySelector("table") && box.querySelector("table").setAttribute("id", "incidents");
}

function highlighted(text, spans) {
  const out = [];
  let at = 0;
  for (const h of spans) {
    if (h.start < at) continue;
    out.push(text.slice(at, h.start));
    out.push(el("mark", { class: `hl hl-${h.kind}`, title: h.kind }, text.slice(h.start, h.end)));
    at = h.end;
  }
  out.push(text.slice(at));
  return out;
}

async function incidentView(view, id) {
  const d = await api("/api/incidents/" + encodeURIComponent(id));
  const r = d.incident;
  const facts = [
    ["type", typeOf(r)], ["date", (r.date || "undated") + (r.date_precision ? ` (${r.date_precision})` : "")],
    ["place", place(r) + (r.geo_precision ? ` (${r.geo_precision}${r.lat != null ? `; ${r.lat.toFixed(3)}, ${r.lon.toFixed(3)}` : ""})` : "")],
    ["perpetrator", r.actors.length ? r.actors.map((a, i) => [i ? ", " : "", link("/actor/" + encodeURIComponent(a), a)]) : "not named"],
    ["nationality", Object.entries(d.nationality_mentions).map(([c, n]) => `${c} (${n} mention${n > 1 ? "s" : ""})`).join(", ") || "not reported"],
    ["status", r.status || ""], ["killed", fig(r.killed)], ["wounded", fig(r.wounded)], ["arrested", fig(r.arrested)],
    ["target", r.target || ""],
    ["sources", `${r.n_sources} independent of ${r.n_mentions} mentions; first reported ${r.first_reported || "?"}, last ${r.last_reported || "?"}`],
  ].filter(([, v]) => v !== "" && !(Array.isArray(v) && !v.length));
  const legend = el("p", { class: "legend muted" }, "Highlighted: ",
    ["date", "killed", "wounded", "arrested", "perpetrator", "place"].map(k => el("mark", { class: `hl hl-${k}` }, k)));
  const mentions = d.mentions.map(m => {
    const src = m.source || {};
    const label = [src.title || m.doc, src.publisher, src.published].filter(Boolean).join(" · ");
    const read = [m.date && `date ${m.date}`, m.killed && `killed ${count(m.killed)}`, m.wounded && `wounded ${count(m.wounded)}`,
                  m.arrested && `arrested ${count(m.arrested)}`, m.perpetrator && `perpetrator ${m.perpetrator}`,
                  m.location && `place ${m.location}`, m.status && `status ${m.status}`].filter(Boolean).join(" · ");
    return el("div", { class: "mention", "data-mention": m.id },
      el("div", {}, el("b", {}, `[${m.doc}]`), " ", label, src.url ? el("span", { class: "muted" }, " — ", src.url) : null),
      el("blockquote", { class: "evidence" }, highlighted(m.evidence.text, m.highlights)),
      el("div", { class: "muted" }, `Read: ${read}`,
        m.facts_elsewhere.length ? ` — from elsewhere in the report: ${m.facts_elsewhere.map(f => `${f.kind} “${f.text}”`).join(", ")}` : "",
        ` — characters ${m.evidence.start}–${m.evidence.end}, ${m.extractor} ${m.extractor_version || ""}`));
  });
  const conflictPanels = d.conflicts.map(c => {
    const values = c.by_source.map(b => c.figure === "date" ? b.date : count(b));
    const differ = new Set(values).size > 1;
    const fusedText = c.figure === "date" ? (c.fused.date || "") : fig(c.fused);
    return el("div", {},
      el("h3", {}, c.figure, " ", c.conflict ? el("span", { class: "badge conflict" }, "conflict") : null,
         c.fused.revised ? el("span", { class: "badge revised" }, "revised") : null,
         differ && !c.conflict ? el("span", { class: "badge differ" }, "sources differ") : null),
      el("table", { class: "side-by-side" },
        el("thead", {}, el("tr", {}, c.by_source.map(b => el("th", {}, b.doc)), el("th", {}, "fused"))),
        el("tbody", {}, el("tr", {}, values.map(v => el("td", { class: "n" }, v)), el("td", { class: "n fused" }, fusedText)),
          c.figure === "date" ? null : el("tr", {}, c.by_source.map(b => el("td", { class: "muted" }, b.text ? `“${b.text}”` : "")), el("td", {})))));
  });
  const related = d.related.map(x => el("tr", {}, el("td", {}, link("/incident/" + encodeURIComponent(x.id), x.id)),
    cell(x.date), cell(x.event_type), cell([x.location, x.country].filter(Boolean).join(", ")), cell(x.perpetrator)));
  const relations = d.relations.map(x => el("tr", {}, cell(x.subject), cell(x.relation), cell(x.object), cell(x.doc)));
  put(view, 
    el("p", {}, link("/", "‹ all incidents")),
    el("section", { class: "panel", id: "incident" },
      el("h2", {}, r.id, " ", badges(r)),
      d.merged_from ? el("p", { class: "muted" }, `${d.merged_from} was merged into this incident.`) : null,
      el("dl", { class: "facts" }, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]))),
    el("section", { class: "panel" }, el("h2", {}, `Evidence (${d.mentions.length} source sentences)`), legend, mentions),
    el("section", { class: "panel", id: "conflicts" }, el("h2", {}, "Figures by source, side by side"),
      conflictPanels.length ? conflictPanels : el("p", { class: "muted" }, "No source gives a figure or a date.")),
    relations.length ? el("section", { class: "panel" }, el("h2", {}, "Relations stated in the evidence"),
      table(["subject", "relation", "object", "document"], relations)) : null,
    related.length ? el("section", { class: "panel" }, el("h2", {}, "Related incidents (same group and country, or same place)"),
      table(["incident", "date", "type", "place", "perpetrator"], related)) : null);
}

async function actorsView(view) {
  const d = await api("/api/actors");
  const rows = d.items.map(a => el("tr", {}, el("td", {}, link("/actor/" + encodeURIComponent(a.name), a.name)),
    cell(a.kind), cell(a.aliases), cell(a.documents, true), cell(a.mentions, true), cell(a.incidents, true),
    cell(a.relations, true)));
  put(view, el("section", { class: "panel" }, el("h2", {}, `Actors (${d.total})`),
    el("p", { class: "muted" }, "Groups, outlets and people as the stored reports name them; people only as named in evidence."),
    table(["name", "kind", "aliases seen", "documents", "mentions", "incidents", "relations"], rows)));
}

async function actorView(view, name) {
  const a = await api("/api/actors/" + encodeURIComponent(name));
  const facts = [["kind", a.kind], ["part of", a.parent || ""], ["media wings", a.media_wings.join(", ")],
                 ["media wing of", a.media_wing_of.join(", ")]].filter(([, v]) => v);
  const rels = a.relations.map(r => el("tr", {},
    el("td", {}, r.subject_kind === "incident" && r.mention_id ? `mention ${r.mention_id}` : r.subject),
    cell(r.relation),
    el("td", {}, r.object_kind === "incident" && r.mention_id ? `mention ${r.mention_id}` : r.object),
    cell(`${r.doc} [${r.evidence_start}:${r.evidence_end}]`), el("td", {}, el("q", {}, r.evidence_text))));
  const incs = a.incidents.map(i => el("tr", {},
    el("td", {}, i.fused ? link("/incident/" + encodeURIComponent(i.id), i.id) : i.id), cell(i.date), cell(i.type),
    cell(i.place), cell(i.killed, true), cell(i.status), cell(i.docs)));
  const aliases = a.aliases.map(x => el("tr", {}, cell(x.alias), cell(x.occurrences, true), cell(x.documents)));
  put(view, 
    el("p", {}, link("/actors", "‹ all actors")),
    el("section", { class: "panel", id: "actor" }, el("h2", {}, a.name),
      el("dl", { class: "facts" }, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
      el("p", {}, el("a", { href: "#/" + filterQuery({ actor: a.name }) }, "Show its incidents on the map"))),
    aliases.length ? el("section", { class: "panel" }, el("h2", {}, "Aliases seen"),
      table(["alias", "occurrences", "documents"], aliases)) : null,
    el("section", { class: "panel" }, el("h2", {}, `Relations (${a.relations.length})`),
      rels.length ? table(["subject", "relation", "object", "document", "evidence"], rels)
        : el("p", { class: "muted" }, "No relation stated in the stored reports.")),
    a.person ? null : el("section", { class: "panel" }, el("h2", {}, `Incidents (${a.incidents.length})`),
      incs.length ? table(["incident", "date", "type", "place", "killed", "status", "documents"], incs)
        : el("p", { class: "muted" }, "No incident credited to it.")));
}

function analysisPanel(result, extra) {
  const numeric = new Set(result.columns.filter(c => result.rows.some(r => typeof r[c] === "number")));
  const rows = result.rows.map(r => el("tr", {}, result.columns.map(c => cell(r[c], numeric.has(c)))));
  return el("section", { class: "panel analysis", "data-analysis": result.analysis },
    el("h2", {}, result.title), extra || null,
    el("p", { class: "muted" }, `Method: ${result.method}`),
    rows.length ? el("div", { style: "max-height:22em;overflow:auto" }, table(result.columns, rows))
      : el("p", {}, "Nothing to show for these filters."),
    result.notes.length ? el("ul", { class: "notes" }, result.notes.map(n => el("li", {}, n))) : null);
}

async function analysisView(view) {
  const params = currentFilters();
  const by = route().query.get("by") || "group";
  const select = el("select", { onchange: ev => { window.location.hash = "#/analysis" + filterQuery({ by: ev.target.value }); } },
    ["month", "country", "type", "group", "nationality"].map(b => el("option", { value: b, selected: b === by }, b)));
  const names = ["counts", "changes", "external", "hotspots", "network", "warning"];
  const results = await Promise.all(names.map(n => api("/api/analysis/" + n,
    { ...params, ...(n === "counts" || n === "changes" ? { by: n === "counts" ? by : "month" } : {}) })));
  put(view, 
    el("p", { class: "muted" }, "Each panel is `amu analyze NAME` over the incidents that pass the filters above."),
    analysisPanel(results[0], el("div", { class: "controls" }, "Count by ", select)),
    results.slice(1).map(r => analysisPanel(r)));
  setSummary("", results[0].filters);
}

// -- routing ---------------------------------------------------------------------------------------
async function render() {
  const view = document.getElementById("view");
  const { parts } = route();
  showError(null);
  syncForm();
  for (const a of document.querySelectorAll("nav a[data-nav]")) {
    a.classList.toggle("active", a.dataset.nav === (parts[0] === "actor" ? "actors" : parts[0] || "home"));
    if (a.dataset.nav !== "home") a.href = "#/" + a.dataset.nav + filterQuery();
    else a.href = "#/" + filterQuery();
  }
  document.body.dataset.view = parts[0] || "home";
  document.body.dataset.ready = "no";
  document.getElementById("filter-summary").textContent = "";
  try {
    if (parts[0] === "incident" && parts[1]) await incidentView(view, parts[1]);
    else if (parts[0] === "actor" && parts[1]) await actorView(view, parts[1]);
    else if (parts[0] === "actors") await actorsView(view);
    else if (parts[0] === "analysis") await analysisView(view);
    else await homeView(view);
  } catch (err) {
    showError(err);
    if (!(err instanceof ApiError)) console.warn(err);
    put(view, );
  } finally {
    document.body.dataset.ready = "yes";
  }
}

async function start() {
  try {
    const health = await api("/api/health");
    document.getElementById("store-info").textContent = `${health.store} · ${health.incidents} incidents · Amu ${health.version}`;
    await setupFilters();
  } catch (err) {
    showError(err);
  }
  window.addEventListener("hashchange", render);
  await render();
}

start();
