// arshif search page: Pagefind in the browser, plus what Pagefind cannot know about Arabic and actors.
// - the query is folded as the build folds text (marks, tatweel, hamza seats, ى/ي, ة/ه, digits), and the
//   one-way folds are tried both ways;
// - a query that names an actor in any spelling or script (بوتن, وبوتين, Putin, Путин) is recognised from
//   /data/search-actors.json, shown as a chip, and that actor's articles are brought in by filter;
// - every language index is searched (Pagefind loads one per <html lang>; the others are merged);
// - the whole state lives in the URL, so a search can be shared and the back button works.
const root = document.getElementById("search");
const base = root.dataset.base;
const $ = (id) => document.getElementById(id);
const FACETS = ["actor", "outlet", "year", "language"];
const PAGE = 30;

const DROP = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/g;
const FOLD = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ة": "ه", "ک": "ك", "ی": "ي", "ے": "ي", "ھ": "ه", "ۀ": "ه", "ى": "ي" };
const fold = (s) => s.replace(DROP, "")
  .replace(/[أإآٱؤئةکیےھۀى]/g, (c) => FOLD[c])
  .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10))
  .replace(/[\u00a0\u2007\u202f\s]+/g, " ").trim().toLowerCase();
// Longest first: a glued و + ب + ال ("وبالكرملين") is stripped whole before "و" alone.
const PROCLITICS = ["وبال", "فبال", "ولل", "فلل", "وكال", "وال", "فال", "بال", "كال", "لل", "ال", "وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك"];

let pagefind = null;
let table = { aliases: {}, actors: {} };
let shown = PAGE;

function readState() {
  const p = new URLSearchParams(location.search);
  const state = { q: p.get("q") || "", sort: p.get("sort") || "", from: p.get("from") || "", to: p.get("to") || "" };
  for (const f of FACETS) state[f] = p.getAll(f);
  return state;
}

function writeState(state, replace = false) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) for (const x of [].concat(v)) if (x) p.append(k, x);
  const url = `${location.pathname}${p.toString() ? "?" + p : ""}`;
  if (url !== location.pathname + location.search) history[replace ? "replaceState" : "pushState"](null, "", url);
}

/** Actor ids named by the query: the whole query, or each word, with a glued proclitic stripped. */
function recognise(query) {
  const found = new Set();
  const tryKey = (key) => (table.aliases[key] || []).forEach((id) => found.add(id));
  const forms = (word) => {
    const out = [word];
    for (const p of PROCLITICS) if (word.startsWith(p) && word.length - p.length >= 3) {
      out.push(word.slice(p.length));
      if (p.endsWith("ل")) out.push("ال" + word.slice(p.length)); // للكرملين = ل + الكرملين
    }
    return out;
  };
  const q = fold(query);
  if (!q) return [];
  forms(q).forEach(tryKey);
  if (!found.size) for (const word of q.split(" ")) forms(word).forEach(tryKey);
  return [...found];
}

/** The query as typed, folded, and with the one-way folds (final ي/ى, ه/ة) tried the other way. */
function variants(query) {
  const q = fold(query);
  return [...new Set([query.trim(), q, q.replace(/ي(?=\s|$)/g, "ى"), q.replace(/ه(?=\s|$)/g, "ة")])].filter(Boolean);
}

function filtersFor(state, extraActor) {
  const all = state.actor.map((a) => ({ actor: a }));
  if (extraActor) all.push({ actor: extraActor });
  const filters = {};
  if (all.length) filters.all = all;
  for (const f of ["outlet", "language"]) if (state[f].length) filters[f] = { any: state[f] };
  let years = state.year;
  if (state.from || state.to) {
    const lo = Number(state.from || 0), hi = Number(state.to || 9999);
    const known = Object.keys(root.allFilters?.year || {});
    const inRange = known.filter((y) => Number(y) >= lo && Number(y) <= hi);
    years = years.length ? years.filter((y) => inRange.includes(y)) : inRange;
    if (!years.length) years = ["none"];
  }
  if (years.length) filters.year = { any: years };
  return filters;
}

async function run(state) {
  $("q").value = state.q; $("sort").value = state.sort; $("from").value = state.from; $("to").value = state.to;
  const actors = recognise(state.q);
  renderChips(actors);
  const sort = state.sort === "date" ? { date: "desc" } : undefined;
  const hasFilter = FACETS.some((f) => state[f].length) || state.from || state.to;
  const searches = [];
  for (const id of actors) searches.push(pagefind.search(null, { filters: filtersFor(state, table.actors[id].filter), sort }));
  if (state.q.trim()) for (const v of variants(state.q)) searches.push(pagefind.search(v, { filters: filtersFor(state), sort }));
  else if (hasFilter && !actors.length) searches.push(pagefind.search(null, { filters: filtersFor(state), sort }));
  const done = (await Promise.all(searches)).filter(Boolean);
  const seen = new Map();
  for (const s of done) for (const r of s.results) if (!seen.has(r.id)) seen.set(r.id, r);
  let results = [...seen.values()];
  if (sort) {
    const data = await Promise.all(results.map((r) => r.data()));
    const dated = results.map((r, i) => [data[i].meta.date || "", r]);
    dated.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
    results = dated.map(([, r]) => r);
  }
  const counts = done.length ? done[0].filters : {};
  renderFacets(state, done.length ? counts : {});
  const asked = Boolean(state.q.trim() || hasFilter);
  $("status").textContent = asked ? `${results.length} ${root.dataset.resultsWord}` : "";
  $("no-results").hidden = !asked || results.length > 0;
  shown = PAGE;
  await renderResults(results);
}

