/**
 * What a reader hears from a screen reader, in both interface languages: the accessible names
 * the tests look elements up by. Written out here on purpose rather than read from the app's
 * locale files, so a renamed or untranslated control fails the test the way it would confuse a
 * person.
 */
export type Language = "en" | "ru";

export type Ui = {
  registerTitle: string;
  signInTitle: string;
  email: string;
  password: string;
  signOut: string;
  library: string;
  books: string;
  uploadRegion: string;
  uploadInput: string;
  uploadProgress: (file: string) => string;
  processing: (title: string) => string;
  uploadReady: string;
  /** The live state while passages are looked for (the book can be read meanwhile). */
  findingPassages: RegExp;
  open: (title: string) => string;
  startReading: string;
  continueReading: string;
  nextPage: string;
  previousPage: string;
  contents: string;
  settings: string;
  scrollMode: string;
  pagedMode: string;
  darkTheme: string;
  sepiaTheme: string;
  largerText: string;
  backToLibrary: string;
  note: string;
  wrongPassword: string;
  rateLimited: RegExp;
  notABook: string;
  /** Position sync: another device moved the place since this one saw it. */
  placeMoved: string;
  /** "Continue at chapter N, P % (device, when) or stay here?"; (1) chapter, (2) device, (3) when. */
  placeQuestion: RegExp;
  continueThere: string;
  stayHere: string;
  devicePlaces: string;
  /** A table wider than the page, in a box of its own that scrolls sideways. */
  wideTable: string;
  alignment: string;
  justified: string;
  /** The alignment setting's note where the browser cannot hyphenate the book's language. */
  noHyphenation: string;
};

export const UI: Record<Language, Ui> = {
  en: {
    registerTitle: "Create account",
    signInTitle: "Sign in",
    email: "Email",
    password: "Password",
    signOut: "Sign out",
    library: "Library",
    books: "Books",
    uploadRegion: "Upload books",
    uploadInput: "Choose book files",
    uploadProgress: (file) => `Uploading ${file}`,
    processing: (title) => `Processing ${title}`,
    uploadReady: "Ready.",
    findingPassages:
      /^(Finding passages: \d+ of \d+ chapters?|Finding passages to illustrate…|Ready to read; looking for passages to illustrate…)$/,
    open: (title) => `Open ${title}`,
    startReading: "Start reading",
    continueReading: "Continue reading",
    nextPage: "Next page",
    previousPage: "Previous page",
    contents: "Contents",
    settings: "Settings",
    scrollMode: "Scroll",
    pagedMode: "Pages",
    darkTheme: "Dark",
    sepiaTheme: "Sepia",
    largerText: "Larger text",
    backToLibrary: "Back to library",
    note: "Note",
    wrongPassword: "The email or password is not correct.",
    rateLimited: /Too many attempts\. Try again in (\d+) seconds?\./,
    notABook: "This is not an EPUB or FB2 book.",
    placeMoved: "Your place moved on another device",
    placeQuestion: /^Continue at chapter (\d+), \d+% \((.+), (.+)\) or stay here\?$/,
    continueThere: "Continue there",
    stayHere: "Stay here",
    devicePlaces: "Where you were on each device",
    wideTable: "Table (scrolls sideways)",
    alignment: "Alignment",
    justified: "Justified",
    noHyphenation:
      "This browser cannot hyphenate this book's language, and justified lines would open wide gaps between words, so the text is aligned left here.",
  },
  ru: {
    registerTitle: "Регистрация",
    signInTitle: "Вход",
    email: "Email",
    password: "Пароль",
    signOut: "Выйти",
    library: "Библиотека",
    books: "Книги",
    uploadRegion: "Загрузка книг",
    uploadInput: "Выбрать файлы книг",
    uploadProgress: (file) => `Загрузка ${file}`,
    processing: (title) => `Обработка: ${title}`,
    uploadReady: "Готово.",
    findingPassages:
      /^(Поиск описаний: \d+ из \d+ глав[ы]?|Ищем описания для иллюстраций…|Можно читать; ищем описания для иллюстраций…)$/,
    open: (title) => `Открыть «${title}»`,
    startReading: "Начать чтение",
    continueReading: "Продолжить чтение",
    nextPage: "Следующая страница",
    previousPage: "Предыдущая страница",
    contents: "Содержание",
    settings: "Настройки",
    scrollMode: "Прокрутка",
    pagedMode: "Страницы",
    darkTheme: "Тёмная",
    sepiaTheme: "Сепия",
    largerText: "Крупнее",
    backToLibrary: "В библиотеку",
    note: "Примечание",
    wrongPassword: "Неверный email или пароль.",
    rateLimited: /Слишком много попыток\. Повторите через (\d+) секунд[уы]?\./,
    notABook: "Это не книга EPUB или FB2.",
    placeMoved: "Место в книге изменилось на другом устройстве",
    placeQuestion: /^Продолжить с главы (\d+), \d+\s?% \((.+), (.+)\) или остаться здесь\?$/,
    continueThere: "Продолжить там",
    stayHere: "Остаться здесь",
    devicePlaces: "Где вы остановились на каждом устройстве",
    wideTable: "Таблица (прокручивается вбок)",
    alignment: "Выравнивание",
    justified: "По ширине",
    noHyphenation:
      "Этот браузер не умеет переносить слова на языке книги, а без переносов между словами по ширине остаются большие пробелы, поэтому здесь текст выровнен по левому краю.",
  },
};
