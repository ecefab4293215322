/**
 * A search snippet as pieces of text, some marked. The API sends escaped text with `<mark>`
 * around the matches; it is read with DOMParser (never attached to the page) and only its text
 * and the marks are kept, so nothing in it can become markup, whatever the server sent.
 */
export type SnippetPiece = { text: string; marked: boolean };

export function snippetPieces(snippet: string): SnippetPiece[] {
  const doc = new DOMParser().parseFromString(`<body>${snippet}</body>`, "text/html");
  const pieces: SnippetPiece[] = [];
  const walk = (node: Node, marked: boolean) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const text = child.textContent ?? "";
        const last = pieces.at(-1);
        if (last && last.marked === marked) last.text += text;
        else if (text) pieces.push({ text, marked });
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        walk(child, marked || (child as Element).tagName === "MARK");
      }
    }
  };
  walk(doc.body, false);
  return pieces;
}

/** The snippet as plain text (for an accessible name). */
export function snippetText(snippet: string): string {
  return snippetPieces(snippet)
    .map((piece) => piece.text)
    .join("");
}
