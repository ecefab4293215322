/**
 * Book HTML (already sanitised by the server) made safe to place inside the app's page: its
 * ids and classes carry a prefix so they can neither clash with the app's nor be styled by the
 * app's CSS, and its in-book links are recognised (note references, positions, anchors).
 * The server prefixes them already (`bk-`); chapters stored before it did are prefixed here.
 */

export const BOOK_PREFIX = "bk-";

/** An inert fragment of the chapter (images load once it is attached to the document). */
export function scopedFragment(html: string, doc: Document = document): DocumentFragment {
  const template = doc.createElement("template");
  template.innerHTML = html;
  const content = template.content;
  for (const element of content.querySelectorAll("[id]")) {
    element.id = scoped(element.id);
  }
  for (const element of content.querySelectorAll("[class]")) {
    const names = (element.getAttribute("class") ?? "").split(/\s+/).filter(Boolean);
    element.setAttribute("class", names.map(scoped).join(" "));
  }
  for (const link of content.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')) {
    const target = link.getAttribute("href")?.slice(1) ?? "";
    if (target && !link.hasAttribute("data-note") && !positionLink(`#${target}`)) {
      link.setAttribute("href", `#${scoped(target)}`);
    }
  }
  for (const image of content.querySelectorAll("img")) {
    image.setAttribute("decoding", "async");
    if (!image.hasAttribute("alt")) image.setAttribute("alt", "");
    if (inText(image)) image.classList.add(INLINE_IMAGE);
  }
  return content;
}

/** The app's class of a picture that stands in a line of text (not a book class). */
export const INLINE_IMAGE = "reader-inline-image";

const TEXT_BLOCKS = "p, li, td, th, h1, h2, h3, h4, h5, h6, dt, dd";

/**
 * A picture inside a paragraph that has words of its own (FB2's inline `<image>`: a letter, a
 * sign, a word drawn) is read as part of its line; a picture alone in its block stays a block.
 */
function inText(image: HTMLImageElement): boolean {
  if (image.closest("figure")) return false;
  const block = image.closest(TEXT_BLOCKS);
  return block !== null && (block.textContent ?? "").trim() !== "";
}

function scoped(name: string): string {
  return name.startsWith(BOOK_PREFIX) ? name : BOOK_PREFIX + name;
}

/** A link to a place in the book: `#pos-<chapter>-<offset>`. */
export function positionLink(href: string | null): { chapter: number; offset: number } | null {
  const match = /^#pos-(\d+)-(\d+)$/.exec(href ?? "");
  return match ? { chapter: Number(match[1]), offset: Number(match[2]) } : null;
}

export type Footnote = { id: string; title?: string; html: string; text?: string };

/** The note id of a clicked note reference inside the chapter, or null. */
export function noteIdAt(target: EventTarget | null, container: Element): string | null {
  if (!(target instanceof Element)) return null;
  const link = target.closest("a[data-note]");
  return link && container.contains(link) ? link.getAttribute("data-note") : null;
}

export function findFootnote(notes: readonly Footnote[], id: string | null): Footnote | null {
  if (id === null) return null;
  return notes.find((note) => note.id === id) ?? null;
}

/** The image a click landed on inside the chapter (not a linked one: links win). */
export function zoomableImageAt(
  target: EventTarget | null,
  container: Element,
): HTMLImageElement | null {
  if (!(target instanceof HTMLImageElement) || !container.contains(target)) return null;
  return target.closest("a[href]") ? null : target;
}

/** The app's box around each of the chapter's tables (not a book class: no `bk-` prefix). */
export const TABLE_BOX = "reader-table";

/**
 * Puts each outermost table of a chapter in a box of its own: a table wider than the column
 * scrolls sideways inside that box (BookLayout marks it so), its words whole, instead of
 * spilling past the page or breaking its words letter by letter.
 */
export function boxTables(fragment: DocumentFragment): void {
  for (const table of fragment.querySelectorAll("table")) {
    if (table.parentElement?.closest("table")) continue;
    const box = table.ownerDocument.createElement("div");
    box.className = TABLE_BOX;
    table.replaceWith(box);
    box.append(table);
  }
}
