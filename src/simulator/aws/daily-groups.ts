// Cost Explorer answers group by day, then by the requested dimensions in a stable order; both simulated
// operations (GetCostAndUsage and GetCostAndUsageWithResources) page over the same (day, group) sequence,
// with the same page tokens.

import type { SimResponse } from '../server.ts';
import { awsError } from './wire.ts';

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

/**
 * Where a page starts: 0 without a token, else the offset in a token issued for the same request (its
 * `fingerprint`); a SimResponse with Cost Explorer's error for a changed request or an unreadable token.
 */
export function pageOffset(token: string | undefined, fingerprint: string): number | SimResponse {
  if (token === undefined) return 0;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
      offset: number;
      fingerprint: string;
    };
    if (decoded.fingerprint !== fingerprint)
      return awsError('json1_1', 400, 'RequestChangedException', 'the request changed between pages');
    return decoded.offset;
  } catch {
    return awsError('json1_1', 400, 'InvalidNextTokenException', 'The pagination token is invalid.');
  }
}

/** The NextPageToken of the page starting at `offset`, or nothing after the last page. */
export function nextPageToken(offset: number, total: number, fingerprint: string): { NextPageToken?: string } {
  return offset < total
    ? { NextPageToken: Buffer.from(JSON.stringify({ offset, fingerprint })).toString('base64') }
    : {};
}
