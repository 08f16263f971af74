/** JSON columns are always objects; a corrupt value reads as empty rather than crashing a request. */
export function readJson<T extends object>(text: string | null | undefined): T {
  if (!text) return {} as T;
  try {
    const value: unknown = JSON.parse(text);
    return (value && typeof value === 'object' ? value : {}) as T;
  } catch {
    return {} as T;
  }
}
