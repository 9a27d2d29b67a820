import { createRequire } from 'node:module';
import type { Mark, Spec } from 'vega';

/**
 * The eight-week trend as a picture: a Vega spec describes the chart, Vega renders it to SVG without a
 * browser or canvas, resvg turns the SVG into a PNG. The font ships with the app (dejavu-fonts-ttf), so
 * the labels look the same on any server, with or without system fonts.
 * Vega and resvg are loaded at the first chart, not at start-up: together they are most of the app's idle
 * memory and start-up time, and a process may never draw a chart (charts off, or no digest due yet).
 */

export type TrendPoint = { label: string; series: string; value: number };

const require = createRequire(import.meta.url);
const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT = 'DejaVu Sans';

/** One line with a dot per week for each series. */
function seriesMarks(): Mark[] {
  const at = { x: { scale: 'x', field: 'label' }, y: { scale: 'y', field: 'value' } };
  return [
    {
      type: 'group',
      from: { facet: { name: 'series', data: 'points', groupby: 'series' } },
      marks: [
        {
          type: 'line',
          from: { data: 'series' },
          encode: {
            enter: { ...at, stroke: { scale: 'color', field: 'series' }, strokeWidth: { value: 2.5 } },
          },
        },
        {
          type: 'symbol',
          from: { data: 'series' },
          encode: { enter: { ...at, fill: { scale: 'color', field: 'series' }, size: { value: 40 } } },
        },
      ],
    },
  ];
}

function trendSpec(points: readonly TrendPoint[], options: { title: string; width?: number }): Spec {
  const labels = [...new Set(points.map((p) => p.label))];
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: options.width ?? 560,
    height: 220,
    padding: 12,
    background: 'white',
    title: { text: options.title, anchor: 'start', fontSize: 15, font: FONT },
    config: { text: { font: FONT }, axis: { labelFont: FONT }, legend: { labelFont: FONT } },
    data: [{ name: 'points', values: points.map((p) => ({ ...p })) }],
    scales: [
      { name: 'x', type: 'point', domain: labels, range: 'width', padding: 0.4 },
      {
        name: 'y',
        type: 'linear',
        domain: { data: 'points', field: 'value' },
        range: 'height',
        nice: true,
        zero: true,
      },
      { name: 'color', type: 'ordinal', domain: { data: 'points', field: 'series' }, range: 'category' },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', labelAngle: 0 },
      { orient: 'left', scale: 'y', grid: true, tickMinStep: 1 },
    ],
    legends: [{ fill: 'color', orient: 'top', direction: 'horizontal' }],
    marks: seriesMarks(),
  };
}

export async function renderTrendChart(
  points: readonly TrendPoint[],
  options: { title: string; width?: number },
): Promise<Buffer> {
  const spec = trendSpec(points, options);
  const [vega, { Resvg }] = await Promise.all([import('vega'), import('@resvg/resvg-js')]);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
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