async function renderResults(results) {
  const list = $("results");
  list.replaceChildren();
  const template = $("result-template");
  for (const r of results.slice(0, shown)) {
    const d = await r.data();
    const li = template.content.firstElementChild.cloneNode(true);
    const a = li.querySelector("a.title");
    a.href = d.url; a.textContent = d.meta.title || d.url;
    li.lang = d.language || ""; li.dir = "auto";
    const time = li.querySelector("time");
    if (d.meta.date) { time.dateTime = d.meta.date; time.textContent = d.meta.date_text || d.meta.date; } else time.remove();
    li.querySelector(".outlet").textContent = d.meta.outlet || "";
    li.querySelector(".excerpt").innerHTML = d.excerpt; // Pagefind escapes the text and adds only <mark>
    list.append(li);
  }
  if (results.length > shown) {
    const more = document.createElement("button");
    more.type = "button"; more.className = "more"; more.textContent = "…";
    more.addEventListener("click", () => { shown += PAGE; renderResults(results); });
    list.append(more);
  }
}

function renderChips(ids) {
  const box = $("chips");
  box.replaceChildren();
  for (const id of ids) {
    const actor = table.actors[id];
    const a = document.createElement("a");
    a.className = "chip actor-chip"; a.href = actor.href; a.dataset.actor = id;
    const other = actor.names.find((n) => n !== actor.name);
    a.textContent = `${actor.name}${other ? " · " + other : ""} — ${actor.count}`;
    box.append(a);
  }
}

function renderFacets(state, counts) {
  const labels = JSON.parse($("facets").dataset.labels);
  const box = $("facets");
  box.replaceChildren();
  for (const f of FACETS) {
    const values = Object.entries(counts[f] || {}).filter(([v, n]) => n > 0 || state[f].includes(v));
    if (!values.length) continue;
    values.sort((a, b) => (f === "year" ? b[0].localeCompare(a[0]) : b[1] - a[1] || a[0].localeCompare(b[0])));
    const set = document.createElement("fieldset");
    set.className = "facet"; set.dataset.facet = f;
    const legend = document.createElement("legend");
    legend.textContent = labels[f];
    set.append(legend);
    for (const [value, n] of values.slice(0, 25)) {
      const label = document.createElement("label");
      const box2 = document.createElement("input");
      box2.type = "checkbox"; box2.value = value; box2.checked = state[f].includes(value);
      box2.addEventListener("change", () => {
        const next = readState();
        next[f] = box2.checked ? [...next[f], value] : next[f].filter((x) => x !== value);
        writeState(next); run(next);
      });
      const count = document.createElement("span");
      count.className = "count"; count.textContent = String(n);
      label.append(box2, " ", document.createTextNode(value), " ", count);
      set.append(label);
    }
    box.append(set);
  }
}

function suggest() {
  const q = fold($("q").value);
  const list = $("actor-suggestions");
  list.replaceChildren();
  if (q.length < 2) return;
  const ids = new Set();
  for (const [alias, owners] of Object.entries(table.aliases)) if (alias.startsWith(q)) owners.forEach((id) => ids.add(id));
  for (const id of [...ids].sort((a, b) => table.actors[b].count - table.actors[a].count).slice(0, 8)) {
    const option = document.createElement("option");
    option.value = table.actors[id].name;
    list.append(option);
  }
}

async function start() {
  try {
    pagefind = await import(`${base}pagefind/pagefind.js`);
  } catch {
    $("unavailable").hidden = false;
    return;
  }
  await pagefind.options({ baseUrl: base, excerptLength: 24 });
  const [entry, aliases] = await Promise.all([
    fetch(`${base}pagefind/pagefind-entry.json`).then((r) => r.json()),
    fetch(`${base}data/search-actors.json`).then((r) => (r.ok ? r.json() : table)),
  ]);
  table = aliases;
  // Pagefind's primary index is the page's language (else the largest); merge every other one. The bundle is
  // named by an absolute URL because Pagefind skips a merge whose path equals the primary's relative one.
  const langs = Object.entries(entry.languages).sort((a, b) => b[1].page_count - a[1].page_count).map(([l]) => l);
  const ui = document.documentElement.lang.toLowerCase();
  const primary = langs.find((l) => l === ui || l === ui.split("-")[0]) || langs[0];
  const bundle = new URL(`${base}pagefind/`, location.href).href;
  for (const lang of langs) if (lang !== primary) await pagefind.mergeIndex(bundle, { language: lang });
  root.allFilters = await pagefind.filters();
  $("q").addEventListener("input", suggest);
  root.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const next = { ...readState(), q: $("q").value, sort: $("sort").value, from: $("from").value, to: $("to").value };
    writeState(next); run(next);
  });
  $("sort").addEventListener("change", () => root.querySelector("form").requestSubmit());
  window.addEventListener("popstate", () => run(readState()));
  await run(readState());
  root.dataset.ready = "true";
}

start();
