// Where the playground's files live (data/, models/, the pages), wherever the page or course
// page that loads it sits: found from this module's own URL, so an <ae-playground> element
// loaded from another site or a sub-path still finds them. In a build every module is in
// assets/; under the dev server this file is web/src/lib/site.js.
export const SITE_ROOT = new URL(import.meta.env?.DEV ? '../../' : '../', import.meta.url).href;
