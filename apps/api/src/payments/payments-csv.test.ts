import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './payments-csv.js';

describe('csvCell', () => {
  it('quotes every text cell; null is an empty cell, numbers and flags stay bare', () => {
    expect(csvCell('Piano course')).toBe('"Piano course"');
    expect(csvCell('')).toBe('""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(3)).toBe('3');
  });

  it('keeps a semicolon or tab inside its cell, for spreadsheets that split on them (de, fr, nl)', () => {
    // Unquoted, a spreadsheet splitting on ";" or TAB would start a new cell with "=cmd".
    expect(csvCell('Course;=cmd|/c calc')).toBe('"Course;=cmd|/c calc"');
    expect(csvCell('Course\t=1+1')).toBe('"Course\t=1+1"');
    expect(csvLine(['a;b', 'c\td'])).toBe('"a;b","c\td"\r\n');
  });

  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell('+1')).toBe('"\'+1"');
    expect(csvCell('-2')).toBe('"\'-2"');
    expect(csvCell('@SUM(A1)')).toBe('"\'@SUM(A1)"');
    expect(csvCell('\tx')).toBe('"\'\tx"');
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
  });

  it('ends a line with CRLF', () => {
    expect(csvLine(['a', null, 'b,c'])).toBe('"a",,"b,c"\r\n');
  });
});
