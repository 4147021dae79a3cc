// The standalone page: one <ae-playground url-state> element (web/index.html), defined here.
import './embed/element.js';
