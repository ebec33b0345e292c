// Pure text utilities: no I/O, no SDKs.
export { redactPii } from './pii.js';
export { detectRequestedLimit } from './limits.js';
export { resolveDateRange, MAX_DATE_TEXT, type DateRange, type ResolveDateRangeOptions } from './dates.js';
