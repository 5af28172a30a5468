import { describe, expect, it } from 'vitest';
import { compareSlackTs } from '../../src/domain/slack-refs.ts';

describe('compareSlackTs', () => {
  it('orders timestamps exactly, also where a double could not tell them apart', () => {
    expect(compareSlackTs('1764000000.000100', '1764000000.000101')).toBeLessThan(0);
    expect(compareSlackTs('1764000000.000101', '1764000000.000100')).toBeGreaterThan(0);
    expect(compareSlackTs('1764000000.000100', '1764000000.000100')).toBe(0);
    expect(compareSlackTs('1764000001.000000', '1764000000.999999')).toBeGreaterThan(0);
    expect(compareSlackTs('999999999.999999', '1000000000.000000')).toBeLessThan(0);
    expect(compareSlackTs('1764000000.1', '1764000000.100000')).toBe(0);
  });
});
