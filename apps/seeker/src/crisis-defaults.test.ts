import { DEFAULT_CRISIS_OPTIONS } from "@briefgeheim/client";
import { describe, expect, it } from "vitest";
import { BUILT_IN_CRISIS_OPTIONS, telHref } from "./crisis-defaults.js";

describe("built-in crisis options", () => {
  it("equal the SDK's defaults (the ones the staff screen offers and the demo signs)", () => {
    expect(BUILT_IN_CRISIS_OPTIONS).toEqual(DEFAULT_CRISIS_OPTIONS);
  });

  it("make tel: links of digits and a leading plus only", () => {
    expect(telHref("0800-0113")).toBe("tel:08000113");
    expect(telHref("+31 20 123 45 67")).toBe("tel:+31201234567");
    expect(BUILT_IN_CRISIS_OPTIONS.map((o) => telHref(o.target))).toEqual([
      "tel:112",
      "tel:08000113",
      "tel:08002000",
    ]);
  });
});
