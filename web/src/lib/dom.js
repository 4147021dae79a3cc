// Small DOM helpers for views that live in a shadow root (web/src/embed/element.js), where
// document.activeElement is the host element, not the control inside it.

/** Whether `el` has the keyboard focus, inside a shadow root or not. */
export const hasFocus = (el) => Boolean(el) && el.getRootNode().activeElement === el;
