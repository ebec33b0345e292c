/**
 * Vega-Lite v5 specs from metric data. The builder is tolerant: it looks for the fields a metric is
 * expected to have, falls back to the first text and first number field of the rows, and answers
 * `chart: null` with a reason when the data has nothing to draw.
 */

/** The `$schema` every spec carries. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** A Vega-Lite v5 spec (top-level unit spec with inline data). */
export type VegaLiteSpec = {
  $schema: typeof VEGA_LITE_SCHEMA;
  title: string;
  data: { values: Record<string, unknown>[] };
  mark: { type: 'bar' | 'line' | 'arc'; tooltip: true; point?: true };
  encoding: Record<string, Record<string, unknown>>;
};

/** How one metric is drawn. */
export interface ChartPlan {
  /** Preferred mark; `line` falls back to `bar` when the labels are not dates. */
  mark: 'bar' | 'line' | 'arc';
  /** Candidate names of the label (category) field, best first. */
  label: readonly string[];
  /** Candidate names of the value (number) field, best first. */
  value: readonly string[];
  labelTitle: string;
  valueTitle: string;
  /** Bars sorted by value, largest first (default), or kept in the data's order (`'data'`). */
  sort?: 'value' | 'data';
}

/** What {@link buildChart} returns: a spec, or null and why. */
export type ChartResult = { chart: VegaLiteSpec } | { chart: null; reason: string };

type Row = Record<string, unknown>;

const isRow = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumeric = (v: unknown): boolean => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
const isLabel = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number';
const DATE_LIKE = /^\d{4}-\d{2}(-\d{2})?([T ].*)?$/;

// A Vega-Lite field name is a path: dots and brackets in a plain key must be escaped.
const fieldRef = (key: string): string => key.replace(/[.[\]\\]/g, '\\$&');

/** Rows to draw: an array of objects as is, a list under a usual wrapper key, or a summary object's numbers. */
function rowsOf(data: unknown, plan: ChartPlan): { rows: Row[]; label?: string; value?: string } | string {
  if (Array.isArray(data)) {
    if (data.length === 0) return 'no data in the range';
    return data.every(isRow) ? { rows: data } : 'the data is not a list of objects';
  }
  if (!isRow(data)) return 'the data is neither a list nor an object';
  for (const key of ['items', 'rows', 'results', 'data']) {
    const inner = data[key];
    if (Array.isArray(inner)) return rowsOf(inner, plan);
  }
  // A summary such as { avg_hours: 12.5, tickets: 40 }: one bar for the expected figure, else one per number.
  const expected = plan.value.find((k) => isNumeric(data[k]));
  if (expected) return { rows: [{ medida: plan.valueTitle, [expected]: data[expected] }], label: 'medida', value: expected };
  const numbers = Object.entries(data).filter(([, v]) => isNumeric(v));
  if (numbers.length === 0) return 'the data has no numbers';
  return { rows: numbers.map(([medida, valor]) => ({ medida, valor })), label: 'medida', value: 'valor' };
}

/** The first of `keys` whose value is acceptable in every row (missing or null allowed past the first). */
function pickField(rows: Row[], keys: readonly string[], accepts: (v: unknown) => boolean, exclude?: string): string | undefined {
  const first = rows[0] as Row;
  return keys.find((k) => k !== exclude && accepts(first[k]) && rows.every((r) => r[k] === undefined || r[k] === null || accepts(r[k])));
}

/**
 * A spec a UI can draw as is (`vegaEmbed(el, chart)`), with `data.values` taken from `data`; numbers sent
 * as strings (Python `Decimal`) are converted. Never throws.
 */
export function buildChart(title: string, plan: ChartPlan, data: unknown): ChartResult {
  const found = rowsOf(data, plan);
  if (typeof found === 'string') return { chart: null, reason: found };
  const { rows } = found;
  const keys = Object.keys(rows[0] as Row);
  const value = found.value ?? pickField(rows, plan.value, isNumeric) ?? pickField(rows, keys, isNumeric);
  // Expected names first (a numeric ticket id is a fine label), then any text field, then any number left.
  const label = found.label ?? pickField(rows, plan.label, isLabel, value) ?? pickField(rows, keys, (v) => typeof v === 'string', value) ?? pickField(rows, keys, isLabel, value);
  if (!value || !label) return { chart: null, reason: 'no pair of a text field and a number field to draw' };
  const values = rows.map((r) => ({ ...r, [value]: r[value] === undefined || r[value] === null ? null : Number(r[value]) }));
  // A summary's rows name themselves: no axis title for them.
  const labelTitle = found.label ? null : plan.labelTitle;
  const base = { $schema: VEGA_LITE_SCHEMA, title, data: { values } } as const;
  const x = { field: fieldRef(label), title: labelTitle };
  const y = { field: fieldRef(value), type: 'quantitative', title: plan.valueTitle };

  if (plan.mark === 'line' && rows.every((r) => typeof r[label] === 'string' && DATE_LIKE.test(r[label]))) {
    return { chart: { ...base, mark: { type: 'line', tooltip: true, point: true }, encoding: { x: { ...x, type: 'temporal' }, y } } };
  }
  if (plan.mark === 'arc') {
    return { chart: { ...base, mark: { type: 'arc', tooltip: true }, encoding: { theta: { ...y, stack: true }, color: { ...x, type: 'nominal' } } } };
  }
  const sort = plan.sort === 'data' ? null : '-x';
  return { chart: { ...base, mark: { type: 'bar', tooltip: true }, encoding: { y: { ...x, type: 'nominal', sort }, x: y } } };
}
