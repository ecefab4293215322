/**
 * A note's Markdown rendered safely: react-markdown builds React elements (never innerHTML), raw
 * HTML in the note is not rendered, and link addresses go through its safe-URL filter; links
 * open in a new tab without a referrer. Loaded lazily: only the panel needs it.
 */
import Markdown, { defaultUrlTransform } from "react-markdown";

export default function NoteText({ note }: { note: string }) {
  return (
    <div className="annotation-note-text">
      <Markdown
        skipHtml
        urlTransform={defaultUrlTransform}
        disallowedElements={["img"]}
        unwrapDisallowed
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {children}
            </a>
          ),
        }}
      >
        {note}
      </Markdown>
    </div>
  );
}
