import { describe, expect, it } from 'vitest';
import { normalizeLogin, passwordProblem } from '../../domain/password-policy';

describe('password policy', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblem('noodles all day long', 'zhou@example.com')).toBeNull();
  });

  it('refuses short passwords, counting characters rather than bytes', () => {
    expect(passwordProblem('short', 'zhou')).toMatch(/at least 10/);
    expect(passwordProblem('九个字的密码不够长啊', 'zhou')).toBeNull();
    expect(passwordProblem('八个字的密码不够', 'zhou')).toMatch(/at least 10/);
  });

  it('refuses the login itself, or its name part, in any case', () => {
    expect(passwordProblem('Zhou@Example.com', 'zhou@example.com')).toMatch(/login/);
    expect(passwordProblem('zhou.manager', 'Zhou.Manager@example.com')).toMatch(/login/);
  });

  it('refuses one repeated character', () => {
    expect(passwordProblem('aaaaaaaaaaaa', 'zhou')).toMatch(/different/);
  });

  it('logins compare without case or surrounding spaces', () => {
    expect(normalizeLogin('  Owner@Acme.COM ')).toBe('owner@acme.com');
  });
});
