/**
 * Imported first by ./index.ts, before anything that builds zod schemas. The SDK checks error bodies
 * with zod (via @briefgeheim/protocol); when a schema is built, zod probes `new Function` to decide
 * whether to compile parsers. Under our CSP (no 'unsafe-eval') the probe is blocked and the browser
 * reports a CSP violation even though zod catches the error. Jitless mode skips the probe.
 */
import { config } from "zod";

config({ jitless: true });
