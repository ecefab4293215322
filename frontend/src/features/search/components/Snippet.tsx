/** A search snippet: the text around a hit with the matched words marked. */
import { snippetPieces } from "../snippet";

export function Snippet({ snippet }: { snippet: string }) {
  return (
    <span className="search-snippet">
      {snippetPieces(snippet).map((piece, index) =>
        piece.marked ? (
          <mark key={index}>{piece.text}</mark>
        ) : (
          <span key={index}>{piece.text}</span>
        ),
      )}
    </span>
  );
}
