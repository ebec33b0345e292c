import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../../src/packs/metrics/catalog.js';
import { buildChart, VEGA_LITE_SCHEMA, type ChartPlan, type VegaLiteSpec } from '../../../src/packs/metrics/chart.js';

/** Compiles with Vega-Lite (failing on any warning) and renders with Vega: what a UI does with the spec. */
async function draw(spec: VegaLiteSpec): Promise<{ svg: string; marks: number }> {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    error: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  const compiled = compile(spec as unknown as TopLevelSpec, { logger: logger as never });
  expect(warnings).toEqual([]);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  // the items of every mark Vega built (what ends up drawn)
  const marks = ((view.scenegraph() as unknown as { root: unknown }).root as { items: { items: { role: string; items: unknown[] }[] }[] }).items[0]!.items
    .filter((g) => g.role === 'mark')
    .reduce((n, g) => n + g.items.length, 0);
  return { svg, marks };
}

const plan = (name: string): ChartPlan => METRICS.find((m) => m.name === name)!.chart;

// One sample per metric, in the shape documented on MetricResult.
const SAMPLES: Record<string, unknown> = {
  topCategories: [{ category: 'Facturación', count: 42 }, { category: 'Acceso', count: 17 }],
  topSubcategories: [{ subcategory: 'Cobro doble', category: 'Facturación', count: 12 }, { subcategory: 'Contraseña', category: 'Acceso', count: 9 }],
  ticketsBySource: [{ source: 'email', count: 30 }, { source: 'chat', count: 20 }, { source: 'phone', count: 5 }],
  topAgents: [{ agent: 'ana@example.com', count: 25 }, { agent: 'luis@example.com', count: 19 }],
  closedVolume: [{ date: '2025-06-09', count: 4 }, { date: '2025-06-10', count: 7 }, { date: '2025-06-11', count: 3 }],
  resolutionTimeByAgent: [{ agent: 'ana@example.com', avg_hours: 5.5, tickets: 25 }, { agent: 'luis@example.com', avg_hours: 9, tickets: 19 }],
  resolutionTimeAvg: { avg_hours: 7.25, tickets: 44 },
  resolutionTimeBySource: [{ source: 'chat', avg_hours: '2.50' }, { source: 'email', avg_hours: '11.00' }],
  slowCases: [{ ticket_id: 9001, subject: 'No llega la factura', agent: 'ana@example.com', hours: 80 }, { ticket_id: 9002, subject: 'Error 500', agent: 'luis@example.com', hours: 64.5 }],
};

