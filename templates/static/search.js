// arshif search page: Pagefind in the browser, plus what Pagefind cannot know about Arabic and actors.
// - the query is folded as the build folds text, the one-way folds are tried both ways, and Arabic words are
//   handed to Pagefind in the form that costs one index chunk (all in query.js);
// - a query that names an actor in any spelling or script (بوتن, وبوتين, Putin, Путин) is recognised from the
//   alias files of its words' first letters (/data/search/aliases/<hex>.json), shown as a chip, and that
//   actor's articles are listed from its shard (/data/search/actors/<id>/<n>.json, newest first, 20 a page) -
//   never by a filter-only Pagefind search, which would load every index chunk;
// - the index comes in shards, one Pagefind language each (`ar-2016y2`: Arabic pages of 2016-2017, see
//   generator/search/shards.py), all in one bundle; only the shards whose language's script matches the query and
//   whose years meet the year range are loaded (see `wanted`), and the filter files (facet sidebar) only after
//   the first results are shown;
// - an update indexes the pages it changed into a small delta shard per language (`ar-d`) and lists the ids of
//   the pages they replace as stale (pagefind/arshif-stale.json): those hits are dropped and not counted;
// - the whole state lives in the URL, so a search can be shared and the back button works.
import { extendsQuery, fold, indexKey, lookups, pagefindQueries, recognise } from "./query.js";

const root = document.getElementById("search");
const base = root.dataset.base;
const $ = (id) => document.getElementById(id);
const FACETS = ["actor", "outlet", "year", "language"];
// Results drawn at a time. Each one's Pagefind fragment holds its article's whole text (~1.1 KB gzip), so after
// the index this is most of what a query costs: 20 come to ~20 KB.
const PAGE = 20;
// Every shard's instance fetches pagefind-entry.json again, with this tag: one URL for the page's life, fetched
// once. (Pagefind 1.5 has no option to keep off its worker: naming `noWorker` only made it warn.)
const TAG = String(Date.now());
const OPTIONS = { baseUrl: base, excerptLength: 24, metaCacheTag: TAG };
const FACET_SHOWN = 10; // values a facet shows before its "more" button
const labels = JSON.parse($("facets").dataset.labels);
const resultForms = JSON.parse(root.dataset.results);
const uiLang = root.dataset.uiLang;
const plural = new Intl.PluralRules(uiLang);
const openFacets = new Set(); // facets whose every value is shown
let facetFocus = null; // the facet control the keyboard was last on ({facet, value, more}), while it is there
const SHARD_STEP = 4; // at most this many shard pages fetched per render, so a narrow facet cannot pull a whole shard
// Languages written in Arabic script; an index in any other language counts as Latin-script.
const ARABIC_SCRIPT = new Set(["ar", "fa", "ur", "ps", "ckb", "ku", "sd", "ug", "arz", "apc", "ary"]);

let pagefind = null;
let table = { actors: {} }; // /data/search-actors.json: actors, and where their shards, pages and aliases are
const letters = new Map(); // first letter of an alias (hex) -> promise of its aliases, see `aliasLetter`
let languages = {}; // from pagefind-entry.json: shard (its Pagefind language) -> {page_count, wasm, ...}
let indexShards = {}; // shard -> what `shardOf` reads from its name
let loaded = null; // shards whose index Pagefind has (primary first), null before the first search
let shown = PAGE;
let current = null; // the last run: what is listed and how to list more
let runs = 0; // a newer run makes an older one stop before it draws
const days = new Map(); // Pagefind page id -> its day, from the date tables fetched so far (`datesFor`)
let dateYears = null; // the years whose date table is not fetched yet, newest first
let stalePages = Promise.resolve(new Map()); // Pagefind page id -> its filters, for pages a delta shard replaced

function readState() {
  const p = new URLSearchParams(location.search);
  const state = { q: p.get("q") || "", sort: p.get("sort") || "", from: p.get("from") || "", to: p.get("to") || "",
    n: p.get("n") || "" }; // n: how many results are shown, so a reload or a shared link keeps the reader's place
  for (const f of FACETS) state[f] = p.getAll(f);
  return state;
}

function writeState(state, replace = false) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) for (const x of [].concat(v)) if (x) p.append(k, x);
  const url = `${location.pathname}${p.toString() ? "?" + p : ""}`;
  if (url !== location.pathname + location.search) history[replace ? "replaceState" : "pushState"](null, "", url);
}

