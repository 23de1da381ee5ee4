/** True for values that can carry properties and identity: objects (not null) and functions. */
export function isObjectLike(value: unknown): value is object {
  return (typeof value === 'object' && value !== null) || typeof value === 'function';
}
