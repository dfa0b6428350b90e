// Stryker ignorer: leaves the human-readable text of an error alone. Every failed check throws
// `new CryptoError(code, message, options?)` (in the SDK `new ClientError(code, message, options?)`);
// the code is what callers and tests decide on, so mutants of the code stay in. The message (and the
// text given to the roster rules' `fail(why)` and the epoch rules' `notAllowed(why)`, which throw with
// a fixed code) only explains the failure to a person: emptying it changes no decision, so such a
// mutant cannot be killed by a test of behaviour and would only hide the real survivors
// (docs/PROTOCOL.md, "Mutation testing").
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

/** The argument position of `path` in the nearest enclosing call or `new`, with the callee's name. */
function argumentOf(path) {
  for (let p = path; p?.parentPath; p = p.parentPath) {
    const parent = p.parentPath.node;
    if (parent.type === "NewExpression" || parent.type === "CallExpression") {
      const index = parent.arguments.indexOf(p.node);
      if (index < 0) return undefined;
      const name = parent.callee.type === "Identifier" ? parent.callee.name : undefined;
      return { name, index, call: parent };
    }
    if (p.isStatement?.()) return undefined;
  }
  return undefined;
}

/** `-1` as written in source: the index of a thread-wide problem. */
const isMinusOne = (node) =>
  node?.type === "UnaryExpression" && node.operator === "-" && node.argument?.value === 1;

/**
 * True for the `detail` text of a problem at one envelope: the value of `detail` in an object literal
 * whose `index` is not `-1`. A thread-wide problem's (index -1) detail is kept: `dedupe` tells such
 * problems apart by it.
 */
function isEnvelopeDetail(path) {
  const prop = path.parentPath;
  if (prop?.node?.type !== "ObjectProperty" || prop.node.value !== path.node) return false;
  if (prop.node.key?.name !== "detail") return false;
  const index = prop.parentPath?.node?.properties?.find((q) => q.key?.name === "index");
  return index !== undefined && !isMinusOne(index.value);
}

/** True when `at` is the message argument of `new CryptoError(code, message, options?)`. */
const isCryptoErrorText = (at) => at?.name === "CryptoError" && at.index === 1;

/**
 * True inside the initial value of a `const` that is read only in error texts (such as the list of
 * reasons `verifyThreadOrThrow` joins into its message): mutating it changes nothing but the text.
 */
function onlyInErrorText(path) {
  for (let p = path; p?.parentPath; p = p.parentPath) {
    const parent = p.parentPath;
    if (parent.node.type === "VariableDeclarator" && p.key === "init") {
      if (parent.parentPath?.node?.kind !== "const" || parent.node.id.type !== "Identifier") return false;
      const binding = parent.scope.getBinding(parent.node.id.name);
      return (
        binding !== undefined &&
        binding.referencePaths.length > 0 &&
        binding.referencePaths.every((ref) => isCryptoErrorText(argumentOf(ref)))
      );
    }
    if (p.isStatement?.()) return false;
  }
  return false;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "ErrorMessage", {
    shouldIgnore(path) {
      if ((path.isStringLiteral?.() || path.isTemplateLiteral?.()) && isEnvelopeDetail(path))
        return "The detail text of a problem at one envelope; its reason and index are still mutated";
      if (onlyInErrorText(path))
        return "A value read only in an error's text; the error's code and details are still mutated";
      const at = argumentOf(path);
      if (at === undefined) return undefined;
      // Only the message: the third argument (`details`, `cause`) is data a caller may decide on.
      if (isCryptoErrorText(at)) return "The text of an error message; its code is still mutated";
      // The SDK's `new ClientError(code, message, options)`: callers switch on the code, never on the
      // message (packages/client/src/errors.ts); the options (`source`, `status`, ...) stay mutated.
      if (at.name === "ClientError" && at.index === 1)
        return "The text of an SDK error message; its code and options are still mutated";
      if (at.name === "fail" && at.index === 0)
        return "The text of a roster-rule failure; its code is still mutated";
      // report(reason, index, detail) in the thread links: the same rule as a `detail` property.
      if (at.name === "report" && at.index === 2 && !isMinusOne(at.call.arguments[1]))
        return "The detail text of a problem at one envelope; its reason and index are still mutated";
      if (at.name === "notAllowed" && at.index === 0)
        return "The text of an epoch-rule refusal (SIGNER_NOT_ALLOWED); its code is still mutated";
      return undefined;
    },
  }),
];
