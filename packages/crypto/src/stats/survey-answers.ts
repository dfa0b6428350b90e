import { Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";

/** Answers by question id (`age: "16-18"`); skipped questions are absent. Ids: a-z, 0-9, dash. */
export type SurveyAnswers = Readonly<Record<string, string>>;

const ID = /^[a-z0-9-]{1,24}$/;
const MAX_ANSWERS = 8;

/**
 * `u8 n | n x (str question | str answer) | zero padding to `size``. Ids are checked both ways, so
 * nothing but short ASCII ids can be sealed or come out (`MALFORMED`).
 */
export function encodeSurveyAnswers(answers: SurveyAnswers, size: number): Uint8Array {
  const entries = Object.entries(answers);
  if (entries.length > MAX_ANSWERS) throw new CryptoError("TOO_LARGE", `at most ${MAX_ANSWERS} answers`);
  const w = new Writer().u8(entries.length);
  for (const [q, a] of entries) {
    if (!ID.test(q) || !ID.test(a)) throw new CryptoError("MALFORMED", "survey ids: a-z, 0-9, dash");
    w.str(q).str(a);
  }
  const body = w.finish();
  if (body.length > size) throw new CryptoError("TOO_LARGE", "survey answers too long");
  const out = new Uint8Array(size);
  out.set(body);
  return out;
}

export function decodeSurveyAnswers(plain: Uint8Array): SurveyAnswers {
  try {
    const r = new Reader(plain);
    const n = r.u8();
    if (n > MAX_ANSWERS) throw new CryptoError("MALFORMED", "too many survey answers");
    const out: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const q = r.str(24);
      const a = r.str(24);
      if (!ID.test(q) || !ID.test(a) || q in out) throw new CryptoError("MALFORMED", "not a survey answer");
      out[q] = a;
    }
    const rest = r.fixed(plain.length - r.offset);
    if (rest.some((b) => b !== 0)) throw new CryptoError("MALFORMED", "survey padding is not zero");
    return out;
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new CryptoError("MALFORMED", "not survey answers", { cause: e });
  }
}