function filtersFor(state, chips = []) {
  const all = state.actor.map((a) => ({ actor: a }));
  const filters = {};
  if (all.length) filters.all = all;
  // The chips' own articles come from their shards, so the text search leaves them out: the two lists are
  // disjoint and their counts add up without fetching a fragment per hit to compare URLs.
  if (chips.length) filters.none = chips.map((id) => ({ actor: table.actors[id].name }));
  for (const f of ["outlet", "language"]) if (state[f].length) filters[f] = { any: state[f] };
  let years = state.year;
  if ((state.from || state.to) && !rangeCovered(state)) {
    const lo = Number(state.from || 0), hi = Number(state.to || 9999);
    const known = Object.keys(root.allFilters?.year || {});
    const inRange = known.filter((y) => Number(y) >= lo && Number(y) <= hi);
    years = years.length ? years.filter((y) => inRange.includes(y)) : inRange;
    if (!years.length) years = ["none"];
  }
  if (years.length) filters.year = { any: years };
  return filters;
}

/** A shard's language and the years it spans, from its Pagefind language: `ar-2016y2` (2016 and 2017),
 *  `ar-2019y1p<part>` (part of 2019), `ar-u[p<part>]` (undated pages; see generator/search/shards.py), `ar-d`
 *  (the pages an update changed, of any year or none). An index without shards (`ar`) spans every year and the
 *  undated pages too. */
function shardOf(key) {
  const at = key.lastIndexOf("-");
  const tag = key.slice(at + 1).match(/^(?:(\d+)y(\d+)|(u)|(d))(?:p[0-9a-f]+)?$/);
  if (at < 0 || !tag) return { lang: key, from: 0, to: 9999, undated: true };
  const lang = key.slice(0, at);
  if (tag[4]) return { lang, from: 0, to: 9999, undated: true, delta: true };
  if (tag[3]) return { lang, from: null, to: null, undated: true };
  return { lang, from: Number(tag[1]), to: Number(tag[1]) + Number(tag[2]) - 1, undated: false };
}

const yearRange = (state) => [Number(state.from || 0), Number(state.to || 9999)];

/** Whether a shard can hold pages that pass the year facet and the year range (undated pages pass neither). */
function inYears(state, shard) {
  if (!state.year.length && !state.from && !state.to) return true;
  if (shard.from === null) return false;
  const [lo, hi] = yearRange(state);
  if (shard.to < lo || shard.from > hi) return false;
  return !state.year.length || state.year.some((y) => Number(y) >= shard.from && Number(y) <= shard.to);
}

/** Whether every loaded shard lies inside the year range, so that no year filter is needed to apply it. */
function rangeCovered(state) {
  const [lo, hi] = yearRange(state);
  return (loaded || []).every((k) => !indexShards[k].undated && indexShards[k].from >= lo && indexShards[k].to <= hi);
}

/** The shards a query needs: those of the languages written in its script (all when it mixes scripts or has
 *  neither), plus any language the language facet names, and of those only the shards of the years asked
 *  for. An Arabic word is not looked for in English pages: an English page about an actor still comes through
 *  the actor's shard. */
function wanted(state) {
  const all = Object.keys(languages);
  const base = (k) => indexShards[k].lang.split("-")[0];
  let keys = all;
  const q = state.q;
  if (q.trim()) { // a facet-only browse covers every language
    const arabic = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/.test(q), latin = /[A-Za-z\u00c0-\u024f]/.test(q);
    if (arabic && !latin) keys = all.filter((k) => ARABIC_SCRIPT.has(base(k)));
    else if (latin && !arabic) keys = all.filter((k) => !ARABIC_SCRIPT.has(base(k)));
    keys = [...new Set([...keys, ...all.filter((k) => state.language.includes(indexShards[k].lang))])];
    if (!keys.length) keys = all;
  }
  return keys.filter((k) => inYears(state, indexShards[k]));
}

/** Make Pagefind search the shards `keys`: the first call picks the primary index (the one whose wasm is loaded),
 *  later calls merge what is missing. */
