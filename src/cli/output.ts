/** Plain-text tables for the terminal: columns padded to their widest cell, no dependency. */
export function table<T extends object>(items: T[], columns: string[]): string {
  const rows = items as Record<string, unknown>[];
  const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}
