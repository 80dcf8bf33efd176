import { isCommonPassword } from './common-passwords';

describe('isCommonPassword', () => {
  it.each(['password', 'Password1', 'QWERTY123', 'iloveyou', '12345678'])('refuses %s, in any case', (password) => {
    expect(isCommonPassword(password)).toBe(true);
  });

  it.each(['parent-password', 'Lush-Orbit-42-Kettle'])('lets %s through', (password) => {
    expect(isCommonPassword(password)).toBe(false);
  });
});
