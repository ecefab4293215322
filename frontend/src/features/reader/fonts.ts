/**
 * The book fonts, bundled with the reader's chunk (the CSP allows no font CDN). Each face is
 * split by unicode-range, so a browser fetches only the Latin or Cyrillic files a book uses, and
 * only for the family chosen.
 */
import "@fontsource-variable/literata/wght.css";
import "@fontsource-variable/literata/wght-italic.css";
import "@fontsource/opendyslexic/400.css";
import "@fontsource/opendyslexic/700.css";
import "@fontsource/opendyslexic/400-italic.css";
import "@fontsource/andika/400.css";
import "@fontsource/andika/700.css";
import "@fontsource/andika/400-italic.css";
