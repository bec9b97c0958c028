// Search page: a small component on Pagefind's JS API (pagefind.js).
//
// The form is a plain GET form (q, verdict, claimant, topic, language, sort), so a search is a URL
// that can be linked and bookmarked; this script reads that URL, searches as the reader types or
// filters, keeps the address in sync with history.replaceState, and announces the result count in
// the form's live region. Every string from the index is set as text, never parsed as HTML (the
// excerpt's <mark> highlights are rebuilt node by node).

const PAGE_SIZE = 20;
const TYPING_PAUSE_MS = 200;
const FILTER_NAMES = ["verdict", "claimant", "topic", "language"];
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" } };
const SAFE_KEY = /^[a-z0-9-]+$/;

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const statusBox = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const sortSelect = document.getElementById("search-sort");
const selects = Object.fromEntries(
  FILTER_NAMES.map((name) => [name, form ? form.querySelector(`select[data-filter="${name}"]`) : null]),
);
const pageLanguage = document.documentElement.lang || "";

let ready = null; // resolves to the pagefind module
let current = { results: [], shown: 0, token: 0, hasQuery: false };
let typingTimer = 0;

function say(text) {
  statusBox.textContent = text;
}

// What the page says, in the site's language: search.html hands the messages over as JSON, keyed by
// the English message; a message with a count has every plural form of the language, and
// Intl.PluralRules picks one by the same CLDR rules the build used.
const MESSAGES = readMessages();
const pluralRules = new Intl.PluralRules(pageLanguage || "en");

function readMessages() {
  const element = document.getElementById("search-messages");
  try {
    return element ? JSON.parse(element.textContent) : {};
  } catch {
    return {};
  }
}

function t(message, values = {}) {
  let text = MESSAGES[message];
  if (text && typeof text === "object") text = text[pluralRules.select(values.num)] || text.other;
  if (typeof text !== "string") text = message;
  if (!/%\(\w+\)[sd]/.test(message)) return text; // nothing to fill in: as the pages show it, %% and all
  // filled in as Python's % fills the pages' messages: each %(name)s, and %% as one percent sign
  return text.replace(/%\((\w+)\)[sd]|%%/g, (whole, name) => {
    if (whole === "%%") return "%";
    return name in values ? String(values[name]) : whole;
  });
}

// --- the address -----------------------------------------------------------------------------

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  const state = { q: (params.get("q") || "").trim(), sort: params.get("sort") || "", filters: {} };
  for (const name of FILTER_NAMES) {
    const value = (params.get(name) || "").trim();
    if (value) state.filters[name] = value;
  }
  if (!(state.sort in SORTS)) state.sort = "";
  return state;
}

function readForm() {
  const state = { q: input.value.trim(), sort: sortSelect.value in SORTS ? sortSelect.value : "", filters: {} };
  for (const name of FILTER_NAMES) {
    if (selects[name] && selects[name].value) state.filters[name] = selects[name].value;
  }
  return state;
}

function writeAddress(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const name of FILTER_NAMES) {
    if (state.filters[name]) params.set(name, state.filters[name]);
  }
  if (state.sort) params.set("sort", state.sort);
  const query = params.toString();
  const url = window.location.pathname + (query ? `?${query}` : "") + window.location.hash;
  if (url !== window.location.pathname + window.location.search + window.location.hash) {
    history.replaceState(null, "", url);
  }
}

function showState(state) {
  input.value = state.q;
  sortSelect.value = state.sort;
  for (const name of FILTER_NAMES) {
    const select = selects[name];
    if (!select) continue;
    const value = state.filters[name] || "";
    if (value && !Array.from(select.options).some((o) => o.value === value)) {
      select.append(new Option(value, value)); // a linked filter the index does not know: keep it visible
    }
    select.value = value;
  }
}

// --- filter options from the index -----------------------------------------------------------

function languageName(code) {
  try {
    const names = new Intl.DisplayNames([pageLanguage || "en"], { type: "language" });
    return names.of(code) || code;
  } catch {
    return code;
  }
}

function prepareOptions(available) {
  for (const name of FILTER_NAMES) {
    const select = selects[name];
    if (!select) continue;
    const counts = available[name] || {};
    if (name === "language") {
      for (const code of Object.keys(counts).sort()) {
        if (!Array.from(select.options).some((o) => o.value === code)) select.append(new Option(languageName(code), code));
      }
      select.closest(".search-filter").hidden = Object.keys(counts).length < 2 && !select.value;
    }
    for (const option of Array.from(select.options)) {
      if (!option.value) continue;
      option.dataset.label = option.dataset.label || option.textContent;
      if (!(option.value in counts) && option.value !== select.value) option.remove();
    }
  }
}

function showCounts(counts) {
  for (const name of FILTER_NAMES) {
    const select = selects[name];
    if (!select) continue;
    const values = (counts && counts[name]) || {};
    for (const option of Array.from(select.options)) {
      if (!option.value) continue;
      const label = option.dataset.label || option.textContent;
      option.textContent = option.value in values ? `${label} (${values[option.value]})` : label;
    }
  }
}

// --- results ---------------------------------------------------------------------------------

function textElement(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  element.textContent = text;
  return element;
}

