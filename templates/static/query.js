// arshif search: what the query means before Pagefind sees it.
// - `fold` does to a query what the build does to text (marks, tatweel, hamza seats, ى/ي, ة/ه, digits);
// - `lookups` and `recognise` find the actors a query names, in any spelling, with a glued proclitic stripped;
// - `variants` tries the one-way folds (final ي/ى, ه/ة) both ways;
// - `pagefindQueries` hands Pagefind each Arabic word in a form that spares it a useless index chunk.
import { stemmer as arabicStem } from "./vendor/snowball-arabic.js";

const DROP = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0640\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/g;
const FOLD = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ة": "ه", "ک": "ك", "ی": "ي", "ے": "ي", "ھ": "ه", "ۀ": "ه", "ى": "ي" };
// Longest first: a glued و + ب + ال ("وبالكرملين") is stripped whole before "و" alone.
const PROCLITICS = ["وبال", "فبال", "ولل", "فلل", "وكال", "وال", "فال", "بال", "كال", "لل", "ال", "وب", "ول", "فب", "فل", "وك", "و", "ف", "ب", "ل", "ك"];
const ARABIC_WORD = /^[\u0621-\u064a]+$/;
// Endings tried after a stem that Snowball would shorten further; see `pagefindTerm`.
const ENDINGS = ["", "ه", "ة", "ا", "ي", "ات", "ين", "ون", "ها"];

export const fold = (s) => s.replace(DROP, "")
  .replace(/[أإآٱؤئةکیےھۀى]/g, (c) => FOLD[c])
  .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10))
  .replace(/[\u00a0\u2007\u202f\s]+/g, " ").trim().toLowerCase();

/** The alias keys a query could name an actor by: the whole query, then each word, each as typed and with a
 *  glued proclitic stripped (للكرملين also as الكرملين). */
export function lookups(query) {
  const forms = (word) => {
    const out = [word];
    for (const p of PROCLITICS) if (word.startsWith(p) && word.length - p.length >= 3) {
      out.push(word.slice(p.length));
      if (p.endsWith("ل")) out.push("ال" + word.slice(p.length)); // للكرملين = ل + الكرملين
    }
    return out;
  };
  const q = fold(query);
  if (!q) return { whole: [], words: [] };
  return { whole: forms(q), words: q.split(" ").flatMap(forms) };
}

/** Actor ids named by the query, from `aliases` (alias key -> ids): the whole query, else its words. */
export function recognise(query, aliases) {
  const found = new Set();
  const tryKey = (key) => (aliases[key] || []).forEach((id) => found.add(id));
  const { whole, words } = lookups(query);
  whole.forEach(tryKey);
  if (!found.size) words.forEach(tryKey);
  return [...found];
}

/** The query as typed, folded, and with the one-way folds (final ي/ى, ه/ة) tried the other way. */
export function variants(query) {
  const q = fold(query);
  return [...new Set([query.trim(), q, q.replace(/ي(?=\s|$)/g, "ى"), q.replace(/ه(?=\s|$)/g, "ة")])].filter(Boolean);
}

/** A word Pagefind's Arabic index answers with the same pages as `word`, without a useless index chunk.
 *
 * Pagefind matches the words of its index that start with the query word's Snowball stem, from two chunks: the
 * stem's and the one where the word as typed sorts. When Snowball stripped a prefix (an article, a glued و or
 * ب), the typed word sorts far from its stem and its chunk holds nothing Pagefind can use: at 20,000 articles
 * النفط brings the chunk of نفط (25 KB) and the one where "النف…" sorts (80 KB, among the commonest stems).
 * Such a word is handed over as its stem - or, when Snowball would shorten the stem again, the stem plus an
 * ending Snowball strips - so Pagefind loads the stem's chunk alone. (Where that ending sorts into the next
 * chunk, Pagefind also sees the stem's words there: more pages, never fewer.) The index has no marks (the build
 * indexes unmarked copies), so none are kept. A word that starts with its stem, or has no such form, stays.
 */
export function pagefindTerm(word) {
  // What Pagefind stems: the word without its combining marks (NFD splits hamza from its seat).
  const base = word.normalize("NFD").replace(/\p{M}/gu, "");
  if (!ARABIC_WORD.test(base)) return word;
  const stem = arabicStem(base);
  if (base.startsWith(stem)) return word; // it sorts among its stem's words: its chunk is one Pagefind needs
  for (const ending of ENDINGS) {
    const term = stem + ending;
    if (!term.startsWith("ال") && arabicStem(term) === stem) return term;
  }
  return word;
}

/** The Pagefind searches for a query: each variant with its Arabic words as `pagefindTerm` gives them when
 *  `arabicIndex` (every index searched stems with Snowball Arabic), as typed otherwise; duplicates dropped.
 *  A quoted (exact) query is left as it is. */
export function pagefindQueries(query, arabicIndex) {
  const all = variants(query);
  if (!arabicIndex || /^\s*".+"\s*$/.test(query)) return all;
  return [...new Set(all.map((v) => v.split(" ").map(pagefindTerm).join(" ")))];
}

/** A word as Pagefind's index keys it, near enough: folded, unmarked, Arabic words by their Snowball stem. */
export const indexKey = (word) => {
  const bare = fold(word).normalize("NFD").replace(/\p{M}/gu, "").replace(/[^\p{L}\p{N}]/gu, "");
  return ARABIC_WORD.test(bare) ? arabicStem(bare) : bare;
};

/** Whether a result's `marked` words (its excerpt's <mark>s) answer `query`: one of them is keyed by a word
 *  that starts with one of the query's words' keys, as Pagefind's matches do. A Pagefind index holding no word
 *  that starts with a query word's key searches for the longest word it holds that starts that key instead
 *  ("و" for "بوتين"); its results then mark only such shorter words. (A word not stemmed here is allowed
 *  its last two letters, which an English stemmer may take.) */
export function extendsQuery(marked, query) {
  const keys = query.split(/\s+/).map(indexKey).filter(Boolean);
  const starts = keys.map((k) => (ARABIC_WORD.test(k) || k.length < 5 ? k : k.slice(0, -2)));
  return marked.map(indexKey).some((m) => starts.some((k) => m.startsWith(k)));
}
