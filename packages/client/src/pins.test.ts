import { loadSodium, type RootPublicKey, rootFingerprint, type Sodium, toBase64 } from "@briefgeheim/crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ClientError } from "./errors.js";
import { resolveRoot } from "./pins.js";

let sodium: Sodium;
let rootPk: RootPublicKey;
let other: RootPublicKey;

beforeAll(async () => {
  sodium = await loadSodium();
  rootPk = sodium.crypto_sign_keypair().publicKey as RootPublicKey;
  other = sodium.crypto_sign_keypair().publicKey as RootPublicKey;
});

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ClientError) return e.code;
    throw e;
  }
  return "no error";
}

describe("resolveRoot", () => {
  it("accepts the server's root when it matches a pinned key or a pinned fingerprint (any spacing, case)", () => {
    const server = toBase64(sodium, rootPk);
    const byKey = resolveRoot(sodium, { pin: server, serverRootPk: server, trustOnFirstUse: false });
    expect(byKey.pinnedBy).toBe("key");
    expect(byKey.fingerprint).toBe(rootFingerprint(sodium, rootPk));
    const fp = rootFingerprint(sodium, rootPk);
    const byFp = resolveRoot(sodium, {
      pin: fp.toLowerCase().replace(/ /g, "-"),
      serverRootPk: server,
      trustOnFirstUse: false,
    });
    expect(byFp.pinnedBy).toBe("fingerprint");
    expect(Array.from(byFp.rootPk)).toEqual(Array.from(rootPk));
  });

  it("refuses another root than the pin: ROSTER_WRONG_ROOT", () => {
    const server = toBase64(sodium, other);
    expect(
      code(() =>
        resolveRoot(sodium, { pin: toBase64(sodium, rootPk), serverRootPk: server, trustOnFirstUse: true }),
      ),
    ).toBe("ROSTER_WRONG_ROOT");
    expect(
      code(() =>
        resolveRoot(sodium, {
          pin: rootFingerprint(sodium, rootPk),
          serverRootPk: server,
          trustOnFirstUse: true,
        }),
      ),
    ).toBe("ROSTER_WRONG_ROOT");
  });

  it("refuses an unpinned helpline unless trust on first use is on, and then says so", () => {
    const server = toBase64(sodium, rootPk);
    expect(
      code(() => resolveRoot(sodium, { pin: undefined, serverRootPk: server, trustOnFirstUse: false })),
    ).toBe("ROOT_NOT_PINNED");
    const tofu = resolveRoot(sodium, { pin: undefined, serverRootPk: server, trustOnFirstUse: true });
    expect(tofu.pinnedBy).toBe("first-use");
    expect(tofu.fingerprint).toMatch(/^([0-9A-Z]{4} ){5}[0-9A-Z]{4}$/);
  });

  it("is HELPLINE_NOT_READY without a root, ROOT_NOT_PINNED for a pin that is neither key nor fingerprint", () => {
    expect(code(() => resolveRoot(sodium, { pin: "x", serverRootPk: null, trustOnFirstUse: true }))).toBe(
      "HELPLINE_NOT_READY",
    );
    expect(
      code(() =>
        resolveRoot(sodium, {
          pin: "not a pin!",
          serverRootPk: toBase64(sodium, rootPk),
          trustOnFirstUse: false,
        }),
      ),
    ).toBe("ROOT_NOT_PINNED");
    expect(
      code(() => resolveRoot(sodium, { pin: undefined, serverRootPk: "AAAA", trustOnFirstUse: true })),
    ).toBe("UNEXPECTED_RESPONSE");
  });
});
