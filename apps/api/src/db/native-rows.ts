/**
 * Value and row mapping for the native client (native.ts), kept apart from the connection logic: arguments
 * in as the native binding wants them, rows and result sets out in the shape `@libsql/client` gives.
 */
import type { InArgs, InStatement, InValue, ResultSet } from "@libsql/client";

function toSql(value: InValue | undefined): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("Only finite numbers can be passed as arguments");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Uint8Array && !Buffer.isBuffer(value))
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

export function argsToSql(args: InArgs | undefined): unknown {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, unknown> = {};
  for (const name in args) {
    const key = name[0] === "@" || name[0] === "$" || name[0] === ":" ? name.substring(1) : name;
    named[key] = toSql((args as Record<string, InValue>)[name]);
  }
  return named;
}

function fromSql(value: unknown): unknown {
  // As @libsql/client: blobs as ArrayBuffer (a view of the native buffer's memory, no copy).
  if (value instanceof Buffer) {
    return value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
      ? value.buffer
      : value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  }
  return value;
}

const VALUES = Symbol("values");

/**
 * Rows as @libsql/client makes them: readable by index (not enumerable) and by column name (own,
 * enumerable, the first column of a name wins). Index access and `length` come from a prototype shared
 * by every row of the statement, so a row costs one object and its named fields.
 */
export function rowFactory(columns: string[]): (values: unknown[]) => Record<string, unknown> {
  const proto: Record<PropertyKey, unknown> = {};
  Object.defineProperty(proto, "length", { value: columns.length });
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(proto, i, {
      get(this: { [VALUES]: unknown[] }) {
        return this[VALUES][i];
      },
    });
  }
  const named: [number, string][] = [];
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (!seen.has(name) && !/^\d+$/.test(name) && name !== "length") named.push([i, name]);
    seen.add(name);
  });
  return (raw) => {
    const values = raw.map(fromSql);
    const row = Object.create(proto) as Record<PropertyKey, unknown>;
    row[VALUES] = values;
    for (const [i, name] of named) row[name] = values[i];
    return row as Record<string, unknown>;
  };
}

export function resultSet(
  columns: string[],
  columnTypes: string[],
  rows: Record<string, unknown>[],
  rowsAffected: number,
  lastInsertRowid: bigint | undefined,
): ResultSet {
  return {
    columns,
    columnTypes,
    rows: rows as unknown as ResultSet["rows"],
    rowsAffected,
    lastInsertRowid,
    toJSON() {
      return {
        columns,
        columnTypes,
        rows: rows.map((r) =>
          Array.from({ length: columns.length }, (_, i) => (r as unknown as unknown[])[i]),
        ),
        rowsAffected,
        lastInsertRowid: lastInsertRowid?.toString() ?? null,
      };
    },
  };
}

export function normalize(stmt: InStatement | [string, InArgs?]): { sql: string; args: InArgs | undefined } {
  if (typeof stmt === "string") return { sql: stmt, args: undefined };
  if (Array.isArray(stmt)) return { sql: stmt[0], args: stmt[1] };
  return { sql: stmt.sql, args: stmt.args };
}
