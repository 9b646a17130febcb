/** localStorage that never throws (private mode, disabled storage, a full quota). */
export const storage = {
  get(key: string): string | null {
    try { return globalThis.localStorage?.getItem(key) ?? null; } catch { return null; }
  },
  set(key: string, value: string): void {
    try { globalThis.localStorage?.setItem(key, value); } catch { /* not remembered: the page still works */ }
  },
};
