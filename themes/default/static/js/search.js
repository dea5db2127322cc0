/* The search page (opdgen default theme): Pagefind's JS API over this web root's static index
   (in shards, merged: the portal's, a big agency's).
   Progressive enhancement: the form is an ordinary GET form and, without JavaScript, the page keeps
   its message pointing at the listings. Results are built with DOM methods; Pagefind's excerpt is
   parsed inertly and only its text and <mark> highlights are kept. Nothing is sent anywhere. */
const box = document.querySelector("[data-search]");
const form = document.querySelector(".search-form");
const input = document.getElementById("q");

function say(status, text) {
  status.replaceChildren();
  const p = document.createElement("p");
  p.textContent = text;
  status.appendChild(p);
}

function excerpt(html) {
  const p = document.createElement("p");
  p.className = "search-excerpt";
  const doc = new DOMParser().parseFromString(html, "text/html");
  doc.body.childNodes.forEach(function (node) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.appendChild(mark);
    } else {
      p.appendChild(document.createTextNode(node.textContent || ""));
    }
  });
  return p;
}

function safeUrl(data) {
  const link = data.meta && data.meta.link;
  const url = typeof link === "string" && link ? link : data.url;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed : null;
  } catch (e) {
    return null;
  }
}

function item(data) {
  const url = safeUrl(data);
  if (url === null) {
    return null;
  }
  const li = document.createElement("li");
  li.className = "search-item";
  const h = document.createElement("h2");
  h.className = "search-item-title";
  const a = document.createElement("a");
  a.href = url.href;
  a.textContent = (data.meta && data.meta.title) || url.pathname;
  h.appendChild(a);
  const where = document.createElement("p");
  where.className = "search-item-url";
  where.textContent = url.host + url.pathname;
  li.append(h, where, excerpt(data.excerpt || ""));
  return li;
}

async function main() {
  if (!box || !form || !input) {
    return;
  }
  const status = box.querySelector("[data-search-status]");
  const list = box.querySelector("[data-search-list]");
  let pagefind;
  try {
    pagefind = await import(box.dataset.bundle + "pagefind.js");
    await pagefind.options({ excerptLength: 24 });
    pagefind.init();
    // A big index comes in shards (data-merge: the other bundles' URLs, same origin);
    // merged, they answer as one index with one ranked list of results.
    const shards = (box.dataset.merge || "").split(" ").filter(Boolean);
    await Promise.all(shards.map(function (url) { return pagefind.mergeIndex(url, { excerptLength: 24 }); }));
  } catch (e) {
    say(status, box.dataset.error);
    return;
  }
  let latest = 0;
  async function run(query) {
    const mine = ++latest;
    list.replaceChildren();
    if (!query) {
      say(status, box.dataset.ready);
      return;
    }
    say(status, box.dataset.loading);
    const found = await pagefind.search(query);
    const data = await Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
    if (mine !== latest) {
      return;
    }
    const items = data.map(item).filter(function (li) { return li !== null; });
    list.append(...items);
    say(status, items.length
      ? found.results.length + " " + box.dataset.found + " \u201c" + query + "\u201d"
      : box.dataset.none + " \u201c" + query + "\u201d");
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const query = input.value.trim();
    const url = new URL(window.location.href);
    url.searchParams.set("q", query);
    window.history.replaceState(null, "", url.href);
    run(query);
  });
  const first = new URLSearchParams(window.location.search).get("q") || "";
  input.value = first;
  run(first.trim());
}

main();
