// First: anything below may build zod schemas (the entry imports @briefgeheim/client values), and zod
// probes `new Function` unless jitless, which the CSP reports (lib/zod-jitless.ts).
import "./lib/zod-jitless.js";
import { render } from "solid-js/web";
import { App } from "./App.js";
import { t } from "./i18n/index.js";
import { takeInviteFromLocation } from "./lib/fragment.js";
import { preloadSdk } from "./lib/sdk.js";
import { show } from "./state/nav.js";
import { staff } from "./state/session.js";
import "./styles.css";

/**
 * The invite token (and secret) leave the address bar before anything else happens: at start, and when
 * an invite link is opened in a tab that already shows the app (a same-document navigation that only
 * fires `hashchange`). A signed-in tab ignores invites (open the link in another browser profile).
 */
function readInvite(): void {
  const invite = takeInviteFromLocation();
  if (invite !== undefined && staff() === undefined) {
    show({ name: "invite", token: invite.token, secret: invite.secret });
  }
}

readInvite();
window.addEventListener("hashchange", readInvite);
document.title = t().appTitle;

const root = document.getElementById("app");
if (root !== null) render(() => <App />, root);
preloadSdk();
