// Writing CloudWatch Metrics Insights queries: names that are reserved keywords (or hold characters other
// than letters, digits and underscore) must be double-quoted, label values single-quoted (AWS doc "Metrics
// Insights query components and syntax" and "Reserved keywords"; see README, Simulator).

/**
 * Reserved keywords a name in our queries could collide with: the query grammar's words and the dimension-like
 * words of the documented list (INDEX is the one the CloudWatch agent's GPU metrics use). Not case sensitive.
 */
const RESERVED = new Set(
  (
    'ACCOUNT ACTION ALIAS ALL AND ANY AS ASC AVG BY CATALOG CLASS CLUSTER COLUMN CONDITION CONNECTION COUNT ' +
    'CURRENT DATA DATABASE DATE DEFAULT DESC DOMAIN ERROR FILE FROM FUNCTION GROUP GROUPS IN INDEX INPUT KEY ' +
    'LABEL LEVEL LIKE LIMIT MAX METHOD MIN MODE NOT OBJECT OPERATION OPTION OR ORDER OUTPUT PARTITION PATH ' +
    'POSITION PRIMARY READ RESOURCE RESULT ROLE SCHEMA SELECT SESSION SIZE SOURCE STATE SUM TABLE TEMPORARY ' +
    'TIME TIMESTAMP TRANSACTION TYPE USER VALUE VALUES WHERE WRITE ZONE'
  ).split(' '),
);

/** A namespace, metric name or label key as a query must write it: double-quoted when reserved or not a plain word. */
export function insightsName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toUpperCase())) return name;
  return `"${name.replace(/["']/g, (char) => `\\${char}`)}"`;
}

/** A label value as a query must write it: single-quoted, quotes escaped. */
export function insightsValue(value: string): string {
  return `'${value.replace(/["']/g, (char) => `\\${char}`)}'`;
}
