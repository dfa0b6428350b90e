/**
 * @briefgeheim/ui: what both apps share so a fix lands once (issue 10, "one look"). The CSS is
 * imported by each app's styles.css: `@import "@briefgeheim/ui/styles/tokens.css"` (design tokens)
 * and `@import "@briefgeheim/ui/styles/base.css"` (common rules and the components' classes).
 * Components take their words as props: each app keeps its own i18n.
 */
export { ActionError } from "./ActionError.js";
export { CharCounter } from "./CharCounter.js";
export { Dialog } from "./Dialog.js";
export { Alert, Status } from "./Live.js";
export { LongText } from "./LongText.js";
export { ProgressBar } from "./ProgressBar.js";
export { charCount, excerpt, overLimit } from "./text.js";
