import type { Measurement } from './load';
import type { PageWeight } from './page-weight';

export type ScenarioId =
  | 'click-through'
  | 'payment-page'
  | 'checkout'
  | 'webhook'
  | 'webhook-duplicate'
  | 'link-creation'
  | 'section-first'
  | 'section-deep'
  | 'section-filtered'
  | 'csv-export';

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  ours: Measurement;
  baselineTitle: string;
  baseline?: Measurement;
  /** Rows per second instead of requests per second (the CSV export). */
  unit: 'requests' | 'rows';
}

export interface DriverResult {
  driver: 'pglite' | 'postgres';
  database: string;
  scenarios: ScenarioResult[];
  pageWeight: PageWeight;
  /** The payment page of a workspace with an accent colour and a logo. */
  brandedPageWeight: PageWeight;
  coldStart: { firstStartMs: number; startMs: number; baselineStartMs: number; idleResidentMb: number };
  seedSeconds: number;
  sectionPayments: number;
  /** Webhooks the sandbox sent during checkout (to the bench's sink, not measured as checkout). */
  sandboxWebhooksSunk: number;
}

export interface BenchReport {
  startedAt: string;
  /** The commit measured, e.g. `693143a with uncommitted changes`. */
  revision: string;
  quick: boolean;
  machine: { cpus: number; node: string; loadAverage: number[] };
  settings: { durationSeconds: number; warmupSeconds: number; connections: number };
  drivers: DriverResult[];
}
