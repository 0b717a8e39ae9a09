import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * Where JSON text first goes wrong, or undefined when it is valid. JSON.parse decides validity but, on Node 20, no
 * longer says where; jsonc-parser in its strict mode (no comments, no trailing commas) finds the offset.
 */
export function findJsonError(text: string): { offset: number; message: string } | undefined {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return undefined;
  // "PropertyNameExpected" → "property name expected".
  const message = printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return { offset: first.offset, message };
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