async function load(keys) {
  if (!keys.length) return;
  const bySize = [...keys].sort((a, b) => languages[b].page_count - languages[a].page_count || (a < b ? -1 : 1));
  if (!loaded) {
    const ui = document.documentElement.lang.toLowerCase();
    const primary = bySize.find((k) => indexShards[k].lang === ui || indexShards[k].lang === ui.split("-")[0]) || bySize[0];
    // Pagefind takes its primary language from <html lang> when it starts; it starts synchronously inside init().
    const html = document.documentElement;
    html.lang = primary;
    // Options given before init are the ones the primary index starts with. Every page of an index is in one
    // language, so the language facet is each index's own filter (`mergeFilter`, made in the browser), not a
    // filter file listing every page (37 KB at 20,000 articles).
    await pagefind.options({ ...OPTIONS, mergeFilter: { language: indexShards[primary].lang } });
    const started = pagefind.init();
    html.lang = ui;
    await started;
    loaded = [primary];
  }
  // Named by an absolute URL: Pagefind skips a merge whose path equals the primary's relative one.
  const bundle = new URL(`${base}pagefind/`, location.href).href;
  const before = loaded.length;
  const missing = bySize.filter((k) => !loaded.includes(k));
  loaded.push(...missing);
  // Merged together: each waits for its entry and metadata file, none for another's. (Pagefind keeps them in
  // the order of these calls, so results of equal score come in the same order every time.)
  await Promise.all(missing.map((k) => pagefind.mergeIndex(bundle, { ...OPTIONS, language: k, mergeFilter: { language: indexShards[k].lang } })));
  // A merged index brings its own filter files; the facets count them only once they are loaded.
  if (loaded.length > before && root.allFilters) await loadFilters();
}

/** Pagefind searches for the query (each spelling variant), `chips`' articles left out; deduplicated hits in
 *  Pagefind's ranking (sorting by date is `datesFor`'s, after). */
async function textSearch(state, chips, keys) {
  if (!keys.length) return { hits: [], counts: {}, searched: false }; // no shard holds the years asked for
  const hasFilter = FACETS.some((f) => state[f].length) || state.from || state.to;
  const searches = [];
  // Pagefind searches every index it has merged with the one query string.
  const arabicIndex = loaded.every((lang) => languages[lang].wasm === "ar");
  const search = async (v) => {
    const filters = filtersFor(state, chips);
    const found = await live(await pagefind.search(v, { filters }));
    // Filters can hide every hit of a shard that has the word: which shards fell back is told unfiltered.
    const all = Object.keys(filters).length ? await live(await pagefind.search(v)) : found;
    if (found && all) found.results = await withoutFallbacks(found.results, all.results, v);
    return found;
  };
  if (state.q.trim()) for (const v of pagefindQueries(state.q, arabicIndex)) searches.push(search(v));
  else if (hasFilter) searches.push(pagefind.search(null, { filters: filtersFor(state) }).then(live));
  const done = (await Promise.all(searches)).filter(Boolean);
  const seen = new Map();
  for (const s of done) for (const r of s.results) if (!seen.has(r.id)) seen.set(r.id, r);
  // Per facet value, the largest count any variant reports: exact when one variant's hits hold the others'
  // (the usual case: the folded spelling finds what the typed one finds), a slight undercount otherwise.
  const counts = {};
  for (const s of done) for (const [f, values] of Object.entries(s.filters || {})) {
    counts[f] ||= {};
    for (const [v, n] of Object.entries(values)) counts[f][v] = Math.max(counts[f][v] || 0, n);
  }
  return { hits: [...seen.values()], counts, searched: done.length > 0 };
}

/** `found` without the hits of pages a delta shard replaced, and its facet counts without them. */
async function live(found) {
  const gone = await stalePages;
  if (!found || !gone.size) return found;
  const counts = structuredClone(found.filters || {}); // Pagefind's own object is not ours to change
  found.results = found.results.filter((r) => !gone.has(r.id) || (uncount(counts, gone.get(r.id)), false));
  found.filters = counts;
  return found;
}

/** Take one page's filter values (facet -> values) off `counts`. */
function uncount(counts, filters) {
  for (const [f, values] of Object.entries(filters)) for (const v of values) if (counts[f]?.[v]) counts[f][v] -= 1;
}

const shardOfHit = (hit) => hit.id.slice(0, hit.id.lastIndexOf("_")); // Pagefind ids are "<language>_<hash>"

/** `results` without those of shards that hold no word for `query` (told from the `unfiltered` results). Pagefind falls back, in each index on its own,
 *  to a shorter word when no word starts with the query's (see query.js `extendsQuery`): over one index of
 *  everything that happens only when no page has the word, but a shard lacks every word its years lack. The
 *  top hit of each shard (its fragment is wanted soon anyway) tells which shards fell back, and to what. Where
 *  all did, no page has the word, and one index would have fallen back to the longest word of all: the shards
 *  that fell back to that one are kept. (The facet counts Pagefind gives still count the hits left out.) */
