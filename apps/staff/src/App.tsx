import { lazy, Match, Suspense, Switch } from "solid-js";
import { Status } from "./components/common.js";
import { t } from "./i18n/index.js";
import { Frame } from "./screens/Frame.js";
import { Locked } from "./screens/Locked.js";
import { Shell } from "./screens/lazy.js";
import { Pending } from "./screens/Pending.js";
import { SignIn } from "./screens/SignIn.js";
import { screen, screenIf } from "./state/nav.js";

// Only the sign-in screens are in the first chunk; the rest loads when it is first needed.
const AcceptInvite = lazy(() =>
  import("./screens/AcceptInvite.js").then((m) => ({ default: m.AcceptInvite })),
);
const Recover = lazy(() => import("./screens/Recover.js").then((m) => ({ default: m.Recover })));
const RecoverySheetScreen = lazy(() =>
  import("./screens/RecoverySheet.js").then((m) => ({ default: m.RecoverySheetScreen })),
);

/** The screens: before sign-in inside a simple frame, after sign-in inside the app shell. */
export function App() {
  return (
    <Suspense fallback={<Status>{t().appLoading}</Status>}>
      <Switch>
        <Match when={screen().name === "app"}>
          <Shell />
        </Match>
        <Match when={true}>
          <Frame>
            <Switch>
              <Match when={screenIf("invite")}>
                {(s) => <AcceptInvite token={s().token} secret={s().secret} />}
              </Match>
              <Match when={screenIf("recover")}>
                <Recover />
              </Match>
              <Match when={screenIf("sheet")}>
                <RecoverySheetScreen />
              </Match>
              <Match when={screenIf("pending")}>
                {(s) => <Pending username={s().username} safetyCode={s().safetyCode} role={s().role} />}
              </Match>
              <Match when={screenIf("locked")}>
                {(s) => <Locked username={s().username} resume={s().resume} />}
              </Match>
              <Match when={screenIf("sign-in")}>{(s) => <SignIn notice={s().notice} />}</Match>
            </Switch>
          </Frame>
        </Match>
      </Switch>
    </Suspense>
  );
}
