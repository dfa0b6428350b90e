/**
 * `npm run admin -- report --year YYYY [--csv FILE]` (issue 13 part 4): the network's annual table.
 * Reads only what helplines published (signed annual reports, type 0x0a) and the server's own
 * metadata counters; each report is verified against its helpline's roster chain from the root pinned
 * in the operator's pins file (`config/pins.json` or `BRIEFGEHEIM_PINS_FILE`, written by `npm run
 * admin -- helpline pin`; the database's own root is not trusted), the chain must hold the pinned
 * roster, the report must be signed by a supervisor on the roster it names and on the newest verified
 * roster, and its content must keep the suppression rules (no count under 10, no percentage over a
 * base under 10). A report that fails, or of a helpline with no pin, is listed as refused with the
 * reason, never counted.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import {
  fingerprintsEqual,
  type HelplineId,
  isCryptoError,
  loadSodium,
  parseRoster,
  type Roster,
  type RosterBytes,
  rootFingerprint,
  toBase64,
  verifyAnnualReport,
  verifyRosterChain,
} from "@briefgeheim/crypto";
import { type AnnualReportContent, annualReportContentSchema, SUPPRESSED } from "@briefgeheim/protocol";
import { and, asc, between, eq, sql } from "drizzle-orm";
import { type PinEntry, pinsFilePath } from "./admin-pin.js";
import type { Database } from "./db/client.js";
import { annualReports, helplines, rosters, statsDays } from "./db/schema.js";
import { DAY_MS } from "./services/stats.js";

type Shown = number | typeof SUPPRESSED;

/** The survey answers the network's table shows (as in the network's own report). */
const SURVEY_COLUMNS = [
  ["reason", "anonymity", "anonymity %"],
  ["reason", "prefer-writing", "prefers writing %"],
  ["reason", "own-time", "own time %"],
  ["gender", "girl-woman", "girl/woman %"],
] as const;

export interface NetworkRow {
  readonly slug: string;
  readonly name: string;
  readonly conversations: Shown;
  /** The server's own count of new conversations that year (metadata), suppressed the same way. */
  readonly serverConversations: Shown;
  readonly seekerMessages: Shown;
  readonly firstInTimePercent: number | null;
  readonly surveyRecords: Shown;
  readonly survey: readonly (number | null)[];
  /** Answered counts behind each survey column (for the network's weighted share). */
  readonly bases: readonly (number | null)[];
}

export interface NetworkReport {
  readonly year: number;
  readonly rows: readonly NetworkRow[];
  readonly refused: readonly { readonly slug: string; readonly reason: string }[];
  /** Helplines without a published report of the year. */
  readonly missing: readonly string[];
}

const show = (n: number): Shown => (n < 10 ? SUPPRESSED : n);

/** Why a helpline's chain could not be verified from its pin (listed as `CODE: message`). */
class ReportRefusal extends Error {
  constructor(
    readonly code: "NOT_PINNED" | "NOT_SET_UP" | "ROSTER_WRONG_ROOT" | "ROSTER_ROLLBACK" | "ROSTER_FORK",
    message: string,
  ) {
    super(message);
  }
}

/** The operator's pins by helpline id (an absent file: nothing pinned). */
export type Pins = Readonly<Record<string, unknown>>;

/** Reads the pins file the apps are built with (`BRIEFGEHEIM_PINS_FILE`, else config/pins.json). */
export function readPins(file = pinsFilePath()): Pins {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(`${file} must hold one JSON object`);
  return parsed as Pins;
}

function isPinEntry(v: unknown): v is PinEntry {
  const e = v as PinEntry | undefined;
  return (
    typeof e?.root === "string" && typeof e.roster?.version === "number" && typeof e.roster.hash === "string"
  );
}

/**
 * The helpline's roster chain verified from the pinned root, holding the pinned roster (the build's
 * checkpoint): by version, and the newest.
 */
async function verifiedRosters(
  db: Database,
  h: { readonly id: string; readonly slug: string },
  pins: Pins,
): Promise<{ byVersion: Map<number, Roster>; newest: Roster }> {
  const pin = pins[h.id];
  if (!isPinEntry(pin)) {
    throw new ReportRefusal(
      "NOT_PINNED",
      `no root of ${h.slug} is pinned in the pins file, so its report cannot be verified (npm run admin -- helpline pin ${h.slug})`,
    );
  }
  const sodium = await loadSodium();
  const chain = await db.read
    .select({ bytes: rosters.bytes })
    .from(rosters)
    .where(eq(rosters.helplineId, h.id))
    .orderBy(asc(rosters.version));
  if (chain.length === 0) throw new ReportRefusal("NOT_SET_UP", "the helpline has no roster");
  const bytes = chain.map((r) => new Uint8Array(r.bytes) as RosterBytes);
  const root = parseRoster(sodium, bytes[0]!).rootPk;
  if (!fingerprintsEqual(rootFingerprint(sodium, root), pin.root)) {
    throw new ReportRefusal("ROSTER_WRONG_ROOT", "the first roster is not signed by the pinned root");
  }
  const verified = verifyRosterChain(sodium, bytes, {
    pinnedRoot: root,
    helplineId: h.id as HelplineId,
  });
  const newest = verified.at(-1)!;
  const pinned = verified.find((r) => r.version === pin.roster.version);
  if (pinned === undefined) {
    throw new ReportRefusal("ROSTER_ROLLBACK", `the database lacks the pinned roster ${pin.roster.version}`);
  }
  if (toBase64(sodium, pinned.hash) !== pin.roster.hash) {
    throw new ReportRefusal("ROSTER_FORK", `roster ${pin.roster.version} is not the pinned one`);
  }
  return { byVersion: new Map(verified.map((r) => [r.version, r])), newest };
}

