// Cost Explorer answers group by day, then by the requested dimensions in a stable order; both simulated
// operations (GetCostAndUsage and GetCostAndUsageWithResources) page over the same (day, group) sequence.

/** One (day, group) item: its dimension keys and the cost lines in it. */
export interface DailyGroup<Line> {
  day: string;
  keys: string[];
  lines: Line[];
}

/** Groups each day's visible lines by `keysOf`, days in order and groups sorted by key within a day. */
export function dailyGroups<Line extends { account: string }>(
  days: readonly string[],
  linesOf: (day: string) => readonly Line[],
  visible: ReadonlySet<string>,
  keysOf: (line: Line) => string[],
): Array<DailyGroup<Line>> {
  const items: Array<DailyGroup<Line>> = [];
  for (const day of days) {
    const groups = new Map<string, { keys: string[]; lines: Line[] }>();
    for (const line of linesOf(day)) {
      if (!visible.has(line.account)) continue;
      const keys = keysOf(line);
      const key = JSON.stringify(keys);
      const entry = groups.get(key) ?? { keys, lines: [] };
      entry.lines.push(line);
      groups.set(key, entry);
    }
    for (const key of [...groups.keys()].sort()) {
      const group = groups.get(key);
      if (group) items.push({ day, ...group });
    }
  }
  return items;
}
