// The search page of a tamatar site: Pagefind's JavaScript API behind the page's own form.
// Results are an ordered list of links; the status line (role="status") tells screen
// readers how many were found. Without JavaScript the form still leads here and the page
// links to the tags and the timeline. The words it shows come translated from the form's
// data-text-* attributes ({count}, {query} and {shown} filled in here).
const form = document.querySelector("form[data-pagefind]");
const input = form && form.querySelector("input[name='q']");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const SHOWN = 20;
let engine = null;
// Ids of the index's entries for pages changed or deleted since it was made (their new
// text is in the delta index merged into it); see build/search.py.
let dropped = new Set();

// The form's data-text-NAME with {key} replaced by values[key].
function text(name, values = {}) {
  const template = (form && form.dataset["text" + name]) || "";
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

async function pagefind() {
  if (engine === null) {
    const bundle = new URL(form.dataset.pagefind, window.location.href);
    const loaded = await import(bundle.href);
    await loaded.options({ baseUrl: form.dataset.base });
    await loaded.init();
    // A large site's index comes in parts: the bundle's own and the ones listed here.
    const parts = await fetch(new URL("parts.json", bundle));
    if (parts.ok) {
      const listed = (await parts.json()).parts || [];
      // fetched side by side: a 10,000-log site has a dozen parts
      await Promise.all(listed.map((part) => loaded.mergeIndex(new URL(part, bundle).pathname)));
    }
    const delta = new URL("delta/", bundle);
    const response = await fetch(new URL("superseded.json", delta));
    if (response.ok) {
      const listing = await response.json();
      if (listing.merge) await loaded.mergeIndex(delta.pathname);
      dropped = new Set(listing.drop || []);
    }
    engine = loaded;
  }
  return engine;
}

// The results without superseded entries, each page once.
function current(results) {
  const seen = new Set();
  return results.filter((result) => {
    if (dropped.has(result.id) || seen.has(result.id)) return false;
    seen.add(result.id);
    return true;
  });
}

// The heading of the page under which most of the words were found (a goal or resource
// on its list page, a section of a log), when more were found there than anywhere else.
function bestSection(data) {
  let best = null;
  for (const sub of data.sub_results || []) {
    if (best === null || sub.locations.length > best.locations.length) best = sub;
  }
  return best && best.url.includes("#") ? best : null;
}

function item(data) {
  const section = bestSection(data);
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = section ? section.url : data.url;
  link.textContent = data.meta.title || data.url;
  if (section && section.title && section.title !== data.meta.title) {
    link.textContent += " › " + section.title;
  }
  const heading = document.createElement("h2");
  heading.className = "search-result-title";
  heading.append(link);
  li.append(heading);
  const about = [data.meta.kind, data.meta.date].filter(Boolean).join(" · ");
  if (about) {
    const meta = document.createElement("p");
    meta.className = "search-result-meta";
    meta.textContent = about;
    li.append(meta);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  // Pagefind's excerpt is the page's own text, escaped, with the matches in <mark>.
  excerpt.innerHTML = section ? section.excerpt : data.excerpt;
  li.append(excerpt);
  return li;
}

async function run(query) {
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  let found;
  try {
    found = await (await pagefind()).debouncedSearch(query, {}, 250);
  } catch (error) {
    status.textContent = text("Unavailable");
    return;
  }
  if (found === null) return; // a newer query replaced this one
  const matches = current(found.results);
  const results = await Promise.all(matches.slice(0, SHOWN).map((r) => r.data()));
  if (input.value.trim() !== query) return;
  list.replaceChildren(...results.map(item));
  const count = matches.length;
  const lang = document.documentElement.lang || "en";
  const number = count.toLocaleString(lang);
  const words = text(count === 1 ? "One" : "Other", { count: number, query });
  const shown = count > SHOWN ? text("Shown", { shown: SHOWN.toLocaleString(lang) }) : "";
  status.textContent = count ? `${words}${shown}.` : text("None", { query });
}

if (form && input && status && list) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(input.value.trim());
  });
  input.addEventListener("input", () => run(input.value.trim()));
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    run(query.trim());
  }
}
