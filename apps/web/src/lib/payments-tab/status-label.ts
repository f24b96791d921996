import { m } from '$lib/paraglide/messages';
import type { PaymentStatus } from './types';

/** A status in the member's language, as DESIGN.md names them. */
export function statusLabel(status: PaymentStatus): string {
  switch (status) {
    case 'complete':
      return m.crm_pay_status_complete();
    case 'confirmed_by_team_member':
      return m.crm_pay_status_confirmed();
    case 'processing':
      return m.crm_pay_status_processing();
    case 'returned':
      return m.crm_pay_status_returned();
    case 'cancelled':
      return m.crm_pay_status_cancelled();
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}
