import { describe, expect, it } from 'vitest';
import { refusal } from './form-problem';

describe('refusal', () => {
  it('puts an issue beside the field it names, by the dotted path’s last part', () => {
    const result = refusal(
      {
        code: 'invalid',
        detail: 'Invalid input',
        errors: [{ code: 'too_small', field: 'body.name', message: 'Too short' }],
      },
      { name: '' },
      ['name', 'email'],
    );
    expect(result).toEqual({ values: { name: '' }, fieldErrors: { name: 'Too short' } });
  });

  it('keeps a problem without a known field as the form’s message', () => {
    const result = refusal({ code: 'email_taken', field: 'owner', detail: 'Taken' }, {}, ['email']);
    expect(result.message).toBe('Taken');
    expect(result.fieldErrors).toEqual({});
  });

  it('uses the detail for a single problem with a field', () => {
    const result = refusal(
      { code: 'email_taken', field: 'email', detail: 'This email already has an account.' },
      {},
      ['email'],
    );
    expect(result.fieldErrors).toEqual({ email: 'This email already has an account.' });
  });
});
