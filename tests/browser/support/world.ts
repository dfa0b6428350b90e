/**
 * A whole deployment for one browser test file: the real API (`createApp` of @briefgeheim/api) on
 * 127.0.0.1 with a free port and a temporary libSQL file, a helpline created with the operator's CLI,
 * its first supervisor and a counsellor set up through `packages/client` in Node (real Argon2id, real
 * keys), and the help-seeker app built with that helpline's root pinned, served by the API at `/`
 * under its strict CSP. The counsellor is scripted from Node to read and reply.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createApp, memoryLogger, type PowConfig, type QuotaConfig, scaleRateLimits } from "@briefgeheim/api";
import {
  acceptInvite,
  type BriefgeheimClient,
  createClient,
  type StaffSession,
  signInStaff,
} from "@briefgeheim/client";
import type { MemberId } from "@briefgeheim/crypto";
import { serve } from "@hono/node-server";
import { type Harness, startHarness } from "../../journeys-harness.js";
import { buildSeeker, removeBuild, type SeekerBuildOptions } from "./build.js";

export const HELPLINE = {
  slug: "luisterlijn-test",
  name: "Luisterlijn Test",
  tag: 7,
  replyHours: 72,
} as const;
export const COUNSELLOR = { username: "anna", displayName: "Anna", passphrase: "anna's lange wachtzin 42" };
export const SUPERVISOR = {
  username: "sanne",
  displayName: "Sanne",
  passphrase: "correct horse battery staple",
};

export interface World {
  readonly h: Harness;
  /** `http://127.0.0.1:<port>`: the API and the app. */
  readonly origin: string;
  readonly helplineId: string;
  readonly fingerprint: string;
  readonly pins: Record<string, string>;
  /** The folder the app is served from. */
  readonly dist: string;
  /** A Node client of this deployment (in-memory cookie jar), with the build's pins. */
  client(): Promise<BriefgeheimClient>;
  /** The counsellor (intake reader), signed in from Node. */
  counsellor(): Promise<StaffSession>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** What to serve at `/`: a pinned build of the current sources (default), or a given folder. */
  readonly dist?: string | ((pins: Record<string, string>) => SeekerBuildOptions);
  /** Leave the helpline without staff (no root key): only the operator's part is done. */
  readonly bare?: boolean;
  /** Proof of work of the app (default: production); `load` can be driven by the test. */
  readonly pow?: Partial<PowConfig>;
  /** Daily quotas of the app (default: production). */
  readonly quotas?: Partial<QuotaConfig>;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const h = await startHarness();
  let app: ReturnType<typeof createApp> | undefined;
  const server = serve({
    // The bindings (env) too: the per-address quotas read the socket's address from them.
    fetch: (req, env) =>
      app === undefined ? new Response("starting", { status: 503 }) : app.fetch(req, env),
    port: 0,
    hostname: "127.0.0.1",
  });
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let dist = typeof options.dist === "string" ? options.dist : "";
  const makeApp = () =>
    createApp({
      db: h.db,
      writer: h.writer,
      origin,
      logger: memoryLogger(),
      rateLimits: scaleRateLimits(100),
      ...(options.pow === undefined ? {} : { pow: options.pow }),
      ...(options.quotas === undefined ? {} : { quotas: options.quotas }),
      staticApps: dist === "" ? [] : [{ prefix: "/", root: dist }],
    });
  app = makeApp();

  const client = (extra: { trustOnFirstUse?: boolean; pins?: Record<string, string> } = {}) =>
    createClient({ baseUrl: origin, origin, cookieMode: "jar", ...extra });

  const { helplineId, token } = await h.createHelpline({ ...HELPLINE });
  let fingerprint = "";
  let pins: Record<string, string> = {};
  if (!options.bare) {
    const first = await acceptInvite(await client({ trustOnFirstUse: true }), token, {
      username: SUPERVISOR.username,
      displayName: SUPERVISOR.displayName,
      passphrase: SUPERVISOR.passphrase,
    });
    fingerprint = first.fingerprint ?? "";
    pins = { [helplineId]: fingerprint };
    const sup = await signInStaff(await client({ pins }), {
      username: SUPERVISOR.username,
      passphrase: SUPERVISOR.passphrase,
    });
    const invite = await sup.invite("counsellor");
    await acceptInvite(await client({ pins }), invite.token, {
      inviteSecret: invite.secret,
      username: COUNSELLOR.username,
      displayName: COUNSELLOR.displayName,
      passphrase: COUNSELLOR.passphrase,
    });
    await sup.admitPending({
      intakeReaders: [invite.memberId as MemberId],
      displayNames: { [invite.memberId]: COUNSELLOR.displayName },
    });
    await sup.signOut();
  }

  const ownBuild = typeof options.dist !== "string";
  if (ownBuild) {
    const build = typeof options.dist === "function" ? options.dist(pins) : { pins };
    dist = await buildSeeker(build);
    app = makeApp();
  }

  let staff: StaffSession | undefined;
  return {
    h,
    origin,
    helplineId,
    fingerprint,
    pins,
    dist,
    client: () => client({ pins }),
    async counsellor() {
      staff ??= await signInStaff(await client({ pins }), {
        username: COUNSELLOR.username,
        passphrase: COUNSELLOR.passphrase,
      });
      return staff;
    },
    async close() {
      server.close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await h.close();
      if (ownBuild) removeBuild(dist);
    },
  };
}
