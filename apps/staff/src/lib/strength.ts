/**
 * Passphrase strength with zxcvbn-ts (common + Dutch dictionaries), loaded lazily: only the screens
 * that set a passphrase pay for its dictionaries. If it cannot load, a simple estimate from length,
 * character classes and repeats stands in (it knows no dictionary words, so the minimum length matters).
 */
export type Score = 0 | 1 | 2 | 3 | 4;

export interface Strength {
  readonly score: Score;
  /** log10 of the estimated guesses. */
  readonly guessesLog10: number;
  /** Which estimator answered. */
  readonly source: "zxcvbn" | "estimate";
}

/** A new passphrase must score at least this (zxcvbn: "safely unguessable") and be this long. */
export const MIN_SCORE: Score = 3;
export const MIN_LENGTH = 12;

type Checker = (passphrase: string, userInputs: string[]) => Strength;

let checker: Promise<Checker> | undefined;

async function loadChecker(): Promise<Checker> {
  const [core, common, dutch] = await Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-nl-be"),
  ]);
  const factory = new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...dutch.dictionary },
    graphs: common.adjacencyGraphs,
    useLevenshteinDistance: true,
  });
  return (passphrase, userInputs) => {
    const r = factory.check(passphrase, userInputs);
    return { score: r.score as Score, guessesLog10: r.guessesLog10, source: "zxcvbn" };
  };
}

/** Starts loading zxcvbn; resolves when it is ready (or rejects; `estimate` stays available). */
export function loadStrength(): Promise<Checker> {
  checker ??= loadChecker().catch((e: unknown) => {
    checker = undefined;
    throw e;
  });
  return checker;
}

/**
 * The fallback: log10 of the alphabet size to the power of the length, less for repeats; scored on
 * zxcvbn's guess thresholds (1e3, 1e6, 1e8, 1e10).
 */
export function estimate(passphrase: string): Strength {
  let alphabet = 0;
  if (/[a-z]/.test(passphrase)) alphabet += 26;
  if (/[A-Z]/.test(passphrase)) alphabet += 26;
  if (/[0-9]/.test(passphrase)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(passphrase)) alphabet += 33;
  const distinct = new Set(passphrase).size;
  const effectiveLength = Math.min(passphrase.length, distinct * 2);
  const guessesLog10 = alphabet === 0 ? 0 : effectiveLength * Math.log10(alphabet);
  return { score: scoreOf(guessesLog10), guessesLog10, source: "estimate" };
}

function scoreOf(log10: number): Score {
  if (log10 < 3) return 0;
  if (log10 < 6) return 1;
  if (log10 < 8) return 2;
  if (log10 < 10) return 3;
  return 4;
}

/** Strength with zxcvbn when loaded, else the estimate. */
export async function measure(passphrase: string, userInputs: string[]): Promise<Strength> {
  try {
    return (await loadStrength())(passphrase, userInputs);
  } catch {
    return estimate(passphrase);
  }
}

/** Whether a passphrase may be used. */
export function acceptable(passphrase: string, strength: Strength | undefined): boolean {
  return passphrase.length >= MIN_LENGTH && strength !== undefined && strength.score >= MIN_SCORE;
}
