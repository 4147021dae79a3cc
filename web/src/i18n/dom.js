// Rich message text into the DOM, without innerHTML: **bold**, *emphasis*, and [[term]] or
// [[term|words]], a button that opens the glossary at `term` (views/glossary.js listens for
// clicks on .term buttons anywhere in the playground).

const MARKUP = /\*\*(.+?)\*\*|\*(.+?)\*|\[\[([\w-]+)(?:\|(.+?))?\]\]/g;

/** Plain text with the markup removed (for attributes, canvases and the live region). */
export function plain(text, termName = (id) => id) {
  return String(text).replace(MARKUP, (_, b, i, term, words) => b ?? i ?? words ?? termName(term));
}

/**
 * Replaces `el`'s content with `text`, its markup as elements.
 * @param {HTMLElement} el
 * @param {string} text
 * @param {(id: string) => string} [termName] a term's name, for [[term]] without words
 */
export function renderInto(el, text, termName = (id) => id) {
  const s = String(text);
  if (!/[*[]/.test(s)) {
    if (el.textContent !== s || el.childElementCount) el.textContent = s;
    return;
  }
  const doc = el.ownerDocument;
  const nodes = [];
  let at = 0;
  for (const m of s.matchAll(MARKUP)) {
    if (m.index > at) nodes.push(doc.createTextNode(s.slice(at, m.index)));
    const [, bold, em, term, words] = m;
    if (term) {
      const b = doc.createElement('button');
      b.type = 'button';
      b.className = 'term';
      b.dataset.term = term;
      b.textContent = words ?? termName(term);
      nodes.push(b);
    } else {
      const e = doc.createElement(bold !== undefined ? 'strong' : 'em');
      e.textContent = bold ?? em;
      nodes.push(e);
    }
    at = m.index + m[0].length;
  }
  if (at < s.length) nodes.push(doc.createTextNode(s.slice(at)));
  el.replaceChildren(...nodes);
}
