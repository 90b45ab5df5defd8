/** A fenced block of a Markdown file, with the heading it sits under. */
export interface FencedBlock {
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  section: string;
}

/** Every fenced block, in order; a block indented under a list item loses that indentation. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let section = '';
  let open: { lang: string; indent: number; line: number; lines: string[] } | undefined;
  markdown.split('\n').forEach((text, index) => {
    if (open) {
      if (text.trim() === '```') {
        blocks.push({ lang: open.lang, code: open.lines.join('\n'), line: open.line, section });
        open = undefined;
      } else {
        open.lines.push(text.slice(Math.min(open.indent, text.length - text.trimStart().length)));
      }
      return;
    }
    const fence = /^( *)```(\S*)\s*$/.exec(text);
    if (fence) open = { lang: fence[2], indent: fence[1].length, line: index + 1, lines: [] };
    else if (/^#{1,6} /.test(text)) section = text.replace(/^#+ /, '');
  });
  if (open) throw new Error(`the fence opened at line ${open.line} is never closed`);
  return blocks;
}

/** A block's commands without comments or blank lines. */
export function commandLines(code: string): string[] {
  return code
    .split('\n')
    .map((text) => text.replace(/(^|\s+)#.*$/, '').trim())
    .filter(Boolean);
}

/**
 * The answers a block says to expect, in order: each `# → <answer>` comment, then the `json` block
 * right after it (lines joined), which shows its last answer. `…` stands for any text.
 */
export function expectedAnswers(block: FencedBlock, next: FencedBlock | undefined): string[] {
  const answers = block.code
    .split('\n')
    .map((text) => /^\s*# → (.*)$/.exec(text)?.[1])
    .filter((answer): answer is string => answer !== undefined);
  if (next?.lang === 'json' && next.section === block.section) answers.push(next.code.split('\n').map((text) => text.trim()).join(''));
  return answers;
}

/** An expected answer as a pattern for one whole output line. */
export function answerPattern(answer: string): RegExp {
  return new RegExp(`^${answer.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
