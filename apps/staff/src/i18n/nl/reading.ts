/** Dutch texts, reading long messages (issue 10, slice E: the long-text component of packages/ui). */
export const reading = {
  showAll: "Toon het hele bericht",
  showLess: "Toon minder",
};
