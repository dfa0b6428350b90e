import { Show } from "solid-js";
import { SignInForm } from "../components/SignInForm.js";
import { t } from "../i18n/index.js";
import { BUILD_CONFIG } from "../lib/config.js";
import { show } from "../state/nav.js";

/** Sign in; reached at start, after signing out, and after the server ended the session. */
export function SignIn(props: { notice: "signed-out" | "expired" | "removed" | undefined }) {
  const notice = () =>
    props.notice === undefined
      ? undefined
      : {
          "signed-out": t().signInNoticeSignedOut,
          expired: t().signInNoticeExpired,
          removed: t().signInNoticeRemoved,
        }[props.notice];
  return (
    <section class="card" aria-labelledby="signin-title">
      <h1 id="signin-title">{t().signInTitle}</h1>
      <Show when={notice()}>
        <p class="notice" role="status">
          {notice()}
        </p>
      </Show>
      <p class="lead">{t().signInLead}</p>
      <SignInForm />
      <p>
        <button type="button" class="link-button" onClick={() => show({ name: "recover" })}>
          {t().signInForgot}
        </button>
      </p>
      <Show when={BUILD_CONFIG.trustOnFirstUse}>
        <p class="warning">{t().tofuBuildWarning}</p>
      </Show>
    </section>
  );
}
