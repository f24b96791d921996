import type { components } from '$lib/api/schema';

export type MemberRole = components['schemas']['Me']['role'];

/**
 * Whether the API lets this role change workspace settings (payment methods, pipelines, invitations,
 * API keys). The API decides; the UI only avoids offering a form it would refuse.
 */
export const managesSettings = (role: MemberRole) => role === 'owner' || role === 'admin';

/** Only the owner changes roles and removes members. */
export const managesTeam = (role: MemberRole) => role === 'owner';
