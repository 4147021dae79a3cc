// The iframe route (embed.html): the same playground, for course platforms that only accept an
// iframe. Its options are the element's attributes, given in the query:
//   embed.html?lesson=latent-2d&panels=draw,latent&controls=minimal&lang=zh&storage=week3
// and any setting of a playground link (lr=0.01&epochs=3…). It tells the host page its height
// whenever it changes, so the iframe can fit it without a scroll bar:
//   { type: 'ae-playground:height', height: <CSS pixels>, frame: <the frame= query value or ''> }
// (teachers.html has the ten-line host snippet).
import './element.js';
import { ATTRIBUTES } from './options.js';

const query = new URLSearchParams(location.search);
// This page's own lang says nothing about the learner: without ?lang=, the browser's language.
if (!query.has('lang')) document.documentElement.removeAttribute('lang');
const el = document.createElement('ae-playground');
const settings = new URLSearchParams();
for (const [k, v] of query) {
  if (ATTRIBUTES.includes(k) && k !== 'settings') el.setAttribute(k, v);
  else if (k !== 'frame') settings.append(k, v);
}
if (query.get('settings')) for (const [k, v] of new URLSearchParams(query.get('settings'))) settings.append(k, v);
if ([...settings.keys()].length) el.setAttribute('settings', settings.toString());
// Iframes of the same site share its storage: without a storage name, the query picks one, so
// two different lessons on one course page keep their saved models apart.
if (!query.has('storage')) el.setAttribute('storage', `frame-${hashOf(location.search)}`);
document.body.append(el);

const frame = query.get('frame') ?? '';
let last = 0;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === last || window.parent === window) return;
  last = height;
  window.parent.postMessage({ type: 'ae-playground:height', height, frame }, '*');
}).observe(document.documentElement);

function hashOf(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
