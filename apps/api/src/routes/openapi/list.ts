/**
 * Every API route of the app as `createApp` builds it (tests that walk all routes: bad input, the
 * route-existence check). An app with inert dependencies: its routes are only listed, never called.
 */
import { createApp } from "../../app.js";
import type { Database } from "../../db/client.js";
import type { Writer } from "../../db/writer.js";
import { type ApiRoute, apiRoutes } from "./index.js";

export const ROUTES: readonly ApiRoute[] = apiRoutes(
  createApp({ db: {} as Database, writer: {} as Writer, origin: "http://localhost", staticApps: [] }),
);
