import type { Money } from './money.js';
import type { PaymentStatus } from './payment-status.js';

/** One choice a link form offers, e.g. a paid course. */
export type PaymentTypeOption = {
  id: string;
  label: string;
  /** Shown in the form; the authoritative amount comes from resolveOption when the link is made. */
  amount: Money;
  description: string;
};

/** What a chosen option puts on the link. */
export type ResolvedPaymentOption = { amount: Money; description: string };

/** A refusal the API answers with 422 (or 404 for `*_not_found`), naming the field at fault. */
export type PaymentTypeError = { code: string; field: string; message: string };

export type PaymentTypeResult<T> = { ok: true; value: T } | { ok: false; error: PaymentTypeError };

/** What the hooks learn about the payment whose status just changed. */
export type PaymentTypeFacts = {
  workspaceId: string;
  paymentId: string;
  linkId: string;
  contactId: string;
  /** The status the payment has just moved into, and when (the app's clock). */
  status: PaymentStatus;
  at: Date;
  /** The link's type data: `{ [optionField]: optionId }`, as stored when the link was made. */
  typeData: Record<string, unknown>;
};

/**
 * What the app hands a type plugin. `db` is the app's drizzle executor (the plugin queries its own
 * tables with it); `workspaceId(c)` is the signed-in caller's workspace for a request; `http` is
 * the app's toolkit for routes (router factory, text schema, problems), so the plugin answers
 * like every other area without importing the app. All three are typed by the plugin, because
 * core knows neither drizzle nor Hono.
 */
export type PaymentTypeContext<Db, RequestContext = unknown, Http = unknown> = {
  db: Db;
  workspaceId(c: RequestContext): string;
  http: Http;
  /** Whether the workspace has this contact, so a plugin answers 404 for another workspace's. */
  contactExists(workspaceId: string, contactId: string): Promise<boolean>;
  /** Whether any payment link (deleted ones too) of this type names the option. */
  optionInUse(workspaceId: string, optionId: string): Promise<boolean>;
};

/**
 * A payment-type plugin: a factory returns this plain object. The app mounts `routes` under
 * `/api/<id>/` behind member auth, applies `migrations` after its own, offers `options` in the
 * link form, calls `resolveOption` when a link of this type is made, and runs the hooks in the
 * same transaction as the status change.
 */
export type PaymentTypePlugin<
  Db = unknown,
  Tx = unknown,
  RequestContext = unknown,
  Http = unknown,
  Router = unknown,
> = {
  /** Also the link's `type`, the URL segment of its routes and the suffix of its migrations table. */
  id: string;
  label: string;
  /** The link-creation field that carries the chosen option's id (e.g. `courseId`). */
  optionField: string;
  /** drizzle-kit's output folder for the plugin's own schema; omitted when it owns no tables. */
  migrations?: { folder: string; table: string };
  /** A Hono router; the app mounts it under `/api/<id>/`. */
  routes?(ctx: PaymentTypeContext<Db, RequestContext, Http>): Router;
  options(
    ctx: PaymentTypeContext<Db, RequestContext, Http>,
    workspaceId: string,
  ): Promise<PaymentTypeOption[]>;
  // Takes the id the form posted, not an option object, and may fail: the option may have been
  // withdrawn (unpublished, deleted) between rendering the form and submitting it.
  resolveOption(
    ctx: PaymentTypeContext<Db, RequestContext, Http>,
    workspaceId: string,
    optionId: string,
  ): Promise<PaymentTypeResult<ResolvedPaymentOption>>;
  /** Into `complete` or `confirmed_by_team_member`; inside the status change's transaction. */
  onPaymentSucceeded?(tx: Tx, facts: PaymentTypeFacts): Promise<void>;
  /** Into `returned`; inside the status change's transaction. */
  onPaymentReturned?(tx: Tx, facts: PaymentTypeFacts): Promise<void>;
};