async function withoutFallbacks(results, unfiltered, query) {
  const tops = new Map();
  for (const r of unfiltered) if (!tops.has(shardOfHit(r))) tops.set(shardOfHit(r), r);
  if (tops.size < 2 && unfiltered === results) return results;
  const real = new Set(), fallbacks = new Map(); // shard -> the key of the shorter word it fell back to
  await Promise.all([...tops].map(async ([shard, hit]) => {
    const marked = [...(await hit.data()).excerpt.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);
    if (!marked.length || extendsQuery(marked, query)) real.add(shard);
    else fallbacks.set(shard, marked.map(indexKey).sort((a, b) => b.length - a.length)[0]);
  }));
  const longest = Math.max(...[...fallbacks.values()].map((k) => k.length));
  const kept = real.size ? real : new Set([...fallbacks].filter(([, k]) => k.length === longest).map(([s]) => s));
  return results.filter((r) => kept.has(shardOfHit(r)));
}

/** Whether a shard entry passes the ticked facets and the year range (the same tests Pagefind applies). */
function passes(state, entry) {
  const names = entry.actors.map((id) => table.actors[id]?.name).filter(Boolean);
  if (!state.actor.every((a) => names.includes(a))) return false;
  if (state.outlet.length && !state.outlet.includes(entry.outlet)) return false;
  if (state.language.length && !state.language.includes(entry.lang)) return false;
  if (state.year.length && !state.year.includes(entry.year)) return false;
  if (state.from && !(entry.year && Number(entry.year) >= Number(state.from))) return false;
  if (state.to && !(entry.year && Number(entry.year) <= Number(state.to))) return false;
  return true;
}

async function fetchShard(shard) {
  const response = await fetch(`${table.shards}${shard.id}/${shard.next}.json`);
  const page = response.ok ? await response.json() : { items: [], pages: 0 };
  if (page.total !== undefined) shard.total = page.total;
  shard.items.push(...page.items);
  shard.next = response.ok && shard.next < page.pages ? shard.next + 1 : 0;
}

/** The chips' loaded shard entries that pass the facets, one per URL, newest first. */
function shardEntries(state, shards) {
  const byUrl = new Map();
  for (const s of shards) for (const e of s.items) if (!byUrl.has(e.url) && passes(state, e)) byUrl.set(e.url, e);
  return [...byUrl.values()].sort((a, b) => ((a.date || "") < (b.date || "") ? 1 : (a.date || "") > (b.date || "") ? -1 : 0));
}

/** Fetch further shard pages until `shown` entries pass the facets or the shards end (a few pages a call). */
async function fillShards(run) {
  for (let step = 0; step < SHARD_STEP; step++) {
    const open = run.shards.filter((s) => s.next);
    if (!open.length || shardEntries(run.state, run.shards).length >= shown) return;
    await Promise.all(open.map(fetchShard));
  }
}

/** Text hits and shard entries in one list: by date when sorting by date, else taking turns (both answer the
 *  query, and neither kind should hide the other behind thousands of its own). */
async function merged(run) {
  const entries = shardEntries(run.state, run.shards).map((entry) => ({ entry }));
  const hits = run.text.hits.map((hit) => ({ hit }));
  if (run.state.sort === "date") {
    await datesFor(run.text.hits, shown);
    for (const h of hits) h.date = days.get(h.hit.id) || "";
    for (const e of entries) e.date = e.entry.date || "";
    // A stable sort: the same day keeps Pagefind's ranking; hits not placed yet (older, or undated) go last.
    return [...hits, ...entries].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  }
  // Most relevant first: an actor's articles whose title names what was asked come before those that only
  // mention it (each group stays newest first).
  const words = fold(run.state.q).split(" ").filter((w) => w.length > 1);
  const titled = (e) => words.some((w) => fold(e.entry.title || "").includes(w));
  entries.sort((a, b) => titled(b) - titled(a));
  const out = [];
  for (let i = 0; i < Math.max(hits.length, entries.length); i++) {
    if (i < hits.length) out.push(hits[i]);
    if (i < entries.length) out.push(entries[i]);
  }
  return out;
}

