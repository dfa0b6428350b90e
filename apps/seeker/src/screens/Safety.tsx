import { t } from "../i18n/index.js";
import { resumeScreen, show } from "../router.js";

/** A short page on browsing safely: private windows, history, shared and managed devices. */
export function Safety() {
  const back = () => show(resumeScreen() ?? { name: "start" });
  const items = () => [
    [t().safetyPrivateTitle, t().safetyPrivate],
    [t().safetyHistoryTitle, t().safetyHistory],
    [t().safetyExitTitle, t().safetyExit],
    [t().safetyCodeTitle, t().safetyCode],
    [t().safetyLockTitle, t().safetyLock],
    [t().safetyDeviceTitle, t().safetyDevice],
  ];
  return (
    <>
      <h1 tabindex="-1">{t().safetyTitle}</h1>
      <p class="lead">{t().safetyIntro}</p>
      {items().map(([title, text]) => (
        <section>
          <h2>{title}</h2>
          <p>{text}</p>
        </section>
      ))}
      <p>
        <button type="button" class="secondary" onClick={back}>
          {t().back}
        </button>
      </p>
    </>
  );
}
