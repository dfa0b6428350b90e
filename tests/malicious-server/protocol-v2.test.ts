/**
 * Attacks whose detection protocol v2 adds (design: issue 8; docs/PROTOCOL.md once the slices land).
 * Each entry names the attack, what the hostile layer does, who is attacked and the reason the person
 * must see. They are `it.todo` until the SDK detects them; whoever lands a slice turns its entries
 * into tests on the world of ./world.ts (and moves them into the file of their kind).
 */
import { describe, it } from "vitest";

describe("roster heads and epoch records (design D1, D4; the device part is in roster-heads.test.ts)", () => {
  it.todo(
    "a help-seeker shown a forked roster writes epoch 0 naming that roster's hash; every staff reader of the thread, whose chain has the other hash for that version -> ROSTER_FORK",
  );
});

describe("envelope heads: truncation, sequence reuse, withheld envelopes (design D5)", () => {
  it.todo(
    "truncation: the server deletes the help-seeker's newest envelope (drops the last item of the list and refuses to admit it happened); the help-seeker's open tab posts again with seq = remembered + 1 and a head naming the deleted one -> every reader sees MISSING",
  );
  it.todo(
    "sequence reuse refused: with its newest envelope deleted, the sender's client still numbers the next post after the one it remembers (never reuses the deleted seq); the readers see SEQ_GAP and MISSING, never a complete-looking thread",
  );
  it.todo(
    "a staff reader who saw envelope X is later served the thread without X (and without any later envelope naming it) -> WITHHELD from their remembered heads",
  );
  it.todo(
    "a head names the sender's seq n with one hash while the server serves another envelope with that seq (two versions of one post) -> SENDER_FORK",
  );
  it.todo("an envelope served before the envelope one of its heads names -> REORDERED");
});

describe("one damaged envelope does not break the thread (design D5, issue 8 item 5)", () => {
  it.todo(
    "one byte of an envelope in the middle flipped: that envelope is BAD_SIGNATURE and not shown; the envelopes after it, from both people, are verified and shown",
  );
  it.todo(
    "the next post after a damaged envelope carries a head with the continues-past flag: readers see it as 'continues past a damaged message' (explicit), never silently",
  );
});

describe("posts into an old epoch (design D6, issue 8 item 6)", () => {
  it.todo(
    "an intake reader left out by a claim posts seq 2 in epoch 0 and the server serves it (an honest server refuses the post): every reader sees AFTER_EPOCH_CHANGE on it",
  );
  it.todo("an epoch record whose heads name an envelope the server no longer serves -> MISSING");
});
