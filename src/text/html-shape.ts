import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/*
 * A linear pre-scan of untrusted HTML, to decide before parsing whether html-to-text can convert it in
 * linear time. htmlparser2's Parser keeps its element stack with `unshift` (O(depth) per open tag), so
 * deep nesting is quadratic and, past a few thousand levels, overflows the converter's recursion;
 * html-to-text's table layout is quadratic in a table's rows or columns and loops `colspan × rowspan`
 * times as written. The scan runs htmlparser2's own Tokenizer (linear) and follows the Parser's rules for
 * void elements, implied closes, end tags and foreign (SVG, MathML) self-closing tags, with a plain
 * push/pop stack that stops growing past the depth asked about.
 */

/** What {@link htmlShape} found. */
export interface HtmlShape {
  /** Deepest element nesting, counted up to `maxDepth + 1`. */
  depth: number;
  /** Table rows and cells (`<tr>`, `<td>`, `<th>`) in the document. */
  tableParts: number;
  /** The largest `colspan` or `rowspan` as html-to-text reads it (`+value`); Infinity when not a finite number. */
  maxSpan: number;
}

const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const TABLE_PARTS = new Set(['tr', 'td', 'th']);
const SPANS = new Set(['colspan', 'rowspan']);
const FOREIGN = new Set(['math', 'svg']);
const INTEGRATION = new Set(['mi', 'mo', 'mn', 'ms', 'mtext', 'annotation-xml', 'foreignobject', 'desc', 'title']);

// htmlparser2's `openImpliesClose`: opening the key closes the innermost open element while it is in the set.
const P = ['p'];
const FORM = ['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea'];
const IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>(
  [
    ['tr', ['tr', 'th', 'td']],
    ['th', ['th']],
    ['td', ['thead', 'th', 'td']],
    ['body', ['head', 'link', 'script']],
    ['li', ['li']],
    ['option', ['option']],
    ['optgroup', ['optgroup', 'option']],
    ['dd', ['dd', 'dt']],
    ['dt', ['dd', 'dt']],
    ['rt', ['rt', 'rp']],
    ['rp', ['rt', 'rp']],
    ['tbody', ['thead', 'tbody']],
    ['tfoot', ['thead', 'tbody']],
    ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, FORM] as const),
    ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((t) => [t, P] as const),
  ].map(([tag, closes]) => [tag as string, new Set(closes)]),
);

/** The nesting depth (up to `maxDepth + 1`), table size and largest span of `html`, in one linear pass. */
export function htmlShape(html: string, maxDepth: number): HtmlShape {
  const stack: string[] = [];
  const foreign: boolean[] = [];
  const shape: HtmlShape = { depth: 0, tableParts: 0, maxSpan: 1 };
  let tag = '';
  let attribute = '';
  let value = '';
  const name = (start: number, end: number) => html.slice(start, end).toLowerCase();
  const callbacks: TokenizerCallbacks = {
    onopentagname(start, end) {
      tag = name(start, end);
      const closes = IMPLIES_CLOSE.get(tag);
      while (closes && stack.length > 0 && closes.has(stack[stack.length - 1] as string)) stack.pop();
      if (TABLE_PARTS.has(tag)) shape.tableParts++;
      if (VOID.has(tag)) return;
      stack.push(tag);
      shape.depth = Math.max(shape.depth, stack.length);
      // Past the limit the answer is settled: stop, so the stack (and `lastIndexOf` on it) stays small.
      if (stack.length > maxDepth) tokenizer.pause();
      if (FOREIGN.has(tag)) foreign.push(true);
      else if (INTEGRATION.has(tag)) foreign.push(false);
    },
    onselfclosingtag() {
      if (foreign[foreign.length - 1] && !VOID.has(tag)) stack.pop();
    },
    onclosetag(start, end) {
      const closed = name(start, end);
      if (FOREIGN.has(closed) || INTEGRATION.has(closed)) foreign.pop();
      if (VOID.has(closed)) return;
      const at = stack.lastIndexOf(closed);
      if (at >= 0) stack.length = at;
      // The parser answers a stray `</p>` with an empty <p> it opens and closes at once.
      else if (closed === 'p') shape.depth = Math.max(shape.depth, stack.length + 1);
    },
    onattribname(start, end) {
      attribute = name(start, end);
      value = '';
    },
    onattribdata(start, end) {
      if (SPANS.has(attribute)) value += html.slice(start, end);
    },
    onattribentity(codepoint) {
      if (SPANS.has(attribute)) value += String.fromCodePoint(codepoint);
    },
    onattribend() {
      if (!SPANS.has(attribute)) return;
      const span = +value || 1;
      shape.maxSpan = Math.max(shape.maxSpan, Number.isFinite(span) ? span : Infinity);
    },
    onopentagend() {},
    oncdata() {},
    oncomment() {},
    ondeclaration() {},
    onend() {},
    onprocessinginstruction() {},
    ontext() {},
    ontextentity() {},
  };
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks);
  tokenizer.write(html);
  tokenizer.end();
  return shape;
}
