// The rules of findings.py on the DOM Chromium built: one line per way script could run.
// URL_ATTRIBUTES and FORBIDDEN_ELEMENTS are filled in from findings.py.
() => {
  const urlAttributes = new Set(URL_ATTRIBUTES);
  const forbidden = new Set(FORBIDDEN_ELEMENTS);
  const ignored = /[\u0000-\u0020\u007f-\u009f\u200b-\u200d\ufeff]+/g;
  const scriptUrl = (value, name, tag) => value.split(name === "srcset" ? "," : "\u0000").some(v => {
    const url = v.replace(ignored, "").toLowerCase();
    if (/^(javascript|vbscript|livescript):/.test(url)) return true;
    return url.startsWith("data:") && !(tag === "img" && /^data:image\/(png|gif|jpeg|webp);/.test(url));
  });
  const found = [];
  const describe = el => {
    const entry = el.closest("article");
    const link = entry && entry.querySelector("h2 a");
    const inEntry = link ? " in article " + link.getAttribute("href") : "";
    return el.outerHTML.slice(0, 200) + " near #" + ((el.closest("[id]") || {}).id || "page") + inEntry;
  };
  const walk = root => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) found.push("event handler " + name + " in " + describe(el));
        else if (name === "srcdoc") found.push("srcdoc in " + describe(el));
        else if (urlAttributes.has(name) && scriptUrl(attr.value, name, tag)) found.push("script URL in " + describe(el));
      }
      if (forbidden.has(tag)) found.push("<" + tag + "> element " + describe(el));
      if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") found.push("meta refresh " + describe(el));
      if (tag === "script") {
        const own = el.type === "application/ld+json"
          ? (() => { try { JSON.parse(el.textContent); return true; } catch (e) { return false; } })()
          : el.src.startsWith(location.origin + "/") && !el.textContent.trim();
        if (!own) found.push("script element " + describe(el));
      }
      if (el.shadowRoot) walk(el.shadowRoot);
      if (tag === "template") walk(el.content);
    }
  };
  walk(document);
  return found;
}
