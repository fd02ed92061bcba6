/**
 * A whole number with thousands separators, `1234567` → `"1,234,567"`, as `toLocaleString("en-US")` writes it, without
 * loading ICU's locale data (the first toLocaleString call of a process takes tens of milliseconds).
 */
export function groupDigits(n: number): string {
  const text = String(Math.trunc(Math.abs(n)));
  const grouped = text.replace(/\B(?=(\d{3})+$)/g, ",");
  return n < 0 ? `-${grouped}` : grouped;
}
