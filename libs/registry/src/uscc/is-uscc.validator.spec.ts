import { validate } from 'class-validator';

import { IsUscc } from './is-uscc.validator';

class InstitutionForm {
  @IsUscc()
  uscc: unknown;
}

class FormWithOwnMessage {
  @IsUscc({ message: '统一社会信用代码不正确' })
  uscc: unknown;
}

class FormWithManyCodes {
  @IsUscc({ each: true })
  usccs: unknown[];
}

function form<T extends object>(type: new () => T, fields: Partial<T>): T {
  return Object.assign(new type(), fields);
}

async function messagesFor(target: object): Promise<string[]> {
  const errors = await validate(target);
  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('IsUscc', () => {
  it('passes a valid code', async () => {
    expect(await validate(form(InstitutionForm, { uscc: '91350100M000100Y43' }))).toEqual([]);
  });

  it.each([
    ['91350100M000100Y42', 'the check character (the 18th) is wrong'],
    ['91350100M000100Y4', 'it must be exactly 18 characters long'],
    ['91350100m000100Y43', 'it may contain only digits and upper-case letters other than I, O, S, V and Z'],
    ['9135A100M000100Y43', 'characters 3 to 8 must be a six-digit administrative division code'],
    [913501, 'it must be a string'],
  ])('refuses %j and says why', async (uscc, why) => {
    expect(await messagesFor(form(InstitutionForm, { uscc }))).toEqual([`uscc is not a valid unified social credit code (GB 32100-2015): ${why}`]);
  });

  it('uses the message given in the options', async () => {
    expect(await messagesFor(form(FormWithOwnMessage, { uscc: '91350100M000100Y42' }))).toEqual(['统一社会信用代码不正确']);
  });

  it('explains the first bad element when validating each element of an array', async () => {
    expect(await messagesFor(form(FormWithManyCodes, { usccs: ['91350100M000100Y43', '52430104MJ12345670'] }))).toEqual([
      'each value in usccs is not a valid unified social credit code (GB 32100-2015): ' + 'the check character (the 18th) is wrong',
    ]);
  });
});
