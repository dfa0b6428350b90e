/**
 * A helpline with a caseload, set up in Node through packages/client as browsers would (first
 * supervisor from the operator's invite, two counsellors from the supervisor's invites, a help-seeker
 * who opens `threads` threads, counsellor A who claims them all): for the reassignment test and the
 * benchmark, which then move A's caseload in Chromium.
 */
import {
  acceptInvite,
  type SeekerSession,
  type StaffSession,
  signInStaff,
  startSeeker,
} from "@briefgeheim/client";
import type { MemberId, ThreadId } from "@briefgeheim/crypto";
import type { StaffWorld } from "./staff-world.js";

export const CASELOAD_PEOPLE = {
  supervisor: { username: "sanne", displayName: "Sanne", passphrase: "zeven vrolijke zeilboten op de Waal" },
  a: { username: "anna", displayName: "Anna", passphrase: "anna leest graag lange brieven 1984" },
  b: { username: "bram", displayName: "Bram", passphrase: "bram fietst door regen en wind 77" },
  c: { username: "chris", displayName: "Chris", passphrase: "chris zingt in het koor van Delft" },
} as const;

export interface Caseload {
  readonly helplineId: string;
  readonly fingerprint: string;
  readonly pins: Record<string, string>;
  readonly ids: { readonly a: MemberId; readonly b: MemberId; readonly c: MemberId };
  /** The counsellors' recovery keys, as their recovery sheets print them. */
  readonly recoveryKeys: { readonly a: string; readonly b: string; readonly c: string };
  readonly threadIds: readonly ThreadId[];
  readonly seeker: SeekerSession;
  /** Signs someone in from Node (pinned client). */
  signIn(who: keyof typeof CASELOAD_PEOPLE): Promise<StaffSession>;
}

/** Runs `fn` over `items` with at most `n` at a time. */
async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export async function seedCaseload(world: StaffWorld, threads: number): Promise<Caseload> {
  const people = CASELOAD_PEOPLE;
  const hl = await world.createHelpline({
    slug: "caseload",
    name: "Hulplijn Caseload",
    tag: 9,
    replyHours: 72,
  });
  const first = await acceptInvite(
    await world.client({ trustOnFirstUse: true }),
    hl.token,
    people.supervisor,
  );
  const pins = { [hl.helplineId]: first.fingerprint! };
  const client = () => world.client({ pins });
  const sup = await signInStaff(await client(), people.supervisor);
  const ids = {} as Record<"a" | "b" | "c", MemberId>;
  const recoveryKeys = {} as Record<"a" | "b" | "c", string>;
  for (const who of ["a", "b", "c"] as const) {
    const invite = await sup.invite("counsellor");
    const accepted = await acceptInvite(await client(), invite.token, {
      inviteSecret: invite.secret,
      ...people[who],
    });
    ids[who] = invite.memberId;
    recoveryKeys[who] = accepted.recoveryKeyText;
  }
  await sup.admitPending({ intakeReaders: [ids.a] });
  await sup.signOut();

  const seeker = await startSeeker(await client(), { helplineId: hl.helplineId as never });
  const threadIds: ThreadId[] = [];
  await pool(
    Array.from({ length: threads }, (_, i) => i),
    4,
    async (i) => {
      const opened = await seeker.openThread({
        subject: `Gesprek ${i + 1}`,
        body: `Bericht ${i + 1}: ik wil graag met iemand praten over wat er thuis gebeurt.`,
      });
      threadIds.push(opened.threadId);
    },
  );
  const anna = await signInStaff(await client(), people.a);
  await pool(threadIds, 4, (id) => anna.claim(id));
  await anna.signOut();
  return {
    helplineId: hl.helplineId,
    fingerprint: first.fingerprint!,
    pins,
    ids,
    recoveryKeys,
    threadIds,
    seeker,
    signIn: async (who) => signInStaff(await client(), people[who]),
  };
}
