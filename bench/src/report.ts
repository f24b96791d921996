import type { Measurement } from './load';
import type { BenchReport, DriverResult, ScenarioResult } from './results';

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (ours: number, base: number | undefined) =>
  base === undefined || base === 0 ? '' : `${(ours / base).toFixed(2)}×`;

function cells(m: Measurement, unit: ScenarioResult['unit']) {
  return [
    fixed(m.requestsPerSecond, 0),
    unit === 'rows' ? '' : fixed(m.p50Ms, 1),
    unit === 'rows' ? '' : fixed(m.p99Ms, 1),
    fixed(m.cpuMsPerRequest, unit === 'rows' ? 4 : 2),
    fixed(m.statementsPerRequest, unit === 'rows' ? 3 : 1),
    fixed(m.residentMb, 0),
    m.non2xx + m.errors > 0 ? String(m.non2xx + m.errors) : '',
  ];
}

const header = [
  'scenario',
  'req/s',
  'p50 ms',
  'p99 ms',
  'CPU ms/req',
  'SQL/req',
  'RSS MB',
  'non-2xx',
  'req/s ÷ base',
  'CPU ÷ base',
];

function rows(driver: DriverResult): string[][] {
  const table: string[][] = [];
  for (const s of driver.scenarios) {
    table.push([
      s.title,
      ...cells(s.ours, s.unit),
      ratio(s.ours.requestsPerSecond, s.baseline?.requestsPerSecond),
      ratio(s.ours.cpuMsPerRequest, s.baseline?.cpuMsPerRequest),
    ]);
    if (s.baseline && s.id !== 'webhook-duplicate')
      table.push([`  baseline: ${s.baselineTitle}`, ...cells(s.baseline, s.unit), '', '']);
    else if (s.baseline) table.push([`  vs ${s.baselineTitle}`, '', '', '', '', '', '', '', '', '']);
  }
  return table;
}

function format(table: string[][]): string {
  const widths = header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  return table
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The one table `pnpm bench` prints: per driver, every scenario above its baseline. */
export function renderReport(report: BenchReport): string {
  const out: string[] = [];
  out.push(
    `pnpm bench ${report.startedAt} at ${report.revision}${report.quick ? ' (quick)' : ''}: ${report.settings.connections} connections, ` +
      `${report.settings.durationSeconds} s per run after ${report.settings.warmupSeconds} s warm-up; ` +
      `${report.machine.cpus} cores, load ${report.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}, Node ${report.machine.node}`,
  );
  for (const driver of report.drivers) {
    out.push('', `${driver.driver === 'pglite' ? 'PGlite' : 'PostgreSQL'} — ${driver.database}`);
    out.push(format([header, ...rows(driver)]));
    const w = driver.pageWeight;
    out.push(
      `payment page as transferred: HTML ${kb(w.htmlBytes)} (${w.html.encoding}), JS ${kb(w.jsBytes)}, CSS ${kb(w.cssBytes)} ` +
        `(${
          w.assets
            .map((a) => a.encoding)
            .filter((e, i, all) => all.indexOf(e) === i)
            .join('/') || 'none'
        }); ` +
        `${w.assets.filter((a) => a.path.endsWith('.js')).length || 'no'} scripts`,
    );
    const b = driver.brandedPageWeight;
    out.push(
      `  with a brand (accent colour and logo): HTML ${kb(b.htmlBytes)}, JS ${kb(b.jsBytes)}, CSS ${kb(b.cssBytes)}, ` +
        `JS + CSS ${kb(b.jsBytes + b.cssBytes)} of the 30 KB budget; the logo apart: ${kb(b.imageBytes)}`,
    );
    const c = driver.coldStart;
    out.push(
      `cold start to first health answer: ${fixed(c.startMs, 0)} ms with ${driver.sectionPayments.toLocaleString('en')} payments ` +
        `(first start, migrating a fresh database: ${fixed(c.firstStartMs, 0)} ms; baseline ${fixed(c.baselineStartMs, 0)} ms); ` +
        `idle RSS ${fixed(c.idleResidentMb, 0)} MB; seeding ${fixed(driver.seedSeconds, 1)} s`,
    );
  }
  return out.join('\n');
}
