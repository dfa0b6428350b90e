/** The app shell, loaded when it is first needed; a sign-in form asks for it early (`preload`). */
import { lazy } from "solid-js";

export const Shell = lazy(() => import("./Shell.js").then((m) => ({ default: m.Shell })));
