// Notes as Markdown (CommonMark + GitHub's tables, task lists, strikethrough and autolinks) through
// react-markdown: it builds React elements, never HTML strings, so nothing a note says runs. Raw HTML in a note
// is shown as the text it is (no rehype-raw); every link and image URL goes through defaultUrlTransform, which
// keeps http(s), mailto and relative URLs and empties the rest (javascript:, data:, vbscript:…). Links open in a
// new tab without the opener or a referrer; images are not fetched (a note cannot make every reader's browser
// call a third party): they show as a link to the picture.
import ReactMarkdown, { type Components, defaultUrlTransform } from 'react-markdown';
import remarkGfm from 'remark-gfm';

const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  img: ({ src, alt }) =>
    typeof src === 'string' && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt || 'image'}
      </a>
    ) : (
      <span>{alt}</span>
    ),
  // A note's headings sit under the page's own: one level down at most, never an <h1>.
  h1: ({ children }) => <h3>{children}</h3>,
  h2: ({ children }) => <h4>{children}</h4>,
  // Wide tables scroll inside the note rather than the page.
  table: ({ children }) => (
    <div className="md-table">
      <table>{children}</table>
    </div>
  ),
};

export function Markdown({ source, testId }: { source: string; testId?: string }) {
  return (
    <div className="markdown" data-testid={testId}>
      <ReactMarkdown remarkPlugins={[remarkGfm]} components={components} urlTransform={defaultUrlTransform}>
        {source}
      </ReactMarkdown>
    </div>
  );
}
