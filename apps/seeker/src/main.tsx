/**
 * Entry of the help-seeker app. Kept small on purpose: Solid, the screens and the texts. The SDK and
 * libsodium load lazily (./sdk/load.ts) right after the first paint.
 */
import { render } from "solid-js/web";
import { App } from "./App.js";
import "./styles.css";

const root = document.getElementById("app");
if (root !== null) render(() => <App />, root);
