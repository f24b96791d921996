import type { components } from '$lib/api/schema';
import { m } from '$lib/paraglide/messages';

export type PaymentStatus = keyof components['schemas']['StageAutomations'];

/** In the order a payment usually travels, so the automation form reads like its life. */
export const paymentStatusesInOrder = [
  'processing',
  'complete',
  'confirmed_by_team_member',
  'cancelled',
  'returned',
] as const satisfies readonly PaymentStatus[];

export function paymentStatusLabel(status: PaymentStatus): string {
  switch (status) {
    case 'processing':
      return m.crm_settings_status_processing();
    case 'complete':
      return m.crm_settings_status_complete();
    case 'confirmed_by_team_member':
      return m.crm_settings_status_confirmed();
    case 'cancelled':
      return m.crm_settings_status_cancelled();
    case 'returned':
      return m.crm_settings_status_returned();
    default: {
      const unknown: never = status;
      return unknown;
    }
  }
}
