import * as P from "@briefgeheim/protocol";
import { API_VERSION, ERROR_STATUS, errorBodySchema } from "@briefgeheim/protocol";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../deps.js";

type Who = "anyone" | "signed in" | "seeker" | "staff" | "supervisor";

interface RouteSpec {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  who: Who;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
}

const threadId = z.object({ threadId: P.idSchema });

/** The proof-of-work challenge (middleware/pow; docs/API.md, "Proof of work and quotas"). */
const powQuery = z.object({ purpose: z.enum(["seeker-sign-in", "open-thread"]) });
const powChallenge = z.object({
  algorithm: z.literal("SHA-256"),
  challenge: z.string(),
  maxnumber: z.number().int(),
  salt: z.string(),
  signature: z.string(),
});
const helplineId = z.object({ helplineId: P.idSchema });
const token = z.object({ token: P.inviteTokenSchema });
const context = z.object({ context: P.draftContextSchema });

/** Every route of the API (docs/API.md), with its schemas from packages/protocol. */
export const ROUTES: RouteSpec[] = [
  { method: "get", path: "/api/health", summary: "Health", who: "anyone", response: P.healthSchema },
  {
    method: "get",
    path: "/api/openapi.json",
    summary: "This document",
    who: "anyone",
    response: z.object({}),
  },
  {
    method: "get",
    path: "/api/helplines",
    summary: "Helplines",
    who: "anyone",
    query: P.helplinesQuerySchema,
    response: P.helplinesResponseSchema,
  },
  {
    method: "get",
    path: "/api/helplines/{helplineId}/rosters",
    summary: "Roster chain after a version",
    who: "anyone",
    params: helplineId,
    query: P.rostersQuerySchema,
    response: P.rostersResponseSchema,
  },
  {
    method: "post",
    path: "/api/helplines/{helplineId}/rosters",
    summary: "Publish the next roster",
    who: "supervisor",
    params: helplineId,
    body: P.publishRosterRequestSchema,
    response: P.publishRosterResponseSchema,
  },
  {
    method: "get",
    path: "/api/pow/challenge",
    summary: "A signed proof-of-work challenge (ALTCHA's SHA-256 scheme; difficulty rises with load)",
    who: "anyone",
    query: powQuery,
    response: powChallenge,
  },
  {
    method: "post",
    path: "/api/auth/challenge",
    summary: "Sign-in nonce (single use, 60 s)",
    who: "anyone",
    body: P.challengeRequestSchema,
    response: P.challengeResponseSchema,
  },
  {
    method: "post",
    path: "/api/auth/seeker",
    summary: "Help-seeker sign-in (needs a solved proof of work in the Briefgeheim-Pow header)",
    who: "anyone",
    body: P.seekerSignInRequestSchema,
    response: P.sessionSchema,
  },
  {
    method: "post",
    path: "/api/auth/staff/params",
    summary: "Argon2 parameters of a username (decoys for unknown ones)",
    who: "anyone",
    body: P.staffParamsRequestSchema,
    response: P.staffParamsResponseSchema,
  },
  {
    method: "post",
    path: "/api/auth/staff/unlock",
    summary: "Wrapped account key for a passphrase proof",
    who: "anyone",
    body: P.staffUnlockRequestSchema,
    response: P.staffUnlockResponseSchema,
  },
  {
    method: "post",
    path: "/api/auth/staff",
    summary: "Staff sign-in (proof and signed challenge)",
    who: "anyone",
    body: P.staffSignInRequestSchema,
    response: P.sessionSchema,
  },
  {
    method: "post",
    path: "/api/auth/staff/recover",
    summary: "Recovery-wrapped key for a recovery proof",
    who: "anyone",
    body: P.staffRecoverRequestSchema,
    response: P.staffRecoverResponseSchema,
  },
  {
    method: "post",
    path: "/api/auth/staff/reset",
    summary: "New passphrase wrap after recovery",
    who: "anyone",
    body: P.staffResetRequestSchema,
    response: P.okSchema,
  },
  {
    method: "get",
    path: "/api/auth/session",
    summary: "The caller's session",
    who: "signed in",
    response: P.sessionSchema,
  },
  {
    method: "post",
    path: "/api/auth/sign-out",
    summary: "End the session",
    who: "signed in",
    response: P.okSchema,
  },
  {
    method: "post",
    path: "/api/invites",
    summary: "Create a one-time invite",
    who: "supervisor",
    body: P.createInviteRequestSchema,
    response: P.createInviteResponseSchema,
  },
  {
    method: "get",
    path: "/api/invites/{token}",
    summary: "Invite details",
    who: "anyone",
    params: token,
    response: P.inviteInfoSchema,
  },
  {
    method: "post",
    path: "/api/invites/{token}/accept",
    summary: "Accept an invite with new account keys",
    who: "anyone",
    params: token,
    body: P.acceptInviteRequestSchema,
    response: P.acceptInviteResponseSchema,
  },
  {
    method: "get",
    path: "/api/staff",
    summary: "The team",
    who: "supervisor",
    query: P.staffQuerySchema,
    response: P.staffResponseSchema,
  },
  {
    method: "get",
    path: "/api/threads",
    summary: "Thread summaries by waiting time",
    who: "signed in",
    query: P.threadsQuerySchema,
    response: P.threadsResponseSchema,
  },
  {
    method: "post",
    path: "/api/threads",
    summary: "Open a thread (epoch 0 and first message; needs a solved proof of work in Briefgeheim-Pow)",
    who: "seeker",
    body: P.createThreadRequestSchema,
    response: P.createThreadResponseSchema,
  },
  {
    method: "post",
    path: "/api/threads/epochs/batch",
    summary: "New epochs for many threads (a caseload)",
    who: "supervisor",
    body: P.epochBatchRequestSchema,
    response: P.epochBatchResponseSchema,
  },
  {
    method: "get",
    path: "/api/threads/{threadId}",
    summary: "Summary, epoch records and the caller's grants",
    who: "signed in",
    params: threadId,
    response: P.threadDetailSchema,
  },
  {
    method: "patch",
    path: "/api/threads/{threadId}",
    summary: "Status or flag",
    who: "staff",
    params: threadId,
    body: P.patchThreadRequestSchema,
    response: P.threadResponseSchema,
  },
  {
    method: "delete",
    path: "/api/threads/{threadId}",
    summary: "Delete the conversation",
    who: "seeker",
    params: threadId,
    response: P.deletedSchema,
  },
  {
    method: "get",
    path: "/api/threads/{threadId}/envelopes",
    summary: "Envelopes in server order",
    who: "signed in",
    params: threadId,
    query: P.envelopesQuerySchema,
    response: P.envelopesResponseSchema,
  },
  {
    method: "post",
    path: "/api/threads/{threadId}/envelopes",
    summary: "Post an envelope (idempotent on id)",
    who: "signed in",
    params: threadId,
    body: P.postEnvelopeRequestSchema,
    response: P.envelopeAckSchema,
  },
  {
    method: "post",
    path: "/api/threads/{threadId}/epochs",
    summary: "Next epoch: claim, assign, reassign, remove",
    who: "staff",
    params: threadId,
    body: P.postEpochRequestSchema,
    response: P.epochAckSchema,
  },
  {
    method: "get",
    path: "/api/drafts/{context}",
    summary: "The caller's draft",
    who: "signed in",
    params: context,
    response: P.draftResponseSchema,
  },
  {
    method: "put",
    path: "/api/drafts/{context}",
    summary: "Store the caller's draft",
    who: "signed in",
    params: context,
    body: P.putDraftRequestSchema,
    response: P.draftAckSchema,
  },
  {
    method: "delete",
    path: "/api/drafts/{context}",
    summary: "Delete the caller's draft",
    who: "signed in",
    params: context,
    response: P.draftDeletedSchema,
  },
  {
    method: "get",
    path: "/api/audit",
    summary: "The helpline's hash-chained audit log",
    who: "supervisor",
    query: P.auditQuerySchema,
    response: P.auditResponseSchema,
  },
];

