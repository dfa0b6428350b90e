/**
 * Evaluated before anything that builds zod schemas (the SDK checks error bodies with the protocol's
 * zod schemas): zod probes `new Function` to decide whether to compile parsers, and under the app's
 * CSP (no 'unsafe-eval') that probe is blocked and reported as a CSP violation even though zod catches
 * it. Jitless mode skips the probe (as in the help-seeker app).
 */
import { config } from "zod";

config({ jitless: true });
