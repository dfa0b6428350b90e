/**
 * The shape of a message catalog (part): a string, a function that makes one, or a map of strings.
 * The Dutch parts define the keys; the English parts are typed `Shape<typeof nl>` against them.
 */
export type Shape<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => string
    ? (...args: A) => string
    : T[K] extends string
      ? string
      : { readonly [M in keyof T[K]]: string };
};
