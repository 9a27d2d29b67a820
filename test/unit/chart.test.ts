import { describe, expect, it } from 'vitest';
import { renderTrendChart } from '../../src/digest/chart.js';
import { sparkline } from '../../src/text/sparkline.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('renderTrendChart', () => {
  it('renders an eight-week trend to a PNG picture', async () => {
    const points = Array.from({ length: 8 }, (_, i) => [
      { label: `W${i + 1}`, series: 'Received', value: 5 + i },
      { label: `W${i + 1}`, series: 'Resolved', value: 3 + (i % 3) },
    ]).flat();
    const png = await renderTrendChart(points, { title: 'Billing: feedback per week' });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(800); // rendered at 2x for sharp text
    expect(height).toBeGreaterThan(300);
    expect(png.length).toBeGreaterThan(10_000); // lines, labels and legend, not a blank image
  });

  it('renders an all-zero series without failing', async () => {
    const png = await renderTrendChart([{ label: 'W1', series: 'Received', value: 0 }], { title: 'Empty' });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });
});

describe('sparkline', () => {
  it('scales values to the bar characters', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([3, 3, 3])).toBe('▄▄▄');
    expect(sparkline([0, 0])).toBe('▁▁');
    expect(sparkline([])).toBe('');
  });
});
