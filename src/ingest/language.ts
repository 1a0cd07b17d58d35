/** Placeholder replaced below once the detector is chosen. */
export function detectLanguage(_text: string): string {
  return "und";
}
