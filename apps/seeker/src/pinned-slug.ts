import type { RootPin } from "@briefgeheim/client";

/** The slug a build pin gives a helpline, if it gives one. */
function pinnedSlug(pins: Readonly<Record<string, RootPin>>, id: string): string | undefined {
  const pin = pins[id];
  return typeof pin === "object" ? pin.slug : undefined;
}

/**
 * The helpline a `#/h/<slug>` link opens. The slug the server lists is unsigned, so a slug that a build
 * pin names opens the helpline of that pin (by id), and a server slug that names a helpline whose pin
 * gives it another slug opens nothing: the server cannot map a published link to another pinned
 * helpline (PROTOCOL.md §10). Helplines without a slug in their pin are found by the server's slug.
 *
 * @example
 * const helpline = helplineBySlug(helplines(), "luisterlijn", BUILD.pins);
 */
export function helplineBySlug<H extends { readonly id: string; readonly slug: string }>(
  list: readonly H[] | undefined,
  slug: string,
  pins: Readonly<Record<string, RootPin>>,
): H | undefined {
  const pinned = Object.keys(pins).find((id) => pinnedSlug(pins, id) === slug);
  if (pinned !== undefined) return list?.find((h) => h.id === pinned);
  const listed = list?.find((h) => h.slug === slug);
  return listed === undefined || pinnedSlug(pins, listed.id) !== undefined ? undefined : listed;
}

/**
 * The slug to link a helpline by: the one its build pin gives it, else the server's.
 *
 * @example
 * <a href={`#/h/${slugOf(h, BUILD.pins)}`}>
 */
export function slugOf(
  helpline: { readonly id: string; readonly slug: string },
  pins: Readonly<Record<string, RootPin>>,
): string {
  return pinnedSlug(pins, helpline.id) ?? helpline.slug;
}