function schemaOf(s: z.ZodType, io: "input" | "output"): unknown {
  const json = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

function parametersOf(obj: z.ZodObject | undefined, where: "path" | "query"): unknown[] {
  if (obj === undefined) return [];
  const json = schemaOf(obj, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema,
  }));
}

let cached: unknown;

/** The OpenAPI 3.1 document, generated from the protocol schemas with zod's `toJSONSchema`. */
export function openApiDocument(): unknown {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  const errorCodes = Object.entries(ERROR_STATUS)
    .map(([code, status]) => `${code} (${status})`)
    .join(", ");
  for (const r of ROUTES) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      description: `Who: ${r.who}.`,
      security: r.who === "anyone" ? [] : [{ session: [] }],
      parameters: [...parametersOf(r.params, "path"), ...parametersOf(r.query, "query")],
      responses: {
        "200": {
          description: "OK",
          content: { "application/json": { schema: schemaOf(r.response, "output") } },
        },
        default: {
          description: `Error: ${errorCodes}`,
          content: { "application/json": { schema: schemaOf(errorBodySchema, "output") } },
        },
      },
    };
    if (r.body) {
      op.requestBody = {
        required: true,
        content: { "application/json": { schema: schemaOf(r.body, "input") } },
      };
    }
    paths[r.path] ??= {};
    paths[r.path]![r.method] = op;
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Briefgeheim API",
      version: API_VERSION,
      description:
        "End-to-end encrypted e-mail counselling. The server stores ciphertext only. See docs/API.md.",
    },
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "__Host-bg_session" } },
    },
    paths,
  };
  return cached;
}

/** GET /api/openapi.json */
export function openApiRoutes() {
  return new Hono<AppEnv>().get("/", (c) => c.json(openApiDocument() as Record<string, unknown>, 200));
}
