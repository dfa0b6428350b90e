/**
 * The people and data the malicious-server tests attack: the real API in process (tests/journeys-
 * harness.ts) behind one `HostileServer`, a helpline whose first supervisor Vera made the root and
 * roster v1, a counsellor Anna admitted as intake reader, and help-seekers. Every client of a test
 * talks to the hostile server; a test adds rules, checks what the person is told, and `reset()`s.
 */
import {
  acceptInvite,
  type BriefgeheimClient,
  ClientError,
  type ClientOptions,
  createClient,
  inviteLink,
  type SeekerSession,
  type StaffSession,
  signInStaff,
  startSeeker,
  type ThreadView,
} from "@briefgeheim/client";
import type { HelplineId, MemberId, ThreadId } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { type Harness, ORIGIN, startHarness } from "../journeys-harness.js";
import { HostileServer } from "./hostile.js";

export { ORIGIN };

export const PASS = "een lange wachtzin voor iedereen";

export interface World {
  readonly h: Harness;
  /** The only server every client of the world talks to. */
  readonly server: HostileServer;
  readonly helplineId: HelplineId;
  /** The root fingerprint the apps are built with. */
  readonly pins: Record<string, string>;
  /** The first supervisor (holds the root). */
  readonly vera: StaffSession;
  /** A counsellor and intake reader. */
  readonly anna: StaffSession;
  readonly annaId: MemberId;
  /** A fresh client through the hostile server (pinned, unless options say otherwise). */
  client(options?: Partial<ClientOptions>): Promise<BriefgeheimClient>;
  /** Signs a staff member in on a fresh client (`options.memory`: a device that remembers). */
  staff(username: string, options?: Partial<ClientOptions>): Promise<StaffSession>;
  /**
   * An invite (by Vera unless `by`) accepted with the link's secret by a new member, who stays
   * pending; their safety code, as their own screen shows it, is kept in `safetyCodes`.
   */
  join(role: "counsellor" | "supervisor", username: string, by?: StaffSession): Promise<MemberId>;
  /** Each joined member's safety code as shown on their own device. */
  readonly safetyCodes: Map<string, string>;
  /** A new help-seeker (a new code) on a fresh client; with `code`, the same one on another device. */
  seeker(code?: string): Promise<SeekerSession>;
  close(): Promise<void>;
}

export async function createWorld(): Promise<World> {
  const h = await startHarness();
  const server = new HostileServer(async (input, init) => h.app.fetch(new Request(input, init)));
  const client = (options: Partial<ClientOptions> = {}) =>
    createClient({ baseUrl: ORIGIN, origin: ORIGIN, fetch: server.fetch, cookieMode: "jar", ...options });

  const created = await h.createHelpline({ slug: "hulplijn", name: "Hulplijn", tag: 31, replyHours: 48 });
  const helplineId = created.helplineId as HelplineId;
  const first = await acceptInvite(await client({ trustOnFirstUse: true }), created.link, {
    username: "vera",
    displayName: "Vera",
    passphrase: PASS,
  });
  const pins = { [helplineId]: first.fingerprint! };
  const staff = async (username: string, options: Partial<ClientOptions> = {}) =>
    signInStaff(await client({ pins, ...options }), { username, passphrase: PASS });
  const vera = await staff("vera");
  const safetyCodes = new Map<string, string>();
  const join = async (role: "counsellor" | "supervisor", username: string, by = vera) => {
    const invite = await by.invite(role);
    const accepted = await acceptInvite(
      await client({ pins }),
      inviteLink(ORIGIN, invite.token, invite.secret),
      { username, displayName: username[0]!.toUpperCase() + username.slice(1), passphrase: PASS },
    );
    safetyCodes.set(invite.memberId, accepted.safetyCode);
    return invite.memberId;
  };
  const annaId = await join("counsellor", "anna");
  await vera.admitPending({ intakeReaders: [annaId] });
  const anna = await staff("anna");
  return {
    h,
    server,
    helplineId,
    pins,
    vera,
    anna,
    annaId,
    client: (options = {}) => client({ pins, ...options }),
    staff,
    join,
    safetyCodes,
    seeker: async (code) =>
      startSeeker(await client({ pins }), code === undefined ? { helplineId } : { code }),
    close: () => h.close(),
  };
}

/** A counsellor who joined, was admitted by Vera (no intake) and signed in: whom bulk jobs move threads to. */
export async function admittedCounsellor(
  world: World,
  username: string,
): Promise<{ session: StaffSession; id: MemberId }> {
  const id = await world.join("counsellor", username);
  await world.vera.admitPending({ only: [id], intakeReaders: [] });
  return { session: await world.staff(username), id };
}

/** A conversation the tests attack, and the bodies in the order the thread shows them. */
export interface Conversation {
  readonly threadId: ThreadId;
  readonly seeker: SeekerSession;
  readonly bodies: readonly string[];
}

/**
 * A help-seeker writes, Anna claims and answers, the help-seeker writes twice more: four envelopes
 * in the server's order [help-seeker seq 1 (epoch 0), Anna seq 1, help-seeker seq 2, help-seeker seq 3
 * (epoch 1)], whose bodies are `bodies` in that order.
 */
export async function conversation(world: World, tag: string): Promise<Conversation> {
  const seeker = await world.seeker();
  const bodies = [`${tag}: eerste`, `${tag}: antwoord`, `${tag}: tweede`, `${tag}: derde`];
  const { threadId } = await seeker.openThread({ subject: tag, body: bodies[0]! });
  await world.anna.claim(threadId);
  await world.anna.reply(threadId, bodies[1]!);
  await seeker.reply(threadId, bodies[2]!);
  await seeker.reply(threadId, bodies[3]!);
  return { threadId, seeker, bodies };
}

/** The newest stored envelope of a thread, as the wire's base64url (a real envelope of that thread). */
export async function newestEnvelopeText(world: World, threadId: string): Promise<string> {
  const found = await world.h.db.readClient.execute({
    sql: "SELECT bytes FROM envelopes WHERE thread_id = ? ORDER BY position DESC LIMIT 1",
    args: [threadId],
  });
  return Buffer.from(found.rows[0]!.bytes as ArrayBuffer).toString("base64url");
}

/**
 * After each test: no rule of the attack threw (the client would have shown that as a mere `NETWORK`
 * failure), and the server is honest again.
 */
export function endAttack(world: World | undefined): void {
  if (world === undefined) return;
  const errors = world.server.ruleErrors.map(String);
  world.server.reset();
  expect(errors).toEqual([]);
}

/**
 * The hooks of a file that shares one world: made before all tests (then handed to `ready`), the
 * attack ended after each test, closed after all.
 *
 * @example
 * let w: World;
 * useWorld((world) => {
 *   w = world;
 * });
 */
export function useWorld(ready: (world: World) => void | Promise<void>): void {
  let world: World | undefined;
  beforeAll(async () => {
    world = await createWorld();
    await ready(world);
  });
  afterEach(() => endAttack(world));
  afterAll(async () => {
    await world?.close();
  });
}

/** The failure of a call that must fail, as the SDK's typed error. */
export async function failure(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

/** `[reason, index]` of every problem a reader is shown, in the server's order. */
export function problemsOf(view: Pick<ThreadView, "problems">): [string, number][] {
  return view.problems.map((p) => [p.reason, p.index]);
}

/** The reasons reported for the envelope at `index` of the server's list. */
export function reasonsAt(view: Pick<ThreadView, "problems">, index: number): string[] {
  return view.problems.filter((p) => p.index === index).map((p) => p.reason);
}
