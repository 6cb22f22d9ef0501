import { Summary, num } from './lib/measure';

/** One group of bars: a Dockerfile and its build timings. */
export interface ChartGroup {
  label: string;
  bars: { series: number; summary: Summary | undefined }[];
}

export interface ChartSpec {
  title: string;
  subtitle: string;
  unit: string;
  series: { name: string; color: string }[];
  groups: ChartGroup[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A horizontal grouped bar chart as SVG: one bar per series in each group, the median as the
 * bar, min–max as a whisker, the median written after it. No dependencies.
 */
export function barChart(spec: ChartSpec): string {
  const width = 820;
  const labelWidth = 190;
  const valueWidth = 70;
  const plotWidth = width - labelWidth - valueWidth - 20;
  const barHeight = 14;
  const barGap = 3;
  const groupGap = 18;
  const top = 78;
  const groupHeight = spec.series.length * (barHeight + barGap) - barGap;
  const height = top + spec.groups.length * (groupHeight + groupGap) + 26;
  const max = Math.max(
    1e-9,
    ...spec.groups.flatMap((group) => group.bars.map((bar) => (bar.summary ? Math.max(bar.summary.max, bar.summary.median) : 0))),
  );
  const step = niceStep(max);
  const x = (value: number) => labelWidth + (value / (Math.ceil(max / step) * step)) * plotWidth;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600" fill="#1f2328">${escape(spec.title)}</text>`,
    `<text x="16" y="44" fill="#57606a">${escape(spec.subtitle)}</text>`,
  );
  spec.series.forEach((series, i) => {
    const lx = labelWidth + i * 200;
    out.push(
      `<rect x="${lx}" y="54" width="12" height="12" fill="${series.color}"/>`,
      `<text x="${lx + 18}" y="64" fill="#1f2328">${escape(series.name)}</text>`,
    );
  });
  const plotBottom = height - 26;
  for (let i = 0; i * step <= max + step / 2; i++) {
    const tick = Number((i * step).toPrecision(6));
    const tx = x(tick);
    out.push(
      `<line x1="${tx.toFixed(1)}" y1="${top - 4}" x2="${tx.toFixed(1)}" y2="${plotBottom}" stroke="#d0d7de" stroke-width="${tick === 0 ? 1 : 0.5}"/>`,
      `<text x="${tx.toFixed(1)}" y="${plotBottom + 14}" text-anchor="middle" fill="#57606a">${Number.isInteger(tick) ? tick : num(tick)}${spec.unit}</text>`,
    );
  }
  spec.groups.forEach((group, g) => {
    const gy = top + g * (groupHeight + groupGap);
    out.push(
      `<text x="${labelWidth - 10}" y="${gy + groupHeight / 2 + 4}" text-anchor="end" fill="#1f2328">${escape(group.label)}</text>`,
    );
    group.bars.forEach((bar, b) => {
      const by = gy + b * (barHeight + barGap);
      const color = spec.series[bar.series].color;
      if (!bar.summary) {
        out.push(`<text x="${labelWidth + 4}" y="${by + barHeight - 3}" fill="#57606a">not measured</text>`);
        return;
      }
      const { median, min, max: high } = bar.summary;
      const bx = x(median);
      out.push(
        `<rect x="${labelWidth}" y="${by}" width="${Math.max(1, bx - labelWidth).toFixed(1)}" height="${barHeight}" fill="${color}"/>`,
      );
      if (bar.summary.runs > 1 && high > min) {
        const wy = by + barHeight / 2;
        out.push(
          `<line x1="${x(min).toFixed(1)}" y1="${wy}" x2="${x(high).toFixed(1)}" y2="${wy}" stroke="#1f2328" stroke-width="1"/>`,
          `<line x1="${x(min).toFixed(1)}" y1="${wy - 3}" x2="${x(min).toFixed(1)}" y2="${wy + 3}" stroke="#1f2328" stroke-width="1"/>`,
          `<line x1="${x(high).toFixed(1)}" y1="${wy - 3}" x2="${x(high).toFixed(1)}" y2="${wy + 3}" stroke="#1f2328" stroke-width="1"/>`,
        );
      }
      out.push(
        `<text x="${(Math.max(bx, x(high)) + 5).toFixed(1)}" y="${by + barHeight - 3}" fill="#1f2328">${num(median)}${spec.unit}</text>`,
      );
    });
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** 1, 2 or 5 times a power of ten, giving about five grid lines. */
function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? 10 * power;
}
