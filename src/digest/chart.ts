import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/**
 * The eight-week trend as a picture: Vega-Lite describes the chart, Vega renders it to SVG without a
 * browser or canvas, resvg turns the SVG into a PNG. The font ships with the app (dejavu-fonts-ttf), so
 * the labels look the same on any server, with or without system fonts.
 */

export type TrendPoint = { label: string; series: string; value: number };

const require = createRequire(import.meta.url);
const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT = 'DejaVu Sans';

export async function renderTrendChart(
  points: readonly TrendPoint[],
  options: { title: string; width?: number },
): Promise<Buffer> {
  const order = [...new Set(points.map((p) => p.label))];
  const spec: vegaLite.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: options.title, anchor: 'start', fontSize: 15 },
    width: options.width ?? 560,
    height: 220,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: true, strokeWidth: 2.5 },
    encoding: {
      x: { field: 'label', type: 'ordinal', sort: order, title: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: null, axis: { tickMinStep: 1 } },
      color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'top' } },
    },
    config: { font: FONT, background: 'white', view: { stroke: null } },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return new Resvg(svg, {
      font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT },
      fitTo: { mode: 'zoom', value: 2 },
    })
      .render()
      .asPng();
  } finally {
    view.finalize();
  }
}

const BARS = '▁▂▃▄▅▆▇█';

/** The text fallback when a picture cannot be uploaded: "▁▃▅█" scaled to the series' own range. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return values
    .map((v) => {
      if (max === min) return max === 0 ? BARS[0] : BARS[3];
      return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))];
    })
    .join('');
}