function excerptElement(html) {
  // Pagefind's excerpt is text with <mark> around matches; keep exactly that and nothing else.
  const template = document.createElement("template");
  template.innerHTML = html;
  const paragraph = textElement("p", "search-excerpt", "");
  for (const node of Array.from(template.content.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) paragraph.append(node.textContent);
    else if (node.nodeName === "MARK") paragraph.append(textElement("mark", "", node.textContent));
    else paragraph.append(node.textContent || "");
  }
  return paragraph;
}

function resultElement(data, hasQuery) {
  const meta = data.meta || {};
  const key = SAFE_KEY.test(meta.verdict_key || "") ? meta.verdict_key : "";
  const article = document.createElement("article");
  article.className = key ? `claim-card verdict-${key}` : "claim-card";

  const badge = textElement("span", key ? `verdict-badge verdict-${key}` : "verdict-badge", "");
  badge.append(textElement("span", "visually-hidden", `${t("Verdict:")} `), meta.verdict || t("Not rated"));
  article.append(badge);

  const heading = textElement("h2", "claim-card-title", "");
  const link = textElement("a", "", meta.title || data.url);
  link.href = data.url;
  const language = (data.filters && data.filters.language && data.filters.language[0]) || meta.language || "";
  if (language && language !== pageLanguage) link.lang = language;
  heading.append(link);
  article.append(heading);

  const line = textElement("p", "claim-meta", "");
  if (meta.claimant) line.append(meta.claimant, " · ");
  const time = textElement("time", "", meta.published || meta.date || "");
  if (meta.date) time.dateTime = meta.date;
  const [before, after = ""] = t("Checked %(date)s").split("%(date)s");
  line.append(before, time, after);
  article.append(line);

  if (meta.summary) article.append(textElement("p", "claim-summary", meta.summary));
  if (hasQuery && data.excerpt) article.append(excerptElement(data.excerpt));

  const item = document.createElement("li");
  item.append(article);
  return item;
}

// `replace`: the first page of a new search takes the place of the last search's results in one
// step, once it is ready, so the list never stands empty while the count still names the last search.
async function showMore(token, moveFocus, replace = false) {
  const batch = current.results.slice(current.shown, current.shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (token !== current.token) return;
  const items = data.map((d) => resultElement(d, current.hasQuery));
  if (replace) list.replaceChildren(...items);
  else list.append(...items);
  current.shown += batch.length;
  list.hidden = current.shown === 0;
  moreButton.hidden = current.shown >= current.results.length;
  if (moveFocus && items.length) items[0].querySelector("a").focus();
}

// --- searching -------------------------------------------------------------------------------

function describe(state, count) {
  const words = state.q ? " for “%(query)s”" : "";
  const narrowed = Object.keys(state.filters).length ? " with the chosen filters" : "";
  const values = { num: count, query: state.q };
  if (count === 0) return t(`No fact-checks found${words}${narrowed}. Try fewer words or remove a filter.`, values);
  return t(`%(num)d fact-check found${words}${narrowed}.`, values);
}

async function run(state) {
  const token = ++current.token;
  writeAddress(state);
  const pagefind = await ready;
  if (token !== current.token) return;
  const hasFilters = Object.keys(state.filters).length > 0;
  if (!state.q && !hasFilters) {
    current = { results: [], shown: 0, token, hasQuery: false };
    list.replaceChildren();
    list.hidden = true;
    moreButton.hidden = true;
    showCounts(null);
    say(t("Type a word, or choose a filter, to search the fact-checks."));
    return;
  }
  const sort = SORTS[state.sort] || (state.q ? undefined : SORTS.newest);
  const search = await pagefind.search(state.q || null, { filters: { ...state.filters }, ...(sort ? { sort } : {}) });
  if (token !== current.token || search === null) return;
  current = { results: search.results, shown: 0, token, hasQuery: Boolean(state.q) };
  showCounts(search.filters);
  await showMore(token, false, true);
  if (token !== current.token) return;
  say(describe(state, search.results.length));
}

function schedule(delay) {
  window.clearTimeout(typingTimer);
  typingTimer = window.setTimeout(() => {
    run(readForm()).catch(fail);
  }, delay);
}

function fail(error) {
  say(t("Search is not available right now. Browse the fact-checks from the menu instead."));
  console.warn("search:", error);
}

async function load() {
  const bundle = form.dataset.bundle || "/pagefind/";
  const module = await import(`${bundle}pagefind.js`);
  await module.options({ baseUrl: form.dataset.base || "/", excerptLength: 24 });
  await module.init();
  prepareOptions(await module.filters());
  return module;
}

function start() {
  if (!form || !input) return;
  // What works only with this script (filters, results as you type) is hidden in the page until now.
  for (const element of document.querySelectorAll("[data-needs-script]")) element.hidden = false;
  showState(readAddress());
  say(t("Loading search…"));
  // Listen at once: a reader who types while the index loads is searched as soon as it is ready.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    schedule(0);
  });
  input.addEventListener("input", () => schedule(TYPING_PAUSE_MS));
  input.addEventListener("search", () => schedule(0));
  for (const select of [...Object.values(selects), sortSelect]) {
    if (select) select.addEventListener("change", () => schedule(0));
  }
  moreButton.addEventListener("click", () => {
    showMore(current.token, true).catch(fail);
  });
  ready = load();
  ready.then(() => run(readForm())).catch(fail);
}

start();