/** Learn the days of enough `hits` to list the first `count` by date: the bundle's per-year tables of Pagefind
 *  page ids are fetched newest year first, until `count` hits have a day (the rest are older or undated). */
async function datesFor(hits, count) {
  const tables = `${base}pagefind/arshif-dates/`;
  dateYears ||= await fetch(`${tables}years.json`).then((r) => (r.ok ? r.json() : []));
  const placed = () => hits.reduce((n, h) => n + days.has(h.id), 0);
  while (dateYears.length && placed() < Math.min(count, hits.length)) {
    const response = await fetch(`${tables}${dateYears.shift()}.json`);
    if (response.ok) for (const [day, ids] of (await response.json()).days) for (const id of ids.split(" ")) days.set(id, day);
  }
}

/** Facet counts for what is listed: the text hits' counts from Pagefind plus the loaded shard entries that
 *  pass the facets, counted here (exact once a shard is fully loaded; until then they cover its loaded pages). */
function facetCounts(run) {
  const counts = {};
  for (const [f, values] of Object.entries(run.text.counts)) counts[f] = { ...values };
  const add = (f, v) => { if (v) { counts[f] ||= {}; counts[f][v] = (counts[f][v] || 0) + 1; } };
  for (const e of shardEntries(run.state, run.shards)) {
    for (const id of new Set(e.actors)) add("actor", table.actors[id]?.name);
    add("outlet", e.outlet); add("year", e.year); add("language", e.lang);
  }
  return counts;
}

/** How many results there are, and whether more may come ("+") once further shard pages are loaded. */
function totalOf(run) {
  const entries = shardEntries(run.state, run.shards).length;
  const open = run.shards.some((s) => s.next);
  const ticked = FACETS.some((f) => run.state[f].length) || run.state.from || run.state.to;
  // Unfiltered, one shard's total is exact before its pages are loaded; otherwise count what is loaded.
  const shardCount = !ticked && run.shards.length === 1 ? run.shards[0].total : entries;
  return [run.text.hits.length + shardCount, open && (ticked || run.shards.length > 1) ? "+" : ""];
}

/** '7 نتائج', '11 نتيجة', 'نتيجتان': the count by the UI language's plural rule (CLDR, as the build counts). */
function countText(n, more = "") {
  return (resultForms[plural.select(n)] || resultForms.other).replace("{n}", `${n}${more}`);
}

function statusText(run) {
  const [n, more] = totalOf(run);
  return countText(n, more);
}

async function run(state) {
  const token = ++runs;
  $("q").value = state.q; $("sort").value = state.sort; $("from").value = state.from; $("to").value = state.to;
  const asked = Boolean(state.q.trim() || FACETS.some((f) => state[f].length) || state.from || state.to);
  // The query's alias letters and Pagefind's index come in together.
  const keys = asked ? wanted(state) : [];
  const [aliases] = await Promise.all([aliasesFor(state.q), load(keys)]);
  if (token !== runs) return;
  const chips = recognise(state.q, aliases);
  renderChips(chips);
  renderSuggestions(chips.length ? [] : nearActors(state.q, aliases));
  $("browse").hidden = asked;
  $("search-layout").hidden = !asked;
  if (!asked) {
    $("status").textContent = ""; $("no-results").hidden = true; $("results").replaceChildren(); renderFacets(state, {});
    $("paging").replaceChildren();
    renderBrowse();
    return;
  }
  // Only the shards of the years asked for are loaded at first, so a year range needs no filter. Where shards
  // of other years were loaded for an earlier query, it becomes Pagefind year filters from the list of known
  // years, which needs the filter files.
  if ((state.from || state.to) && !rangeCovered(state) && !root.allFilters) await loadFilters();
  shown = Math.max(PAGE, Math.ceil(Number(state.n) / PAGE) * PAGE || PAGE);
  const actorShards = chips.map((id) => ({ id, items: [], next: 1, total: 0 }));
  // Leaving the chips' articles out of the text search needs the actor filter file (tens of KB at 20,000
  // articles). Until the filter files are in, the first paint drops those hits as it draws them instead, and
  // the exact list and counts follow once they are.
  const exact = Boolean(root.allFilters) || !chips.length;
  const [text] = await Promise.all([textSearch(state, exact ? chips : [], keys), ...actorShards.map(fetchShard)]);
  const next = { state, chips, shards: actorShards, text, exact, keys };
  // A link that says how many were shown (`n`) loads as many shard pages as "more" had loaded for them.
  for (let i = 0; i < shown / PAGE; i++) await fillShards(next);
  if (token !== runs) return;
  current = next;
  await draw(current);
  if (!root.allFilters) {
    // First results are on screen; now the filter files, then the same searches again (their chunks are cached)
    // so Pagefind can count every facet.
    await loadFilters();
    if (token !== runs) return;
    current.text = await textSearch(state, chips, keys);
    if (token !== runs) return;
    if (!current.exact) {
      current.exact = true;
      await draw(current);
    }
  }
  renderFacets(state, facetCounts(current));
}