describe('buildChart', () => {
  it.each(METRICS.map((m) => [m.name, m] as const))('%s: the documented shape gives a spec Vega-Lite compiles and Vega draws', async (name, metric) => {
    const data = SAMPLES[name];
    const result = buildChart(metric.title, metric.chart, data);
    expect(result.chart).not.toBeNull();
    const chart = result.chart!;
    expect(chart.$schema).toBe(VEGA_LITE_SCHEMA);
    expect(chart.title).toBe(metric.title);
    const rows = Array.isArray(data) ? data.length : 1;
    expect(chart.data.values).toHaveLength(rows);
    const { svg, marks } = await draw(chart);
    expect(svg.startsWith('<svg')).toBe(true);
    // bars and arcs: one item per row; a line: one vertex per row plus one point per row
    expect(marks).toBe(chart.mark.type === 'line' ? 2 * rows : rows);
  });

  it('draws categories as bars sorted by count, with the expected encodings', () => {
    expect(buildChart('Top', plan('topCategories'), SAMPLES.topCategories)).toEqual({
      chart: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        title: 'Top',
        data: { values: SAMPLES.topCategories },
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'category', title: 'Categoría', type: 'nominal', sort: '-x' },
          x: { field: 'count', type: 'quantitative', title: 'Tickets' },
        },
      },
    });
  });

  it('draws sources as a pie (arc) and closed volume as a dated line', () => {
    const pie = buildChart('S', plan('ticketsBySource'), SAMPLES.ticketsBySource).chart!;
    expect(pie.mark).toEqual({ type: 'arc', tooltip: true });
    expect(pie.encoding).toEqual({
      theta: { field: 'count', type: 'quantitative', title: 'Tickets', stack: true },
      color: { field: 'source', title: 'Canal', type: 'nominal' },
    });
    const line = buildChart('V', plan('closedVolume'), SAMPLES.closedVolume).chart!;
    expect(line.mark).toEqual({ type: 'line', tooltip: true, point: true });
    expect(line.encoding.x).toEqual({ field: 'date', title: 'Fecha', type: 'temporal' });
  });

  it('keeps the data order where the metric has its own (order, slowest first) and converts numeric strings', () => {
    const chart = buildChart('T', plan('resolutionTimeBySource'), SAMPLES.resolutionTimeBySource).chart!;
    expect(chart.encoding.y).toEqual({ field: 'source', title: 'Canal', type: 'nominal', sort: null });
    expect(chart.data.values).toEqual([{ source: 'chat', avg_hours: 2.5 }, { source: 'email', avg_hours: 11 }]);
    const slow = buildChart('S', plan('slowCases'), SAMPLES.slowCases).chart!;
    expect(slow.encoding.y).toEqual({ field: 'ticket_id', title: 'Ticket', type: 'nominal', sort: null });
  });

  it('turns a summary object into one bar for the expected figure', () => {
    const chart = buildChart('Avg', plan('resolutionTimeAvg'), { avg_hours: '7.25', tickets: 44 }).chart!;
    expect(chart.data.values).toEqual([{ medida: 'Horas hábiles (promedio)', avg_hours: 7.25 }]);
    expect(chart.encoding).toEqual({
      y: { field: 'medida', title: null, type: 'nominal', sort: '-x' },
      x: { field: 'avg_hours', type: 'quantitative', title: 'Horas hábiles (promedio)' },
    });
  });

  it('falls back to the first text and first number field for unknown shapes', async () => {
    const data = [{ id: 'x1', bucket: 'Norte', total_open: 3 }, { id: 'x2', bucket: 'Sur', total_open: 8 }];
    const chart = buildChart('?', plan('topCategories'), data).chart!;
    expect(chart.encoding).toEqual({
      y: { field: 'id', title: 'Categoría', type: 'nominal', sort: '-x' },
      x: { field: 'total_open', type: 'quantitative', title: 'Tickets' },
    });
    await draw(chart);
  });

  it('reads the rows under a wrapper key and escapes dotted field names', async () => {
    const chart = buildChart('?', plan('topAgents'), { items: [{ 'agent.name': 'Ana', count: 2 }] }).chart!;
    expect(chart.encoding.y).toMatchObject({ field: 'agent\\.name' });
    expect((await draw(chart)).marks).toBe(1);
  });

  it('draws a dated line only when every label is a date; otherwise bars', () => {
    const chart = buildChart('V', plan('closedVolume'), [{ date: 'semana 1', count: 3 }]).chart!;
    expect(chart.mark.type).toBe('bar');
  });

  it('summarises every number of an object with no expected figure', () => {
    expect(buildChart('?', plan('topCategories'), { open: 3, closed: '5', note: 'x' }).chart!.data.values).toEqual([
      { medida: 'open', valor: 3 },
      { medida: 'closed', valor: 5 },
    ]);
  });

  it.each([
    [[], 'no data in the range'],
    [[1, 2], 'the data is not a list of objects'],
    ['texto', 'the data is neither a list nor an object'],
    [null, 'the data is neither a list nor an object'],
    [{ note: 'x' }, 'the data has no numbers'],
    [[{ a: 'x', b: 'y' }], 'no pair of a text field and a number field to draw'],
  ])('answers null with a reason for %j', (data, reason) => {
    expect(buildChart('?', plan('topCategories'), data)).toEqual({ chart: null, reason });
  });
});
