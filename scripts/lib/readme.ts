// Generated blocks in package READMEs (size and bench tables) live between `<!-- name:start -->` and
// `<!-- name:end -->`, so scripts can rewrite them without touching the prose around them.

const markers = (name: string) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`] as const;

/** The content between a block's markers (without them), or undefined when the README lacks them. */
export function readBlock(readme: string, name: string): string | undefined {
  const [start, end] = markers(name);
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1 || to < from) return undefined;
  return readme.slice(from + start.length, to).replace(/^\n|\n$/g, "");
}

/** The README with the block's content replaced; the block is appended under `heading` when missing. */
export function writeBlock(readme: string, name: string, content: string, heading: string): string {
  const [start, end] = markers(name);
  const block = `${start}\n${content}\n${end}`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to === -1 || to < from) return `${readme.trimEnd()}\n\n## ${heading}\n\n${block}\n`;
  return readme.slice(0, from) + block + readme.slice(to + end.length);
}