async function loadFilters() {
  const counts = loaded ? structuredClone(await pagefind.filters()) : {};
  if (loaded) for (const filters of (await stalePages).values()) uncount(counts, filters);
  root.allFilters = counts;
}

async function draw(run) {
  $("status").textContent = run.exact ? statusText(run) : "";
  const items = await merged(run);
  $("no-results").hidden = items.length > 0;
  await renderResults(run, items);
  if (root.allFilters) renderFacets(run.state, facetCounts(run));
}

async function renderResults(run, items) {
  const list = $("results");
  const template = $("result-template");
  const rows = [];
  const chipNames = run.chips.map((id) => table.actors[id].name);
  const page = items.slice(0, shown);
  // One fragment per hit: fetched together, not one round trip after another.
  const data = await Promise.all(page.map((item) => item.hit?.data()));
  for (const [i, item] of page.entries()) {
    const li = template.content.firstElementChild.cloneNode(true);
    const a = li.querySelector("a.title");
    const time = li.querySelector("time");
    if (item.hit) {
      const d = data[i];
      if (!run.exact && chipNames.some((n) => d.filters?.actor?.includes(n))) continue; // listed from its shard
      a.href = d.url; a.textContent = d.meta.title || d.url;
      li.lang = d.language || "";
      if (d.meta.date) { time.dateTime = d.meta.date; time.textContent = d.meta.date_text || d.meta.date; } else time.remove();
      li.querySelector(".outlet").textContent = d.meta.outlet || "";
      li.querySelector(".excerpt").innerHTML = d.excerpt; // Pagefind escapes the text and adds only <mark>
    } else {
      const e = item.entry;
      a.href = e.url; a.textContent = e.title || e.url;
      li.lang = e.lang || "";
      if (e.date) { time.dateTime = e.date; time.textContent = e.date_text || e.date; } else time.remove();
      li.querySelector(".outlet").textContent = e.outlet || "";
      // The sentence that names the actor, as the build escaped it with the name in <mark> (as on its page).
      if (e.excerpt) li.querySelector(".excerpt").innerHTML = e.excerpt; else li.querySelector(".excerpt").remove();
    }
    li.dir = "auto";
    if (!li.querySelector("time") || !li.querySelector(".outlet").textContent) li.querySelector(".sep").remove();
    rows.push(li);
  }
  if (run !== current) return;
  list.replaceChildren(...rows);
  const paging = $("paging");
  paging.replaceChildren();
  if (items.length > shown || run.text.hits.length > shown || run.shards.some((s) => s.next)) {
    const [total, plus] = totalOf(run);
    const more = document.createElement("button");
    more.type = "button"; more.className = "more";
    more.textContent = labels.more_results.replace("{shown}", String(rows.length)).replace("{total}", `${total}${plus}`);
    more.addEventListener("click", async () => {
      more.disabled = true;
      const before = rows.length;
      shown += PAGE;
      // The place is kept in the URL (replaced, not pushed: "back" leaves the search, not one page of it).
      writeState({ ...run.state, n: String(shown) }, true);
      await fillShards(run);
      if (run !== current) return;
      await draw(run);
      // The reader goes on where the new results begin, not at the top of the page.
      const next = $("results").querySelectorAll("a.title")[before];
      (next || $("results").querySelector("a.title"))?.focus();
    });
    // Inside the list, so "more" comes right after the last result for keyboard and screen reader alike.
    const li = document.createElement("li");
    li.className = "more-row";
    li.append(more);
    list.append(li);
  }
}

/** Actors whose name is a letter or two off a query word (كازخستان, Kazakstan, بوتيين), most mentioned first,
 *  from the alias files already fetched for the query's letters. */