/** Builds the network's table for `year` from the reports verifiable from `pins` (see the module comment). */
export async function networkReport(db: Database, year: number, pins: Pins): Promise<NetworkReport> {
  const sodium = await loadSodium();
  const lines = await db.read.select().from(helplines).orderBy(asc(helplines.slug));
  const rows: NetworkRow[] = [];
  const refused: { slug: string; reason: string }[] = [];
  const missing: string[] = [];
  const from = Date.UTC(year, 0, 1) / DAY_MS;
  const to = Date.UTC(year, 11, 31) / DAY_MS;
  for (const h of lines) {
    const [stored] = await db.read
      .select()
      .from(annualReports)
      .where(and(eq(annualReports.helplineId, h.id), eq(annualReports.year, year)));
    if (stored === undefined) {
      missing.push(h.slug);
      continue;
    }
    let content: AnnualReportContent;
    try {
      const { byVersion, newest } = await verifiedRosters(db, h, pins);
      const report = verifyAnnualReport(sodium, new Uint8Array(stored.bytes), {
        helplineId: h.id as HelplineId,
        year,
        rosters: (v) => byVersion.get(v),
        newest,
      });
      const parsed = annualReportContentSchema.safeParse(JSON.parse(report.content));
      if (!parsed.success) throw new Error("the content breaks the suppression rules");
      content = parsed.data;
    } catch (e) {
      refused.push({
        slug: h.slug,
        reason: isCryptoError(e)
          ? e.code
          : e instanceof ReportRefusal
            ? `${e.code}: ${e.message}`
            : e instanceof Error
              ? e.message
              : String(e),
      });
      continue;
    }
    const [server] = await db.read
      .select({ n: sql<number>`coalesce(sum(${statsDays.conversations}), 0)` })
      .from(statsDays)
      .where(and(eq(statsDays.helplineId, h.id), between(statsDays.day, from, to)));
    rows.push({
      slug: h.slug,
      name: content.helplineName,
      conversations: content.figures.conversations,
      serverConversations: show(Number(server?.n ?? 0)),
      seekerMessages: content.figures.seekerMessages,
      firstInTimePercent: content.firstInTimePercent,
      surveyRecords: content.survey.records,
      survey: SURVEY_COLUMNS.map(([q, a]) => content.survey.questions[q].percent?.[a] ?? null),
      bases: SURVEY_COLUMNS.map(([q]) => {
        const n = content.survey.questions[q].answered;
        return n === SUPPRESSED ? null : n;
      }),
    });
  }
  return { year, rows, refused, missing };
}

/** The network's totals: counts summed (a "+" when a helpline's count is "<10"), shares weighted by base. */
function totals(rows: readonly NetworkRow[]) {
  const sum = (pick: (r: NetworkRow) => Shown) => {
    const values = rows.map(pick);
    const n = values.reduce<number>((a, v) => a + (v === SUPPRESSED ? 0 : v), 0);
    return values.includes(SUPPRESSED) ? `${n}+` : String(n);
  };
  const share = (i: number) => {
    let part = 0;
    let base = 0;
    for (const r of rows) {
      const p = r.survey[i];
      const b = r.bases[i];
      if (p === null || p === undefined || b === null || b === undefined) continue;
      part += (p * b) / 100;
      base += b;
    }
    return base < 10 ? null : Math.round((1000 * part) / base) / 10;
  };
  return {
    conversations: sum((r) => r.conversations),
    server: sum((r) => r.serverConversations),
    seekerMessages: sum((r) => r.seekerMessages),
    survey: SURVEY_COLUMNS.map((_, i) => share(i)),
  };
}

const HEADER = [
  "helpline",
  "conversations",
  "server count",
  "messages from help-seekers",
  "first reply in time %",
  "survey answers",
  ...SURVEY_COLUMNS.map((c) => c[2]),
];

function cells(r: NetworkRow): string[] {
  const pct = (p: number | null) => (p === null ? "" : String(p));
  return [
    r.name,
    String(r.conversations),
    String(r.serverConversations),
    String(r.seekerMessages),
    pct(r.firstInTimePercent),
    String(r.surveyRecords),
    ...r.survey.map(pct),
  ];
}

/** The table as rows of text (header, one row per helpline, the network's total). */
export function networkTable(report: NetworkReport): string[][] {
  const t = totals(report.rows);
  const pct = (p: number | null) => (p === null ? "" : String(p));
  return [
    HEADER,
    ...report.rows.map(cells),
    ["network", t.conversations, t.server, t.seekerMessages, "", "", ...t.survey.map(pct)],
  ];
}

/** CSV for LibreOffice and Excel with Dutch settings: BOM, `;`, decimal comma, CRLF. */
export function networkCsv(report: NetworkReport): string {
  const cell = (v: string) => {
    const s = /^\d+\.\d+$/.test(v) ? v.replace(".", ",") : v;
    return /[;"\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFF${networkTable(report)
    .map((r) => r.map(cell).join(";"))
    .join("\r\n")}\r\n`;
}

/** Prints the table and writes the CSV; returns the number of refused reports. */
export async function reportCommand(
  db: Database,
  year: number,
  csvFile: string,
  pins: Pins = readPins(),
): Promise<number> {
  const report = await networkReport(db, year, pins);
  const table = networkTable(report);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
  console.log(`annual table ${year}: ${report.rows.length} published and verified report(s)`);
  for (const r of table) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
  for (const m of report.missing) console.log(`no report published: ${m}`);
  for (const r of report.refused) console.log(`REFUSED ${r.slug}: ${r.reason}`);
  writeFileSync(csvFile, networkCsv(report));
  console.log(`written: ${csvFile}`);
  return report.refused.length;
}
