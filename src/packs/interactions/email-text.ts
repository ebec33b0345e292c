import { compile, type HtmlToTextOptions } from 'html-to-text';
import { htmlShape } from '../../text/html-shape.js';

/**
 * Longest message body read, in UTF-16 code units (512 KiB); the rest is cut and `[message truncated]`
 * appended, so one huge email cannot stall the thread. The cut never splits a run of digits (a card).
 */
export const MAX_EMAIL_CHARS = 512 * 1024;
/** Deepest HTML nesting converted; a deeper message is refused (its parse would be quadratic, then overflow the stack). */
export const MAX_HTML_DEPTH = 256;
/** Table rows and cells beyond which tables are laid out as plain blocks (html-to-text's grid is quadratic in them). */
const MAX_TABLE_PARTS = 2000;
/** Largest `colspan`/`rowspan` laid out as a grid. */
const MAX_TABLE_SPAN = 50;
const TRUNCATED = '[message truncated]';

/**
 * What an agent should read of one email: its own words, without the quoted history or the signature.
 *
 * HTML is turned into text with html-to-text, dropping what mail clients mark as quoted or as a
 * signature (`<blockquote>`, Gmail's `gmail_quote` / `gmail_signature`, Yahoo's `yahoo_quoted`, Outlook's
 * `Signature` block), images and link targets. Then a line heuristic, for Spanish and English mail:
 *
 * - the text is cut at the first reply header: "El … escribió:" / "On … wrote:" (on one or two lines),
 *   "-----Mensaje original-----" / "-----Original Message-----", or an Outlook header block (a line
 *   "De:" / "From:" followed within three lines by "Enviado:" / "Sent:" / "Fecha:" / "Date:");
 * - lines quoted with `>` are dropped;
 * - the signature is cut: from a `--` line, or a mobile footer ("Enviado desde mi iPhone", "Sent from
 *   my …", "Get Outlook for …"), and after a closing ("Saludos", "Saludos cordiales", "Un saludo",
 *   "Atentamente", "Cordialmente", "Best regards", "Kind regards", "Regards", "Best wishes", "Cheers")
 *   found among the last six non-empty lines and followed only by short lines (name, title, phone);
 *   the closing itself is kept.
 *
 * "Gracias" / "Thanks" are not treated as closings: they are often part of the message.
 * Forwarded messages ("---------- Mensaje reenviado ----------") are kept: there the quote is the content.
 *
 * Linear in the body, which is hostile input (anyone can email the inbox): at most {@link MAX_EMAIL_CHARS}
 * are read (then `[message truncated]`); HTML is pre-scanned in one pass, tables too large for a grid
 * (over 2 000 rows and cells, or a span over 50) are read row by row and cell by cell, and HTML nested
 * deeper than {@link MAX_HTML_DEPTH} throws {@link UnreadableEmailError}.
 */
export function emailText(body: string, isHtml: boolean): string {
  const capped = capBody(body, isHtml);
  const text = isHtml ? htmlToText(capped) : capped.replace(/\r\n?/g, '\n');
  const clean = tidy(cutSignature(cutQuotedReply(text.split('\n'))));
  return capped.length < body.length ? `${clean}\n\n${TRUNCATED}`.trimStart() : clean;
}

/**
 * The first {@link MAX_EMAIL_CHARS} of `body`, backed off to before a trailing run of digits, spaces and
 * dashes (a card cut in two would escape redaction) and, in HTML, before an unfinished tag or entity.
 */
function capBody(body: string, isHtml: boolean): string {
  if (body.length <= MAX_EMAIL_CHARS) return body;
  let end = MAX_EMAIL_CHARS;
  if (isHtml) {
    const tag = body.lastIndexOf('<', end - 1);
    if (tag > body.lastIndexOf('>', end - 1)) end = tag;
    const entity = body.lastIndexOf('&', end - 1);
    if (entity >= end - ENTITY_MAX && body.lastIndexOf(';', end - 1) < entity) end = entity;
  }
  for (let c = body.charCodeAt(end - 1); end > 0 && ((c >= 48 && c <= 57) || c === 32 || c === 45); c = body.charCodeAt(end - 1)) end--;
  return body.slice(0, end);
}

/** Longest named or numeric character reference looked back for at the cut (`&CounterClockwiseContourIntegral;` is 33). */
const ENTITY_MAX = 40;

/**
 * Thrown by {@link emailText} for HTML nested deeper than {@link MAX_HTML_DEPTH}: no linear conversion
 * exists with this converter, and the caller shows a placeholder instead.
 */
export class UnreadableEmailError extends Error {
  constructor(reason: string) {
    super(`email could not be read: ${reason}`);
    this.name = 'UnreadableEmailError';
  }
}

function htmlToText(html: string): string {
  const shape = htmlShape(html, MAX_HTML_DEPTH);
  if (shape.depth > MAX_HTML_DEPTH) throw new UnreadableEmailError(`HTML nested deeper than ${MAX_HTML_DEPTH} elements`);
  return (shape.tableParts > MAX_TABLE_PARTS || shape.maxSpan > MAX_TABLE_SPAN ? blockTablesToText : gridTablesToText)(html);
}

