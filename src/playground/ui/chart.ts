// Draws a Vega-Lite spec as SVG. The expression interpreter replaces Vega's code generation, so the
// page needs no 'unsafe-eval' in its Content-Security-Policy.
import * as vegaEmbed from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

// vega-embed's types read as CommonJS under NodeNext (its package has no "type": "module"), which hides
// the default export's signature; the bundle loads its ES module, whose default is `embed`.
type Embed = (target: HTMLElement, spec: unknown, options: Record<string, unknown>) => Promise<unknown>;
const embed = vegaEmbed.default as unknown as Embed;

/** Draws `spec` into `target` (replacing what was there); rejects with Vega's message when it cannot. */
export async function drawChart(target: HTMLElement, spec: Record<string, unknown>): Promise<void> {
  target.replaceChildren();
  await embed(target, spec, { renderer: 'svg', actions: false, ast: true, expr: expressionInterpreter, defaultStyle: false, tooltip: false });
}
