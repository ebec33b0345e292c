// The upload checks on open inputs: any name becomes a safe one, and only strict base64 decodes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isActionError } from 'bedrock-action-groups';
import { safeFileName } from 'bedrock-action-groups/documents';
import { checkBlobKey } from '../../../src/stores/blob-types.ts';
import { decodeBase64 } from '../../../src/packs/documents/file-checks.ts';

const statusOf = (run: () => unknown): number | undefined => {
  try {
    run();
  } catch (error) {
    if (isActionError(error)) return error.status;
    throw error;
  }
  return undefined;
};

describe('safeFileName', () => {
  it('keeps ordinary names and their extension', () => {
    expect(safeFileName('Factura marzo.pdf')).toBe('Factura marzo.pdf');
    expect(safeFileName('informe.final.v2.DOCX')).toBe('informe.final.v2.DOCX');
    expect(safeFileName('  reseña  año.csv ')).toBe('reseña año.csv');
  });

  it('keeps only the last path part and drops what a file system or a terminal would read', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Windows\\system32\\cmd.exe')).toBe('cmd.exe');
    expect(safeFileName('..')).toBe('archivo');
    expect(safeFileName('a\u0000b\u001b[31m.txt')).toBe('ab[31m.txt');
    expect(safeFileName('factura\u202egpj.exe')).toBe('facturagpj.exe');
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
    expect(safeFileName('nul')).toBe('_nul');
    expect(safeFileName('what?<is>|this*.pdf')).toBe('whatisthis.pdf');
  });

  it('cuts long names to 200 characters, extension kept', () => {
    const name = safeFileName(`${'a'.repeat(500)}.pdf`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.pdf')).toBe(true);
  });

  it('always gives a non-empty name of at most 200 characters that is a valid last key segment', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (input) => {
        const name = safeFileName(input);
        expect(name.length).toBeGreaterThan(0);
        expect([...name].length).toBeLessThanOrEqual(200);
        expect(name).not.toMatch(/[\\/\u0000-\u001f\u007f<>:"|?*]/);
        expect(name).not.toMatch(/^[.\s]|[.\s]$/);
        expect(() => checkBlobKey(`00000000-0000-4000-8000-000000000000_${name}`)).not.toThrow();
        expect((name as string & { isWellFormed(): boolean }).isWellFormed()).toBe(true);
        expect(safeFileName(name)).toBe(name);
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeBase64', () => {
  it('round-trips any bytes, with or without a data URL prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.boolean(), (bytes, prefixed) => {
        const text = Buffer.from(bytes).toString('base64');
        const decoded = decodeBase64(prefixed ? `data:text/plain;charset=utf-8;base64,${text}` : text, 1000);
        expect(Buffer.from(decoded.bytes)).toEqual(Buffer.from(bytes));
        expect(decoded.declared).toBe(prefixed ? 'text/plain' : undefined);
      }),
    );
  });

  it('refuses anything with a character outside strict base64 (400), and sizes over the limit before decoding (413)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3, maxLength: 60 }), fc.constantFrom('$', ' ', '\n', '-', '_', '.', 'ñ', '=A'), fc.nat(), (bytes, stray, at) => {
        const text = Buffer.from(bytes).toString('base64');
        const i = at % text.length;
        expect(statusOf(() => decodeBase64(text.slice(0, i) + stray + text.slice(i), 1000))).toBe(400);
      }),
    );
    expect(statusOf(() => decodeBase64(Buffer.alloc(11).toString('base64'), 10))).toBe(413);
    expect(statusOf(() => decodeBase64(Buffer.alloc(10).toString('base64'), 10))).toBeUndefined();
    expect(statusOf(() => decodeBase64('', 10))).toBe(400);
  });
});
