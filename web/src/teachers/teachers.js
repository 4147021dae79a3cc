// The page for teachers (teachers.html): how to put the playground in a course page, with
// snippets that name this very site, a live sample course page with two playgrounds, and the
// reference lists (attributes, events, methods, lessons) read from the code that defines them.
import '../embed/element.js';
import { ATTRIBUTES } from '../embed/options.js';
import { LESSONS } from '../lessons.js';
import { SITE_ROOT } from '../lib/site.js';

const ROOT = SITE_ROOT;
const main = document.getElementById('teachers');

const ATTRIBUTE_HELP = {
  lesson: `a lesson from the list below: its settings, panels and introduction (${Object.keys(LESSONS).join(', ')})`,
  dataset: 'mnist or fashion-mnist',
  model: 'a model kind (dense, deep, sparse, denoising, vae, conv, conv_vae) or a pretrained model’s id (mnist-seed, mnist-vae2d, mnist-conv, mnist-denoising, and the same for fashion-mnist)',
  panels: 'which panels show, in order, comma-separated: draw, train, learn, latent, interp',
  controls: 'full (every setting), minimal (start, pause, step and reset only) or none (no training controls)',
  lang: 'the language of the page (en or zh); otherwise the browser’s',
  height: 'a fixed height (e.g. 640px or 80vh): the playground scrolls inside it; otherwise it is as tall as its content',
  storage: 'a name for this playground’s saved models and autosave (letters, digits, . - _); by default the element’s id, or its position on the page',
  settings: 'any other settings, as in a playground link: lr=0.003&epochs=3&lock=lr,epochs (lock: settings learners cannot change)',
};

const EVENTS = [
  ['ae-ready', '{ model, dataset }', 'the engine is up and the first model is loaded'],
  ['ae-train-start', '{ step }', 'training started (the Start button or start())'],
  ['ae-train-pause', '{ step, reason }', 'training stopped: paused, done (the epochs ran out), diverged or error'],
  ['ae-epoch', '{ epoch, step, trainLoss, testLoss }', 'an epoch ended; losses per image'],
  ['ae-model-change', '{ model, dataset, source }', 'another model was built, loaded or reset'],
];
const METHODS = [
  ['start()', 'starts training; resolves once it runs'],
  ['pause()', 'pauses training'],
  ['loadModel(url)', 'loads a model file (.aemf) from a URL (same site, or one that allows CORS)'],
  ['setLesson(id)', 'opens a lesson'],
  ['setSettings({ lr: 0.01, … })', 'changes settings as the controls would'],
  ['settings', 'the current settings (read only)'],
];

const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  Object.assign(e, props);
  e.append(...children);
  return e;
};
const code = (text) => el('pre', {}, el('code', { textContent: text }));
const section = (title, ...children) => el('section', {}, el('h2', { textContent: title }), ...children);
const table = (head, rows) =>
  el('table', {}, el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', textContent: h })))), el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, i) => el(i ? 'td' : 'th', { scope: i ? undefined : 'row' }, i ? c : el('code', { textContent: c })))))));

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

main.append(
  el('header', {},
    el('h1', { textContent: 'The Autoencoder Playground in your course pages' }),
    el('p', { textContent: 'Put a working, training autoencoder in a lesson: as an element (two lines of HTML), or as an iframe for platforms that only accept iframes. Each playground runs its own engine in the learner’s browser; nothing is sent anywhere. ' }, el('a', { href: `${ROOT}index.html`, textContent: 'Open the full playground' }), '.'),
  ),
  section('As an element (any page you can add a script to)',
    el('p', { textContent: 'Paste these two lines where the playground should appear. Several playgrounds on one page work independently: each has its own engine, settings and saved models, and none is affected by the page’s styles.' }),
    code(elementSnippet),
    el('p', { textContent: 'Listen to what happens, or drive it from your page:' }),
    code(eventsSnippet)),
  section('As an iframe (Moodle, Canvas, H5P, Jupyter Book, Quarto, MkDocs…)',
    el('p', { textContent: 'The same options go in the query of embed.html. The script lets the frame grow with the playground; without it, give the iframe a fixed height. A link in the frame opens the full playground in a new tab.' }),
    code(iframeSnippet)),
  section('A sample course page',
    el('p', { className: 'sample-note', textContent: 'Two playgrounds on one page, each with its own lesson. Train one, then the other: they never share a model.' }),
    el('article', { className: 'sample' },
      el('h3', { textContent: 'Week 3 · What is a latent space?' }),
      el('p', { textContent: 'An autoencoder squeezes each image into a few numbers, the code, and must rebuild the image from the code alone. With a code of two numbers, every image becomes a point on a map. Train the model below and watch the digits sort themselves into regions.' }),
      Object.assign(document.createElement('ae-playground'), { id: 'sample-latent' }),
      el('p', { textContent: 'A variational autoencoder adds one term to the loss, which packs the codes around the centre of the map: now every point decodes to a plausible digit. Draw random samples from it, then compare with the map above.' }),
      Object.assign(document.createElement('ae-playground'), { id: 'sample-vae' }))),
  section('Attributes (and iframe query options)', table(['name', 'what it sets'], ATTRIBUTES.map((a) => [a, ATTRIBUTE_HELP[a] ?? '']))),
  section('Events', el('p', { textContent: 'CustomEvents on the element; they bubble, so one listener on the page hears every playground.' }), table(['event', 'detail', 'when'], EVENTS)),
  section('Methods and properties', table(['call', 'what it does'], METHODS)),
  section('Lessons',
    el('p', { textContent: 'A lesson sets the model, the panels shown and a short introduction. Link to one with #lesson=… after the playground’s address, or use the lesson attribute.' }),
    table(['lesson', 'title and introduction'], Object.entries(LESSONS).map(([id, l]) => [id, el('span', {}, el('strong', { textContent: `${l.title}. ` }), l.intro)]))),
  section('Hosting it yourself, and offline use',
    el('p', { textContent: '`npm run build` writes a folder (dist/) that works from any static host and any sub-path, with no special server settings. After a first visit the page, the engine, the MNIST test images and the default model are kept by the browser, so it works offline (the training images too, once a model has trained). On a school network that blocks outside sites, copy the folder to a server inside it.' })),
);

for (const [id, lesson] of [['sample-latent', 'latent-2d'], ['sample-vae', 'vae-vs-ae']]) {
  const pg = document.getElementById(id);
  pg.setAttribute('lesson', lesson);
}