function nearActors(query, aliases) {
  const words = lookups(query).words.filter((w) => w.length >= 4);
  const found = new Map();
  for (const [alias, owners] of Object.entries(aliases)) {
    for (const w of words) {
      const limit = w.length >= 8 ? 2 : 1;
      if (Math.abs(alias.length - w.length) <= limit && editDistance(alias, w, limit) <= limit) {
        for (const id of owners) if (table.actors[id]) found.set(id, table.actors[id].count);
      }
    }
  }
  return [...found].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id]) => id);
}

/** Levenshtein distance, given up (limit + 1) once it must exceed `limit`. */
function editDistance(a, b, limit) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...next) > limit) return limit + 1;
    row = next;
  }
  return row[b.length];
}

function renderSuggestions(ids) {
  const box = $("suggestions");
  box.replaceChildren();
  for (const id of ids) {
    const a = document.createElement("a");
    a.href = `?q=${encodeURIComponent(table.actors[id].name)}`;
    a.textContent = table.actors[id].name;
    a.dir = "auto";
    if (box.childNodes.length) box.append(" · ");
    box.append(a);
  }
  $("did-you-mean").hidden = ids.length === 0;
}

let recent = null; // the home page's first articles, fetched once for the empty search page

/** The empty search page: the latest articles (the home page's first few, as it lists them), the archive's
 *  languages and its most mentioned actors, to browse from. */
function renderBrowse() {
  recent ||= fetch(base).then((r) => (r.ok ? r.text() : "")).then((html) => {
    const items = new DOMParser().parseFromString(html, "text/html").querySelectorAll(".article-list > li");
    return [...items].slice(0, 5).map((li) => document.importNode(li, true));
  }).catch(() => []);
  recent.then((items) => $("browse-recent").replaceChildren(...items.map((li) => li.cloneNode(true))));
  const langs = [...new Set(Object.values(indexShards).map((s) => s.lang))].sort();
  $("browse-languages").replaceChildren(...langs.map((code) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.className = "chip"; a.href = `?language=${encodeURIComponent(code)}`; a.lang = code;
    a.textContent = languageName(code);
    li.append(a);
    return li;
  }));
  const top = Object.entries(table.actors).sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).slice(0, 12);
  $("browse-actors").replaceChildren(...top.map(([id, actor]) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.className = "chip"; a.href = `${table.pages}${id}/`; a.dir = "auto";
    a.textContent = `${actor.name} `;
    const n = document.createElement("span");
    n.className = "count"; n.textContent = String(actor.count);
    a.append(n);
    li.append(a);
    return li;
  }));
}

