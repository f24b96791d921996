import { daysLeft, type LinkState, linkState } from '@paylinks/core';
import {
  contacts,
  linkMails,
  type MailLanguage,
  type PaylinksExecutor,
  paymentLinks,
  payments,
  workspaces,
} from '@paylinks/db';
import { and, eq, sql } from 'drizzle-orm';

/** What a mail about a link is written from and checked against, read in one statement. */
export interface LinkMailFacts {
  linkId: string;
  token: string;
  description: string;
  amountMinor: bigint;
  currency: string;
  state: LinkState;
  /** Null for a link that does not expire. */
  daysLeft: number | null;
  expiresAt: Date | null;
  hasSuccessfulPayment: boolean;
  payerName: string | null;
  /** The addresses the workspace stored: the link's payer email (chosen from the contact) and the contact's. */
  storedEmails: string[];
  /** Where this link was last mailed (typed by a team member), the reminder's first choice. */
  lastMailedTo: string | null;
  language: MailLanguage;
}

export async function loadLinkMailFacts(
  db: PaylinksExecutor,
  workspaceId: string,
  linkId: string,
  now: Date,
): Promise<LinkMailFacts | undefined> {
  const [row] = await db
    .select({
      linkId: paymentLinks.id,
      token: paymentLinks.token,
      origin: paymentLinks.origin,
      description: paymentLinks.description,
      amountMinor: paymentLinks.amountMinor,
      currency: paymentLinks.currency,
      expiresAt: paymentLinks.expiresAt,
      deletedAt: paymentLinks.deletedAt,
      payerName: paymentLinks.payerName,
      payerEmail: paymentLinks.payerEmail,
      contactName: contacts.name,
      contactEmail: contacts.email,
      contactLanguage: contacts.language,
      defaultLanguage: workspaces.defaultLanguage,
      hasSuccessfulPayment: sql<boolean>`exists (select 1 from ${payments}
        where ${payments.workspaceId} = ${paymentLinks.workspaceId} and ${payments.linkId} = ${paymentLinks.id}
          and ${payments.status} in ('complete', 'confirmed_by_team_member'))`,
      lastMailedTo: sql<string | null>`(select ${linkMails.recipient} from ${linkMails}
        where ${linkMails.workspaceId} = ${paymentLinks.workspaceId} and ${linkMails.linkId} = ${paymentLinks.id}
          and ${linkMails.kind} = 'link' and ${linkMails.status} = 'sent'
        order by ${linkMails.sentAt} desc limit 1)`,
    })
    .from(paymentLinks)
    .innerJoin(
      contacts,
      and(eq(contacts.workspaceId, paymentLinks.workspaceId), eq(contacts.id, paymentLinks.contactId)),
    )
    .innerJoin(workspaces, eq(workspaces.id, paymentLinks.workspaceId))
    .where(and(eq(paymentLinks.workspaceId, workspaceId), eq(paymentLinks.id, linkId)));
  if (!row) return undefined;
  const storedEmails = [row.payerEmail, row.contactEmail].filter(
    (email, index, all): email is string => !!email && all.indexOf(email) === index,
  );
  return {
    linkId: row.linkId,
    token: row.token,
    description: row.description,
    amountMinor: row.amountMinor,
    currency: row.currency,
    state: linkState(
      {
        origin: row.origin,
        deletedAt: row.deletedAt,
        expiresAt: row.expiresAt,
        hasSuccessfulPayment: row.hasSuccessfulPayment,
      },
      now,
    ),
    daysLeft: daysLeft(row.expiresAt, now),
    expiresAt: row.expiresAt,
    hasSuccessfulPayment: row.hasSuccessfulPayment,
    payerName: row.payerName ?? row.contactName,
    storedEmails,
    lastMailedTo: row.lastMailedTo,
    language: (row.contactLanguage ?? row.defaultLanguage) as MailLanguage,
  };
}
