/**
 * The local names of a view model, listed once. The compiler checks the list is exact: every key
 * of `T` is named (a missing one is an error) and nothing else is (an extra one is an excess
 * property). The view engine destructures exactly these names for the template.
 */
export function localsOf<T extends object>(keys: { [K in keyof T]-?: true }): readonly string[] {
  return Object.freeze(Object.keys(keys));
}
