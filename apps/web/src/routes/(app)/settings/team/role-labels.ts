import { m } from '$lib/paraglide/messages';
import type { MemberRole } from '$lib/settings/roles';

export function roleLabel(role: MemberRole): string {
  switch (role) {
    case 'owner':
      return m.crm_settings_role_owner();
    case 'admin':
      return m.crm_settings_role_admin();
    case 'member':
      return m.crm_settings_role_member();
    default: {
      const unknown: never = role;
      return unknown;
    }
  }
}
