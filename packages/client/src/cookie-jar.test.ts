import { describe, expect, it } from "vitest";
import { CookieJar } from "./cookie-jar.js";

describe("CookieJar", () => {
  it("keeps the session cookie of a Set-Cookie line and ignores its attributes (Secure over http too)", () => {
    const jar = new CookieJar();
    jar.store(["__Host-bg_session=tok_EN-1; Path=/; HttpOnly; Secure; SameSite=Strict"]);
    expect(jar.get("__Host-bg_session")).toBe("tok_EN-1");
    expect(jar.header()).toBe("__Host-bg_session=tok_EN-1");
  });

  it("sends several cookies in one header and replaces a cookie of the same name", () => {
    const jar = new CookieJar();
    jar.store(["a=1; Path=/", "b=2"]);
    jar.store(["a=3"]);
    expect(jar.header()).toBe("a=3; b=2");
    expect(jar.size).toBe(2);
  });

  it("deletes on Max-Age=0, on an Expires in the past, and on an empty value", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    const jar = new CookieJar(() => now);
    jar.store(["a=1", "b=2", "c=3", "d=4"]);
    jar.store([
      "a=; Max-Age=0; Path=/",
      "b=2; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
      "c=",
      "d=5; Expires=Wed, 01 Jan 2031 00:00:00 GMT",
    ]);
    expect(jar.header()).toBe("d=5");
  });

  it("ignores lines without a name and is empty after clear()", () => {
    const jar = new CookieJar();
    jar.store(["=nameless", "garbage", ""]);
    expect(jar.header()).toBeUndefined();
    jar.store(["x=1"]);
    jar.clear();
    expect(jar.header()).toBeUndefined();
  });

  it("keeps '=' inside a value", () => {
    const jar = new CookieJar();
    jar.store(["k=a=b==; Path=/"]);
    expect(jar.get("k")).toBe("a=b==");
  });
});
