import { blob, integer } from "drizzle-orm/sqlite-core";

/** Binary structures and hashes: BLOBs (25% smaller than base64, never mistaken for text). */
export const bytes = (name: string) => blob(name, { mode: "buffer" });
export const bool = (name: string) => integer(name, { mode: "boolean" });
