// The page for teachers (teachers.html): how to put the playground in a course page, with
// snippets that name this very site, a live sample course page with two playgrounds, and the
// reference lists (attributes, events, methods, lessons) read from the code that defines them.
import '../embed/element.js';
import { ATTRIBUTES } from '../embed/options.js';
import { LESSONS } from '../lessons.js';
import { SITE_ROOT } from '../lib/site.js';
import { I18n, LANG_NAMES, LANG_TAGS, detectLang } from '../i18n/index.js';

const ROOT = SITE_ROOT;
const main = document.getElementById('teachers');

// Every sentence is a message (i18n/en.js, zh.js: teachers.*); names, code and snippets stay as they are.
const ATTRIBUTE_HELP = Object.fromEntries(ATTRIBUTES.map((a) => [a, `teachers.attr.${a}`]));
const EVENTS = [
  ['ae-ready', '{ model, dataset }', 'teachers.event.ready'],
  ['ae-train-start', '{ step }', 'teachers.event.trainStart'],
  ['ae-train-pause', '{ step, reason }', 'teachers.event.trainPause'],
  ['ae-epoch', '{ epoch, step, trainLoss, testLoss }', 'teachers.event.epoch'],
  ['ae-model-change', '{ model, dataset, source }', 'teachers.event.modelChange'],
];
const METHODS = [
  ['start()', 'teachers.method.start'],
  ['pause()', 'teachers.method.pause'],
  ['loadModel(url)', 'teachers.method.loadModel'],
  ['setLesson(id)', 'teachers.method.setLesson'],
  ['setSettings({ lr: 0.01, … })', 'teachers.method.setSettings'],
  ['settings', 'teachers.method.settings'],
];

const query = new URLSearchParams(location.search);
const i18n = new I18n('en');
const LANG_KEY = 'ae-playground.lang';
const remembered = () => {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
};

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
};
/** An element whose text is a message. */
const msg = (tag, key, params, props = {}) => {
  const e = el(tag, props);
  i18n.text(e, key, params);
  return e;
};
const code = (text) => el('pre', {}, el('code', { textContent: text }));
const section = (titleKey, ...children) => el('section', {}, msg('h2', titleKey), ...children);
const th = (key) => msg('th', key, undefined, { scope: 'col' });
const table = (head, rows) =>
  el('table', {}, el('thead', {}, el('tr', {}, ...head.map(th))), el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, i) => (i ? el('td', {}, c) : el('th', { scope: 'row' }, el('code', { textContent: c }))))))));

const elementSnippet = `<script type="module" src="${ROOT}ae-playground.js"></script>
<ae-playground lesson="latent-2d"></ae-playground>`;
const iframeSnippet = `<iframe src="${ROOT}embed.html?lesson=denoising" title="Autoencoder Playground"
        style="width: 100%; height: 700px; border: 0" allow="clipboard-write"></iframe>
<script>
  // Fit each playground iframe to its content (it posts its height whenever it changes).
  addEventListener('message', (e) => {
    if (e.data?.type !== 'ae-playground:height') return;
    for (const f of document.querySelectorAll('iframe'))
      if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
  });
</script>`;
const eventsSnippet = `<ae-playground id="demo" lesson="meet"></ae-playground>
<script type="module">
  const pg = document.getElementById('demo');
  pg.addEventListener('ae-epoch', (e) => console.log('epoch', e.detail.epoch, 'test loss', e.detail.testLoss));
  pg.addEventListener('ae-ready', () => pg.start());
</script>`;

// The language: ?lang=, the choice made in a playground, the browser's. The switch changes this
// page and the playgrounds on it (their lang attribute).
const switcher = el('div', { className: 'lang-switch', role: 'group' });
i18n.attr(switcher, 'aria-label', 'app.language');
for (const [l, name] of Object.entries(LANG_NAMES)) {
  const b = el('button', { type: 'button', textContent: name, lang: LANG_TAGS[l] });
  b.dataset.lang = l;
  b.addEventListener('click', () => setLang(l));
  switcher.append(b);
}
const samples = [['sample-latent', 'latent-2d'], ['sample-vae', 'vae-vs-ae']].map(([id, lesson]) => {
  const pg = document.createElement('ae-playground');
  pg.id = id;
  pg.dataset.lesson = lesson;
  return pg;
});

async function setLang(l) {
  await i18n.setLang(l);
  i18n.localize(document.body);
  document.documentElement.lang = LANG_TAGS[i18n.lang];
  document.title = i18n.t('teachers.title');
  for (const b of switcher.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.lang === i18n.lang));
  for (const pg of samples) pg.setAttribute('lang', i18n.lang);
  const u = new URL(location.href);
  u.searchParams.set('lang', i18n.lang);
  history.replaceState(null, '', u);
}

const fullLink = msg('a', 'teachers.openFull', undefined, { href: `${ROOT}index.html` });
main.append(
  el('header', {},
    switcher,
    msg('h1', 'teachers.title'),
    el('p', {}, msg('span', 'teachers.intro'), ' ', fullLink, msg('span', 'teachers.stop')),
  ),
  section('teachers.element.title',
    msg('p', 'teachers.element.text'),
    code(elementSnippet),
    msg('p', 'teachers.element.events'),
    code(eventsSnippet)),
  section('teachers.iframe.title',
    msg('p', 'teachers.iframe.text'),
    code(iframeSnippet)),
  section('teachers.sample.title',
    msg('p', 'teachers.sample.note', undefined, { className: 'sample-note' }),
    el('article', { className: 'sample' },
      msg('h3', 'teachers.sample.heading'),
      msg('p', 'teachers.sample.latent'),
      samples[0],
      msg('p', 'teachers.sample.vae'),
      samples[1])),
  section('teachers.attributes', table(['teachers.col.name', 'teachers.col.sets'], ATTRIBUTES.map((a) => [a, msg('span', ATTRIBUTE_HELP[a], { lessons: Object.keys(LESSONS).join(', ') })]))),
  section('teachers.events', msg('p', 'teachers.events.text'), table(['teachers.col.event', 'teachers.col.detail', 'teachers.col.when'], EVENTS.map(([n, d, k]) => [n, el('code', { textContent: d }), msg('span', k)]))),
  section('teachers.methods', table(['teachers.col.call', 'teachers.col.does'], METHODS.map(([n, k]) => [n, msg('span', k)]))),
  section('teachers.lessons',
    msg('p', 'teachers.lessons.text'),
    table(['teachers.col.lesson', 'teachers.col.intro'], Object.keys(LESSONS).map((id) => [id, el('span', {}, msg('strong', 'teachers.lessonTitle', { title: { $: 'msg', k: `lesson.${id}.title` } }), ' ', msg('span', `lesson.${id}.intro`))]))),
  section('teachers.hosting', msg('p', 'teachers.hosting.text')),
);
for (const pg of samples) pg.setAttribute('lesson', pg.dataset.lesson);
setLang(detectLang([query.get('lang'), remembered()]));
