// A limit on how deeply a GraphQL document's text nests braces, brackets and parentheses, checked before
// graphql-js parses it: its parser is recursive, and an object or list literal a few thousand levels deep (well
// under the token limit) overflows the stack, which yoga could only answer with a masked "Unexpected error."
// The scan is one pass over the text; strings, block strings and comments are skipped, since their brackets do
// not nest anything.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The deepest nesting of `{`, `[` and `(` a document may have. Real queries stay far below it. */
export const MAX_DOCUMENT_NESTING = 64;

/** The deepest nesting in `source`, stopping early once past `limit`. */
export function documentNesting(source: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x22 /* " */) {
      if (source.startsWith('"""', i)) {
        // A block string ends at the next unescaped """.
        let j = i + 3;
        while (j < source.length && !(source.startsWith('"""', j) && source[j - 1] !== '\\')) j++;
        i = j + 2;
      } else {
        let j = i + 1;
        while (j < source.length && source[j] !== '"' && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
        i = j;
      }
    } else if (c === 0x23 /* # */) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === 0x7b || c === 0x5b || c === 0x28 /* { [ ( */) {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x7d || c === 0x5d || c === 0x29 /* } ] ) */) depth--;
  }
  return deepest;
}

/** Refuses (BAD_INPUT naming `query`, HTTP 400) a document nested deeper than MAX_DOCUMENT_NESTING. */
export const documentDepthLimit: Plugin = {
  onParse({ params }) {
    const source = typeof params.source === 'string' ? params.source : params.source.body;
    // A document cannot nest deeper than half its length.
    if (source.length <= 2 * MAX_DOCUMENT_NESTING) return;
    const depth = documentNesting(source, MAX_DOCUMENT_NESTING);
    if (depth > MAX_DOCUMENT_NESTING)
      throw new GraphQLError(
        `query: the document nests {, [ and ( deeper than ${MAX_DOCUMENT_NESTING} levels; pass deep values as variables`,
        { extensions: { code: 'BAD_INPUT', field: 'query', http: { status: 400 } } },
      );
  },
};
