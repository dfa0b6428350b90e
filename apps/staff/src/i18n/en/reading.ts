import type { reading as nl } from "../nl/reading.js";
import type { Shape } from "../shape.js";

/** English texts, reading long messages (issue 10, slice E: the long-text component of packages/ui). */
export const reading: Shape<typeof nl> = {
  showAll: "Show the whole message",
  showLess: "Show less",
};
