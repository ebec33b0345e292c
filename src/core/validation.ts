import type { z } from 'zod';
import { ActionError, clip } from './errors.js';
import type { BadItems } from './list-bound.js';

/** One field problem, as sent in a 400's `details`. */
export interface FieldProblem {
  /** Dotted path of the field (`items.0.qty`), or `(input)` for the whole input. */
  field: string;
  /** What is wrong, in words a model can act on. */
  problem: string;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 60 ? `"${value.slice(0, 57)}…"` : `"${value}"`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

const FORMAT_WORDS: Record<string, string> = {
  date: 'a date as YYYY-MM-DD',
  datetime: 'an ISO 8601 date-time such as 2026-03-01T09:30:00Z',
  time: 'a time as HH:MM or HH:MM:SS',
  email: 'an email address',
  url: 'a URL',
  uuid: 'a UUID',
  regex: 'text',
};

function explain(issue: z.core.$ZodIssue, input: unknown): string {
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (got === undefined) return `is required (${expected})`;
      return `expected ${expected}, got ${describeValue(got)}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(got)}`;
    case 'too_small':
    case 'too_big': {
      const word = issue.code === 'too_small' ? (issue.inclusive === false ? 'more than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
      return `must be ${word} ${String(issue.code === 'too_small' ? issue.minimum : issue.maximum)}${unit}, got ${describeValue(got)}`;
    }
    case 'invalid_format': {
      // A message given in the schema (`.regex(re, 'digits only')`) says it best; zod's defaults start "Invalid".
      if (!issue.message.startsWith('Invalid')) return `${issue.message}, got ${describeValue(got)}`;
      const pattern = issue.format === 'regex' && 'pattern' in issue ? ` matching ${String(issue.pattern)}` : '';
      return `must be ${FORMAT_WORDS[issue.format] ?? `a valid ${issue.format}`}${pattern}, got ${describeValue(got)}`;
    }
    default:
      return `${issue.message}, got ${describeValue(got)}`;
  }
}

// However large the input, a 400 stays small: the first problems are named, the rest counted, and
// names and texts echoed from the input are cut.
/** Most problems named in the message. */
const MESSAGE_PROBLEMS = 10;
/** Most problems listed in `details`. */
const DETAIL_PROBLEMS = 50;
const FIELD_CHARS = 200;
const PROBLEM_CHARS = 300;

/**
 * Turns zod's issues into one 400 that lists the field problems in plain words: every one when there are
 * few, else the first ones (50 in `details`, 10 in the message) and how many more there are.
 */
export function validationError(operation: string, error: z.ZodError, input: unknown): ActionError {
  const issues = error.issues;
  const problems: FieldProblem[] = issues.slice(0, DETAIL_PROBLEMS).map((issue) => ({
    field: issue.path.length ? clip(issue.path.map(String).join('.'), FIELD_CHARS) : '(input)',
    problem: clip(explain(issue, input), PROBLEM_CHARS),
  }));
  const named = problems.slice(0, MESSAGE_PROBLEMS).map((p) => `${p.field} ${p.problem}`);
  if (issues.length > named.length) named.push(`and ${issues.length - named.length} more (${issues.length} problems in all)`);
  return new ActionError(400, `Invalid input for ${operation}: ${named.join('; ')}. Fix ${issues.length === 1 ? 'this field' : 'these fields'} and call again.`, {
    code: 'VALIDATION_FAILED',
    details: problems,
  });
}

/** The 400 for a list refused before validation: its first wrong items, and how many there are. */
export function badItemsError(operation: string, field: string, refused: BadItems): ActionError {
  const name = clip(field, FIELD_CHARS);
  const problems: FieldProblem[] = refused.first.map((b) => ({
    field: `${name}.${b.index}${b.at ? `.${b.at}` : ''}`,
    problem: clip(b.got === undefined ? `is required (${b.expected})` : `expected ${b.expected}, got ${describeValue(b.got)}`, PROBLEM_CHARS),
  }));
  const more = refused.badCount - problems.length;
  return new ActionError(
    400,
    `Invalid input for ${operation}: ${refused.badCount} of the ${refused.total} items of ${name} are wrong: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}${more > 0 ? `; and ${more} more` : ''}. Fix the list and call again.`,
    { code: 'VALIDATION_FAILED', details: problems },
  );
}
