import { z } from 'zod';

/** Text without control characters (which break storage and display). */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}]*$/u;

const atMost = (max: number) => `must be at most ${max.toLocaleString('en-US')} characters`;
const hasOnlyLineBreakControls = (value: string) => NO_CONTROL_CHARACTERS.test(value.replace(/[\n\r\t]/g, ''));

const line = (max: number) => z.string().trim().max(max, atMost(max)).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');
const multiline = (max: number) =>
  z.string().trim().max(max, atMost(max)).refine(hasOnlyLineBreakControls, 'must not contain control characters other than line breaks and tabs');

const blankToNull = (value: string | null | undefined) => value || null;

/** One line of text (a title, a name): trimmed, `min` (default 1) to `max` characters, no control characters. */
export const lineText = (max: number, min = 1) =>
  line(max).min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`);

/** An optional line of text: absent, null or blank become null. */
export const optionalLineText = (max: number) => line(max).nullish().transform(blankToNull);

/** Text that may keep its line breaks and tabs (a body, a note): trimmed, 1 to `max` characters. */
export const multilineText = (max: number) => multiline(max).min(1, 'must not be empty');

/** Optional text with line breaks: absent, null or blank become null. */
export const optionalMultilineText = (max: number) => multiline(max).nullish().transform(blankToNull);