/** A language by its own name (العربية, English), as a reader of that language looks for it. */
function languageName(code) {
  try {
    return new Intl.DisplayNames([code], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

function renderChips(ids) {
  const box = $("chips");
  box.replaceChildren();
  for (const id of ids) {
    const actor = table.actors[id];
    const a = document.createElement("a");
    a.className = "chip actor-chip"; a.href = `${table.pages}${id}/`; a.dataset.actor = id;
    const other = actor.names.find((n) => n !== actor.name);
    a.textContent = `${actor.name}${other ? " · " + other : ""} — ${actor.count}`;
    box.append(a);
  }
}

function renderFacets(state, counts) {
  const box = $("facets");
  // Drawn again on every change: the focused box (or "more" button) is found again after, so the keyboard
  // stays where the reader was.
  const lost = document.activeElement === document.body || box.contains(document.activeElement);
  const focus = lost ? facetFocus : null;
  let refocus = null; // focused once it is in the document
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
    const open = openFacets.has(f) || values.length <= FACET_SHOWN + 2;
    // A ticked value is always shown, even past the fold.
    const visible = open ? values : values.filter(([v], i) => i < FACET_SHOWN || state[f].includes(v));
    for (const [value, n] of visible) {
      const label = document.createElement("label");
      const box2 = document.createElement("input");
      box2.type = "checkbox"; box2.value = value; box2.checked = state[f].includes(value);
      box2.addEventListener("change", () => {
        const next = readState();
        next[f] = box2.checked ? [...next[f], value] : next[f].filter((x) => x !== value);
        next.n = "";
        writeState(next); run(next);
      });
      const count = document.createElement("span");
      count.className = "count"; count.textContent = String(n);
      const name = document.createElement("bdi");
      name.textContent = f === "language" ? languageName(value) : value;
      if (f === "language") name.lang = value;
      label.append(box2, " ", name, " ", count);
      set.append(label);
      if (focus && !focus.more && focus.facet === f && focus.value === value) refocus = box2;
    }
    if (values.length > FACET_SHOWN + 2) {
      const more = document.createElement("button");
      more.type = "button"; more.className = "facet-more";
      more.setAttribute("aria-expanded", String(open));
      more.textContent = open ? labels.fewer : `${labels.more} (${values.length - visible.length})`;
      more.addEventListener("click", () => {
        if (openFacets.has(f)) openFacets.delete(f); else openFacets.add(f);
        renderFacets(readState(), counts);
      });
      set.append(more);
      if (focus?.more && focus.facet === f) refocus = more;
    }
    box.append(set);
  }
  $("facets-toggle").hidden = !box.childElementCount;
  refocus?.focus();
}

/** The aliases (alias key -> actor ids) whose key starts with the first letter of `key`, fetched once. */
function aliasLetter(key) {
  const hex = key.codePointAt(0).toString(16);
  if (!letters.has(hex)) {
    letters.set(hex, fetch(`${table.aliases}${hex}.json`).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
  }
  return letters.get(hex);
}

/** The aliases a query could name an actor by: only the letters its `lookups` start with are fetched. */
async function aliasesFor(query) {
  const { whole, words } = lookups(query);
  // Alias files exist for letters only: a query opening with a quote or a bracket asks for none of them.
  const firsts = new Set([...whole, ...words].filter(Boolean).map((k) => String.fromCodePoint(k.codePointAt(0)))
    .filter((c) => /\p{L}/u.test(c)));
  return Object.assign({}, ...(await Promise.all([...firsts].map(aliasLetter))));
}

async function suggest() {
  const typed = $("q").value;
  const q = fold(typed);
  const list = $("actor-suggestions");
  if (q.length < 2 || !/^\p{L}/u.test(q)) return list.replaceChildren();
  const aliases = await aliasLetter(q);
  if ($("q").value !== typed) return; // typing went on; the newer call draws
  list.replaceChildren();
  const ids = new Set();
  for (const [alias, owners] of Object.entries(aliases)) if (alias.startsWith(q)) owners.forEach((id) => ids.add(id));
  for (const id of [...ids].sort((a, b) => table.actors[b].count - table.actors[a].count).slice(0, 8)) {
    const option = document.createElement("option");
    option.value = table.actors[id].name;
    list.append(option);
  }
}

async function start() {
  // The three requests go out together; none of them needs another's answer.
  const entryRequest = fetch(`${base}pagefind/pagefind-entry.json?ts=${TAG}`).then((r) => r.json());
  const actorsRequest = fetch(`${base}data/search-actors.json`).then((r) => (r.ok ? r.json() : table));
  try {
    pagefind = await import(`${base}pagefind/pagefind.js`);
  } catch {
    $("unavailable").hidden = false;
    return;
  }
  await pagefind.options(OPTIONS);
  const [entry, actors] = await Promise.all([entryRequest, actorsRequest]);
  table = actors;
  languages = entry.languages;
  indexShards = Object.fromEntries(Object.keys(languages).map((k) => [k, shardOf(k)]));
  if (Object.values(indexShards).some((s) => s.delta)) {
    stalePages = fetch(`${base}pagefind/arshif-stale.json?ts=${TAG}`).then((r) => (r.ok ? r.json() : { stale: {} }))
      .then((body) => new Map(Object.entries(body.stale))).catch(() => new Map());
  }
  aliasesFor(readState().q); // under way while Pagefind starts
  $("q").addEventListener("input", suggest);
  root.querySelector("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const next = { ...readState(), q: $("q").value, sort: $("sort").value, from: $("from").value, to: $("to").value, n: "" };
    writeState(next); run(next);
  });
  $("sort").addEventListener("change", () => root.querySelector("form").requestSubmit());
  // Where in the facets the focus is, so that drawing them again (after a tick, as counts come in) puts it back.
  document.addEventListener("focusin", (e) => {
    const el = e.target;
    facetFocus = $("facets").contains(el)
      ? { facet: el.closest(".facet")?.dataset.facet, value: el.value, more: el.classList.contains("facet-more") }
      : null;
  });
  $("facets-toggle").addEventListener("click", (e) => {
    e.currentTarget.setAttribute("aria-expanded", String(e.currentTarget.getAttribute("aria-expanded") !== "true"));
  });
  window.addEventListener("popstate", () => run(readState()));
  await run(readState());
  root.dataset.ready = "true";
}

start();
