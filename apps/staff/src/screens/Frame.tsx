import type { JSX } from "solid-js";
import { LanguageSwitch } from "../components/common.js";
import { t } from "../i18n/index.js";

/** The page around the screens before sign-in: a banner, the main region and a short footer. */
export function Frame(props: { children: JSX.Element }) {
  return (
    <div class="frame">
      <a class="skip-link" href="#main">
        {t().navSkip}
      </a>
      <header class="topbar no-print">
        <p class="brand">
          <span class="brand-name">Briefgeheim</span> <span class="brand-sub">{t().appStaffApp}</span>
        </p>
        <LanguageSwitch />
      </header>
      <main id="main" tabindex="-1" class="narrow">
        {props.children}
      </main>
      <footer class="footer no-print">
        <p>{t().footerE2ee}</p>
      </footer>
    </div>
  );
}