const COMMON: HtmlToTextOptions = {
  wordwrap: false,
  // Belt and braces behind the pre-scan: bounded depth, siblings and input.
  limits: { maxDepth: MAX_HTML_DEPTH, maxChildNodes: 20_000, maxInputLength: MAX_EMAIL_CHARS, ellipsis: '…' },
};
const SELECTORS: NonNullable<HtmlToTextOptions['selectors']> = [
  { selector: 'a', options: { ignoreHref: true } },
  { selector: 'img', format: 'skip' },
  { selector: 'blockquote', format: 'skip' },
  { selector: '.gmail_quote', format: 'skip' },
  { selector: '.gmail_signature', format: 'skip' },
  { selector: '.yahoo_quoted', format: 'skip' },
  { selector: '#Signature', format: 'skip' },
  { selector: 'h1', options: { uppercase: false } },
  { selector: 'h2', options: { uppercase: false } },
  { selector: 'h3', options: { uppercase: false } },
];
/** Tables as grids: what a reader sees. */
const gridTablesToText = compile({ ...COMMON, selectors: [...SELECTORS, { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } }] });
/** Tables too large (or with spans too wide) for a grid: each row a block, each cell a line. */
const blockTablesToText = compile({
  ...COMMON,
  selectors: [...SELECTORS, ...['table', 'tr', 'td', 'th'].map((selector) => ({ selector, format: 'block', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } }))],
});

/*
 * Every pattern below is linear in its line: lines are matched after trimming where a pattern would
 * otherwise put two whitespace quantifiers side by side (`\s*…\s*$` backtracks quadratically on a long
 * blank run that ends in a non-blank), and trailing blanks are cut with a loop, not `[ \t]+$`.
 */
const REPLY_HEADER = /^\s*(?:El|On)\s.{0,300}\s(?:escribió|wrote)\s*:\s*$/i;
const REPLY_HEADER_START = /^\s*(?:El|On)\s/i;
const REPLY_HEADER_END = /(?:^|\s)(?:escribió|wrote)\s*:\s*$/i;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(?:Mensaje original|Original Message)\s*-{2,}\s*$/i;
const HEADER_FROM = /^\s*\*?(?:De|From)\s*:/i;
const HEADER_SENT = /^\s*\*?(?:Enviado(?: el)?|Sent|Fecha|Date)\s*:/i;
const QUOTED = /^\s*>/;

function isReplyHeader(lines: readonly string[], i: number): boolean {
  const line = lines[i] as string;
  if (REPLY_HEADER.test(line) || ORIGINAL_MESSAGE.test(line)) return true;
  // Clients wrap a long header: "El lun, 3 jun 2024 a las 10:00, Ana <ana@x.com>" / "escribió:".
  if (REPLY_HEADER_START.test(line) && line.length <= 300 && REPLY_HEADER_END.test(lines[i + 1] ?? '')) return true;
  if (HEADER_FROM.test(line)) {
    for (let j = i + 1; j <= i + 3 && j < lines.length; j++) if (HEADER_SENT.test(lines[j] as string)) return true;
  }
  return false;
}

/** The lines before the first reply header, without `>`-quoted lines. */
function cutQuotedReply(lines: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isReplyHeader(lines, i)) break;
    if (!QUOTED.test(lines[i] as string)) kept.push(lines[i] as string);
  }
  // Outlook puts a rule (underscores, or an <hr> rendered as dashes) above its header block.
  while (kept.length && isBlankOrRule(kept[kept.length - 1] as string)) kept.pop();
  return kept;
}

const RULE = /^[-_=]{10,}$/;
const isBlankOrRule = (line: string): boolean => {
  const t = line.trim();
  return t === '' || RULE.test(t);
};

const SIGNATURE_MARK = /^(?:--\s*|\s*(?:Enviado desde|Sent from|Get Outlook for|Obtener Outlook para|Descargar Outlook para)\b.*)$/i;
const CLOSING = /^(?:saludos(?: cordiales)?|un saludo(?: cordial)?|atentamente|cordialmente|best regards|kind regards|warm regards|regards|best wishes|cheers)\s*[,.!]*$/i;
/** A closing line: matched trimmed, so the pattern has no trailing `\s*` to trade blanks with. */
const isClosing = (line: string): boolean => CLOSING.test(line.trim());
const CLOSING_WINDOW = 6;
const SIGNATURE_LINE_MAX = 80;

function cutSignature(lines: string[]): string[] {
  const mark = lines.findIndex((l) => SIGNATURE_MARK.test(l));
  const body = mark >= 0 ? lines.slice(0, mark) : lines;
  const nonEmpty = body.map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== '');
  for (const [line, i] of nonEmpty.slice(-CLOSING_WINDOW)) {
    if (isClosing(line) && body.slice(i + 1).every((l) => l.length <= SIGNATURE_LINE_MAX)) return body.slice(0, i + 1);
  }
  return body;
}

/** Trims line ends and the whole, and keeps at most one blank line between paragraphs. */
function tidy(lines: readonly string[]): string {
  return lines
    .map(trimEndBlanks)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** `line` without trailing spaces, tabs and no-break spaces (a loop: `[ \t\u00a0]+$` is quadratic on a blank run). */
function trimEndBlanks(line: string): string {
  let end = line.length;
  for (let c = line.charCodeAt(end - 1); c === 32 || c === 9 || c === 0xa0; c = line.charCodeAt(end - 1)) end--;
  return end === line.length ? line : line.slice(0, end);
}
