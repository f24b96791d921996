import { m } from '$lib/paraglide/messages';

/** The settings tabs: each a URL of its own, so they work without JavaScript and can be linked. */
export const settingsSections = [
  {
    href: '/settings/payment-methods',
    label: m.crm_settings_nav_payment_methods,
    summary: m.crm_settings_payment_methods_summary,
  },
  {
    href: '/settings/pipelines',
    label: m.crm_settings_nav_pipelines,
    summary: m.crm_settings_pipelines_summary,
  },
  {
    href: '/settings/courses',
    label: m.crm_edu_settings_nav_courses,
    summary: m.crm_edu_settings_courses_summary,
  },
  {
    href: '/settings/branding',
    label: m.crm_settings_nav_branding,
    summary: m.crm_settings_branding_summary,
  },
  {
    href: '/settings/email',
    label: m.crm_settings_nav_email,
    summary: m.crm_settings_email_summary,
  },
  { href: '/settings/team', label: m.crm_settings_nav_team, summary: m.crm_settings_team_summary },
  {
    href: '/settings/api-keys',
    label: m.crm_settings_nav_api_keys,
    summary: m.crm_settings_api_keys_summary,
  },
  {
    href: '/settings/webhooks',
    label: m.crm_settings_nav_webhooks,
    summary: m.crm_settings_webhooks_summary,
  },
];
