// KaTeX (npm, typeset here, nothing from a CDN), loaded on first use: the script is a chunk of
// its own (about 77 kB gzipped), fetched when the formulas come into view, and its fonts are
// files of this site (woff2 only: every browser that runs the playground reads woff2), each
// fetched by the browser when a formula first needs it.
//
// Inside a shadow root, @font-face rules are ignored: they must live in the document. So the
// fonts go into a document-level stylesheet (once), the rest of katex.css into the shadow
// root's own stylesheets.
const FONT_URLS = import.meta.glob('../../../node_modules/katex/dist/fonts/*.woff2', { query: '?url', import: 'default', eager: true });

let loading = null;

/** katex.css's @font-face rules pointing at the bundled woff2 files; the other rules apart. */
function splitCss(css) {
  const byName = Object.fromEntries(Object.entries(FONT_URLS).map(([path, url]) => [path.split('/').pop(), url]));
  const faces = [];
  const rest = css.replace(/@font-face\{[^}]*\}/g, (rule) => {
    const file = /url\(fonts\/([\w-]+)\.woff2\)/.exec(rule)?.[1];
    if (file && byName[`${file}.woff2`]) faces.push(rule.replace(/src:[^}]*/, `src:url(${byName[`${file}.woff2`]}) format("woff2")`));
    return '';
  });
  return { faces: faces.join('\n'), rest };
}

/**
 * Loads KaTeX and makes its styles apply inside `root` (a ShadowRoot or the document).
 * @returns {Promise<typeof import('katex').default>}
 */
export async function loadKatex(root) {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css?raw')]).then(([k, css]) => {
    const { faces, rest } = splitCss(css.default);
    const fonts = new CSSStyleSheet();
    fonts.replaceSync(faces);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, fonts];
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(rest);
    return { katex: k.default, sheet };
  });
  const { katex, sheet } = await loading;
  const target = root instanceof ShadowRoot ? root : document;
  if (!target.adoptedStyleSheets.includes(sheet)) target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
  return katex;
}
